"""The counter's glue: a SyncRunner built from Settings, the local store and the keyring,
with the counter's rules: official numbers for provisional ones, the catalogue cached by
its ETag (and a change of it while offline), scans uploaded resumably."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest

from counterdesk.domain.cases import OperationKind
from counterdesk.services import local_store
from counterdesk.services.catalogue_source import cached_catalogue_path
from counterdesk.services.connectivity import LinkMode
from counterdesk.services.intake import provisional_prefix
from counterdesk.services.sync_runner import SyncRunner
from counterdesk.settings import Settings
from offline import Store
from offline.sync import ServerTrouble, SyncState, Unreachable
from tests.offline.keyring_backend import MemoryKeyring
from tests.sync.harness import (
    CENTRE,
    MINI_CATALOGUE,
    PASSWORD,
    CaseServer,
    Counter,
    wait_for,
)


@pytest.fixture
def runner(
    server: CaseServer, tmp_path: Path, memory_keyring: MemoryKeyring
) -> Iterator[SyncRunner]:
    settings = Settings(server_url=server.url, counter_name="窗口 3")
    data_dir = tmp_path / "counter"
    store = local_store.open_local_store(settings, data_dir=data_dir)
    made = SyncRunner(
        settings,
        store,
        data_dir=data_dir,
        poll_interval=0.05,
        backoff_base=0.01,
        backoff_max=0.1,
        chunk_bytes=64 * 1024,  # small chunks: a scan of a few hundred KB takes several
    )
    made.sign_in(CENTRE, "officer1", PASSWORD)
    try:
        yield made
    finally:
        made.close()
        store.close()


def as_counter(runner: SyncRunner) -> Counter:
    return Counter(runner.store, runner.engine, runner.tokens, "officer1")


def test_the_sign_in_lives_in_the_keyring_not_in_the_store(
    runner: SyncRunner, memory_keyring: MemoryKeyring
) -> None:
    kept = [v for (_, name), v in memory_keyring.secrets.items() if name.endswith("-server:tokens")]
    assert len(kept) == 1 and json.loads(kept[0])["username"] == "officer1"
    tokens = runner.tokens.load()
    assert tokens is not None
    for path in runner.store.folder.iterdir():
        if path.is_file():
            assert tokens.refresh_token.encode() not in path.read_bytes()
    assert keyring.get_keyring() is memory_keyring


def test_provisional_numbers_get_official_ones_and_either_finds_the_case(
    runner: SyncRunner, server: CaseServer
) -> None:
    counter = as_counter(runner)
    taken = runner.store.next_number(provisional_prefix(runner.store))  # no lease yet
    assert taken["provisional"]
    case = counter.new_case(numbers={"official": None, "provisional": taken["number"]})

    report = runner.sync_now()

    assert report.leased == 100 and report.prepared == 1
    stored = server.case(case["id"])
    official = stored["numbers"]["official"]
    assert official.startswith(f"{CENTRE}-2026-")
    assert stored["numbers"]["provisional"] == taken["number"]
    assert runner.store.stats()["outbox_pending"] == 0
    for number in (official, taken["number"]):
        found = runner.find_case(number, ask_server=False)
        assert found is not None and found["id"] == case["id"]
        answer = server.client("officer2").get(f"/cases/by-number/{number}")
        assert answer.status_code == 200 and answer.json()["case"]["id"] == case["id"]
    entries = runner.store.audit_entries()
    assert any(e["action"] == "case.number_official" for e in entries)


def test_a_leased_number_printed_offline_is_already_final(
    runner: SyncRunner, server: CaseServer
) -> None:
    runner.sync_now()  # online: the lease is topped up
    taken = runner.store.next_number(provisional_prefix(runner.store))
    assert not taken["provisional"]
    counter = as_counter(runner)
    case = counter.new_case(numbers={"official": taken["number"], "provisional": None})
    runner.sync_now()
    assert server.case(case["id"])["numbers"]["official"] == taken["number"]


def test_the_catalogue_is_cached_by_its_etag(runner: SyncRunner, server: CaseServer) -> None:
    server.publish_catalogue(MINI_CATALOGUE.read_bytes())

    assert runner.sync_now().catalogue
    cached = cached_catalogue_path()
    assert cached is not None and cached.read_bytes() == MINI_CATALOGUE.read_bytes()
    assert [n.kind for n in runner.notices()] == ["catalogue"]
    runner.engine._next_catalogue = 0.0  # ask again now rather than in five minutes
    before = len(server.faults.requests)
    assert not runner.sync_now().catalogue
    assert ("GET", "/catalogue", "") in server.faults.requests[before:]


def test_a_catalogue_changed_while_offline_arrives_and_work_it_refuses_is_kept(
    runner: SyncRunner, server: CaseServer
) -> None:
    server.publish_catalogue(MINI_CATALOGUE.read_bytes())
    runner.sync_now()
    server.live.stop()  # the counter is offline from here
    counter = as_counter(runner)
    case = counter.new_case(received={"id_card": {"original": 1, "copies": 1}}, sharing=True)
    accept = counter.edit(case["id"], OperationKind.TRANSITION, to="accepted", reason="")
    with pytest.raises(Unreachable):
        runner.sync_now()
    assert runner.status.state == SyncState.OFFLINE
    server.live.start()
    stricter = json.loads(MINI_CATALOGUE.read_text(encoding="utf-8"))
    stricter["version"] = "test-2"
    for line in stricter["items"][0]["materials"]:
        if line["material"] == "application_form":
            line["need"] = "required"
    new_catalogue = json.dumps(stricter, ensure_ascii=False).encode()
    server.publish_catalogue(new_catalogue)  # published while the counter was away

    runner.engine._next_catalogue = 0.0
    report = runner.sync_now()

    assert report.catalogue
    cached = cached_catalogue_path()
    assert cached is not None and cached.read_bytes() == new_catalogue
    [refused] = runner.refused()
    assert refused["op"]["idempotency_key"] == accept["idempotency_key"]
    assert "application_form" in refused["reason"]
    assert server.case(case["id"])["state"] == "received"
    assert as_counter(runner).get(case["id"])["state"] == "received"
    kinds = {n.kind for n in runner.notices()}
    assert {"catalogue", "refused"} <= kinds


def test_a_scan_upload_resumes_where_the_server_stopped(
    runner: SyncRunner, server: CaseServer
) -> None:
    counter = as_counter(runner)
    case = counter.new_case()
    runner.sync_now()
    data = b"%PDF-1.7\n" + bytes(range(256)) * 700  # ~179 KB: three chunks
    local_id = runner.queue_scan(case["id"], "id_card", "application/pdf", data, pages=2)
    scans = list((runner.store.folder.parent / "scans").iterdir())
    assert len(scans) == 1 and b"%PDF" not in scans[0].read_bytes()  # sealed on disk
    puts = []

    def fail_second_chunk(method: str, path: str) -> None:
        if method == "PUT":
            puts.append(path)
            if len(puts) == 2:
                server.faults.arm("error-500", method="PUT")

    server.faults.before_request = fail_second_chunk
    with pytest.raises(ServerTrouble):
        runner.sync_now()
    assert local_id in runner.engine.uploads()

    runner.sync_now()

    offsets = [q for m, _, q in server.faults.requests if m == "PUT"]
    assert offsets == ["offset=0", "offset=65536", "offset=65536", "offset=131072"]
    assert runner.engine.uploads() == {}
    assert not (runner.store.folder.parent / "scans" / f"{local_id}.scan").exists()
    attached = server.case(case["id"])["attachments"]
    assert [a["sha256"] for a in attached] == [hashlib.sha256(data).hexdigest()]
    runner.sync_now()
    assert as_counter(runner).get(case["id"])["attachments"] == attached


def test_the_background_runner_reports_its_state(runner: SyncRunner) -> None:
    states: list[SyncState] = []
    runner.on_status(lambda status: states.append(status.state))
    counter = as_counter(runner)
    counter.new_case()
    runner.start()
    runner.wake()
    wait_for(lambda: runner.status.pending == 0 and runner.status.state == SyncState.ONLINE)
    runner.stop()
    assert runner.status.state == SyncState.STOPPED
    assert SyncState.SYNCING in states and runner.status.user == "officer1"
    assert isinstance(runner.status.last_synced_at, dt.datetime)
    bar = runner.state()  # what the status bar reads
    assert bar.mode is LinkMode.OFFLINE and bar.waiting == 0  # stopped: not syncing any more


def test_a_standalone_counter_has_no_runner(tmp_path: Path) -> None:
    with (
        Store.open(tmp_path / "s", bytes(32)) as store,
        pytest.raises(ValueError, match="standalone"),
    ):
        SyncRunner(Settings(), store)
