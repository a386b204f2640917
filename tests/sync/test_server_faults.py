"""A server that fails: a 500, a page that is not the API, an answer lost after the commit,
the network going away. The work is kept and retried, the error is said clearly, and
nothing is applied twice."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import func, select

from counterdesk_server.db.models import CaseRecord, OperationRecord
from offline.sync import ServerTrouble, SyncState, Unreachable
from tests.sync.harness import CaseServer, Counter, wait_for


def server_counts(server: CaseServer) -> tuple[int, int]:
    with server.ctx.db.reading() as session:
        cases = session.scalar(select(func.count()).select_from(CaseRecord))
        operations = session.scalar(select(func.count()).select_from(OperationRecord))
    return int(cases or 0), int(operations or 0)


def test_a_500_keeps_the_work_and_says_so(
    server: CaseServer, counters: Callable[..., Counter]
) -> None:
    counter = counters("officer1")
    counter.new_case()
    server.faults.arm("error-500", path="/cases/batch")

    with pytest.raises(ServerTrouble, match="500"):
        counter.sync()

    status = counter.engine.status
    assert status.state == SyncState.OFFLINE and status.offline_since is not None
    assert "500" in status.last_error and status.pending == 1
    counter.sync()
    assert (
        counter.engine.status.state == SyncState.ONLINE and counter.engine.status.last_error == ""
    )
    assert server_counts(server) == (1, 1)


def test_garbage_instead_of_the_api_is_a_clear_error(
    server: CaseServer, counters: Callable[..., Counter]
) -> None:
    counter = counters("officer1")
    counter.new_case()
    server.faults.arm("garbage", path="/cases/batch")

    with pytest.raises(ServerTrouble, match="not the API"):
        counter.sync()

    assert "text/html" in counter.engine.status.last_error
    assert counter.store.stats()["outbox_pending"] == 1
    counter.sync()
    assert counter.store.stats()["outbox_pending"] == 0


def test_an_answer_lost_after_the_commit_is_sent_again_and_applied_once(
    server: CaseServer, counters: Callable[..., Counter]
) -> None:
    counter = counters("officer1", batch_size=20)  # the whole outbox in one request
    made = [counter.new_case() for _ in range(10)]
    for case in made:
        counter.update(case["id"], counter="窗口 1")
    server.faults.arm("garbage-after", path="/cases/batch", times=2)

    with pytest.raises(ServerTrouble):
        counter.sync()
    assert server_counts(server) == (10, 20)  # stored, but the counter never heard it
    assert counter.store.stats()["outbox_pending"] == 20
    with pytest.raises(ServerTrouble):
        counter.sync()  # the same batch again: replayed, and again unheard

    counter.sync()

    assert server_counts(server) == (10, 20)
    assert counter.store.stats()["outbox_pending"] == 0
    assert all(server.case(c["id"])["version"] == 2 for c in made)


def test_the_background_sync_recovers_by_itself_when_the_network_returns(
    server: CaseServer, counters: Callable[..., Counter]
) -> None:
    counter = counters("officer1")
    counter.new_case()
    counter.sync()
    server.live.stop()
    counter.new_case()
    seen: list[SyncState] = []
    counter.engine.connectivity.subscribe(lambda status: seen.append(status.state))

    counter.engine.start()
    wait_for(lambda: counter.engine.status.state == SyncState.OFFLINE, what="offline")
    status = counter.engine.status
    assert status.offline_since is not None and status.pending == 1
    assert "cannot reach" in status.last_error
    server.live.start()
    wait_for(lambda: counter.engine.status.pending == 0, what="the outbox to drain")
    wait_for(lambda: counter.engine.status.state == SyncState.ONLINE, what="online")

    assert counter.engine.status.offline_since is None
    assert SyncState.SYNCING in seen and SyncState.OFFLINE in seen
    assert server_counts(server)[0] == 2


def test_a_refused_connection_is_unreachable(
    server: CaseServer, counters: Callable[..., Counter]
) -> None:
    counter = counters("officer1")
    counter.new_case()
    server.live.stop()
    with pytest.raises(Unreachable, match="refused or unreachable"):
        counter.sync()
    server.live.start()
