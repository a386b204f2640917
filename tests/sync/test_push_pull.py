"""Pushing work made offline and pulling what others did: the everyday path."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from counterdesk.domain.cases import OperationKind
from tests.sync.harness import T0, CaseServer, Counter


def test_cases_made_offline_reach_the_server_once_and_leave_the_outbox(
    server: CaseServer, counters: Callable[..., Counter]
) -> None:
    counter = counters("officer1", batch_size=7)
    made = [counter.new_case() for _ in range(20)]
    counter.update(made[0]["id"], fields={"premises": "rented"})
    assert counter.store.stats()["outbox_pending"] == 21

    report = counter.sync()

    assert report.push.acknowledged == 21 and report.push.refused == 0
    assert counter.store.stats()["outbox_pending"] == 0
    assert counter.engine.status.state == "online" and counter.engine.status.pending == 0
    first = server.case(made[0]["id"])
    assert first["fields"] == {"premises": "rented"} and first["version"] == 2
    assert first["assignee"] == "officer1"  # the server's decision, now on the counter too
    assert counter.get(made[0]["id"]) == first
    feed = server.client("supervisor1").get("/changes", params={"limit": 1000}).json()
    assert sorted(e["case"]["id"] for e in feed["changes"]) == sorted(c["id"] for c in made)


def test_a_colleagues_change_arrives_through_the_feed(
    server: CaseServer, counters: Callable[..., Counter]
) -> None:
    mine = counters("officer1")
    case = mine.new_case()
    mine.sync()
    answer = server.client("supervisor1").patch(
        f"/cases/{case['id']}", json={"base_version": 1, "changes": {"counter": "窗口 9"}}
    )
    assert answer.status_code == 200, answer.text

    report = mine.sync()

    assert report.pull.updated == 1
    assert mine.get(case["id"])["counter"] == "窗口 9"


def test_an_idle_sync_asks_once_and_writes_nothing(
    server: CaseServer, counters: Callable[..., Counter]
) -> None:
    counter = counters("officer1")
    counter.new_case()
    counter.sync()
    before = len(server.faults.requests)
    generation = counter.store.stats()

    report = counter.sync()

    asked = server.faults.requests[before:]
    assert [(m, p) for m, p, _ in asked] == [("GET", "/changes")]
    assert report.push.sent == 0 and report.pull.updated == 0
    assert counter.store.stats() == generation


def test_print_records_and_transitions_sync_in_order(
    server: CaseServer, counters: Callable[..., Counter]
) -> None:
    counter = counters("officer1")
    case = counter.new_case()
    counter.edit(case["id"], OperationKind.RECORD_PRINT, doc="receipt", copies=1)
    counter.edit(case["id"], OperationKind.TRANSITION, to="withdrawn", reason="申请人撤回")
    counter.sync()
    stored = server.case(case["id"])
    assert stored["state"] == "withdrawn" and len(stored["prints"]) == 1
    assert stored["version"] == 3


def test_the_audit_trail_keeps_the_device_time_and_the_servers_receipt_time(
    server: CaseServer, counters: Callable[..., Counter]
) -> None:
    counter = counters("officer1")
    case = counter.new_case()  # made at T0 on the counter, offline
    server.clock.advance(hours=3)  # and synced three hours later
    counter.sync()
    events = server.client("supervisor1").get("/audit", params={"case_id": case["id"]})
    [created] = [e for e in events.json()["events"] if e["action"] == "case.create"]
    assert dt.datetime.fromisoformat(created["device_time"]) == T0
    assert dt.datetime.fromisoformat(created["server_time"]) == T0 + dt.timedelta(hours=3)
