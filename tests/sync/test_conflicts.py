"""The conflict rules, each against the real server: the server owns state and assignment,
edits on both sides merge member by member, a member changed on both sides is the
officer's to resolve, and a reassignment hands the officer's unsynced work over."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from counterdesk.domain.cases import OperationKind
from tests.sync.harness import CaseServer, Counter


def synced_case(counter: Counter) -> dict[str, Any]:
    case = counter.new_case()
    counter.sync()
    return counter.get(case["id"])


def supervisor_patch(
    server: CaseServer, case_id: str, version: int, **changes: object
) -> dict[str, Any]:
    answer = server.client("supervisor1").patch(
        f"/cases/{case_id}", json={"base_version": version, "changes": changes}
    )
    assert answer.status_code == 200, answer.text
    return answer.json()["case"]


def test_edits_of_different_members_on_both_sides_are_merged(
    server: CaseServer, counters: Callable[..., Counter]
) -> None:
    counter = counters("officer1")
    case = synced_case(counter)
    supervisor_patch(server, case["id"], 1, fields={"premises": "rented"})
    counter.update(case["id"], counter="窗口 12")  # made offline, on version 1

    report = counter.sync()

    stored = server.case(case["id"])
    assert stored["fields"] == {"premises": "rented"} and stored["counter"] == "窗口 12"
    assert report.push.conflicts == 0 and report.push.rebased == 1
    assert counter.store.stats()["outbox_pending"] == 0
    assert counter.get(case["id"]) == stored


def test_the_server_owns_state_an_edit_made_meanwhile_still_lands(
    server: CaseServer, counters: Callable[..., Counter]
) -> None:
    counter = counters("officer1")
    case = synced_case(counter)
    moved = server.client("supervisor1").post(
        f"/cases/{case['id']}/transitions",
        json={"base_version": 1, "to": "withdrawn", "reason": "申请人电话撤件"},
    )
    assert moved.status_code == 200, moved.text
    counter.update(case["id"], counter="窗口 5")

    counter.sync()

    stored = server.case(case["id"])
    assert stored["state"] == "withdrawn" and stored["counter"] == "窗口 5"
    assert counter.get(case["id"])["state"] == "withdrawn"


def test_a_transition_the_server_no_longer_allows_is_kept_with_its_reason(
    server: CaseServer, counters: Callable[..., Counter]
) -> None:
    counter = counters("officer1")
    case = synced_case(counter)
    refused = server.client("supervisor1").post(
        f"/cases/{case['id']}/transitions",
        json={"base_version": 1, "to": "refused", "reason": "不属于本机关职权范围"},
    )
    assert refused.status_code == 200, refused.text
    op = counter.edit(case["id"], OperationKind.TRANSITION, to="withdrawn", reason="撤件")

    counter.sync()

    [row] = counter.engine.refused()
    assert row["op"]["idempotency_key"] == op["idempotency_key"]
    assert "refused" in row["reason"] or "不能" in row["reason"] or row["reason"]
    assert counter.engine.status.rejected == 1
    assert counter.get(case["id"])["state"] == "refused"  # the server's, not ours
    assert [n.kind for n in counter.engine.notices()] == ["refused"]
    counter.engine.discard(op["idempotency_key"], by="officer1")
    assert counter.store.stats()["outbox_rejected"] == 0
    assert counter.store.audit_entries()[-1]["action"] == "sync.operation_discarded"


def test_a_refused_edit_no_longer_shows_on_the_counter(
    server: CaseServer, counters: Callable[..., Counter]
) -> None:
    counter = counters("officer1")
    case = synced_case(counter)
    never_leased = {"official": "JX-NANHU-2026-999999", "provisional": None}
    op = counter.update(case["id"], counter="窗口 4", numbers=never_leased)
    assert counter.get(case["id"])["counter"] == "窗口 4"  # the officer's view

    counter.sync()

    [row] = counter.engine.refused()
    assert row["op"]["idempotency_key"] == op["idempotency_key"]
    assert "never leased" in row["reason"]
    shown = counter.get(case["id"])
    assert shown == server.case(case["id"]) and shown["counter"] == "窗口 3"


def test_a_member_changed_on_both_sides_is_a_conflict_the_officer_resolves(
    server: CaseServer, counters: Callable[..., Counter]
) -> None:
    counter = counters("officer1")
    case = synced_case(counter)
    supervisor_patch(server, case["id"], 1, fields={"premises": "rented"})
    op = counter.update(case["id"], fields={"premises": "owned", "staff": 3})
    later = counter.update(case["id"], counter="窗口 2")  # made on the conflicting one

    report = counter.sync()

    assert report.push.conflicts == 1
    [conflict] = counter.engine.conflicts()
    assert conflict["id"] == op["idempotency_key"] and conflict["case_id"] == case["id"]
    assert conflict["members"]["fields"] == {
        "member": "fields",
        "base": {"premises": "owned"},
        "ours": {"premises": "owned", "staff": 3},
        "theirs": {"premises": "rented"},
        "base_known": True,
    }
    assert counter.engine.status.conflicts == 1 and counter.engine.status.rejected == 0
    assert server.case(case["id"])["counter"] == "窗口 3"  # the later edit waits behind it
    assert any(n.kind == "conflict" for n in counter.engine.notices())

    counter.engine.resolve(op["idempotency_key"], {"fields": "ours"}, by="officer1")
    counter.sync()

    stored = server.case(case["id"])
    assert stored["fields"] == {"premises": "owned", "staff": 3}
    assert stored["counter"] == "窗口 2"
    assert counter.store.stats()["outbox_pending"] == 0 == counter.engine.status.conflicts
    assert counter.get(case["id"]) == stored
    assert later["idempotency_key"]  # delivered after the resolution, in order


def test_keeping_the_servers_value_withdraws_the_edit(
    server: CaseServer, counters: Callable[..., Counter]
) -> None:
    counter = counters("officer1")
    case = synced_case(counter)
    supervisor_patch(server, case["id"], 1, fields={"premises": "rented"})
    op = counter.update(case["id"], fields={"premises": "owned", "staff": 3})
    counter.sync()

    outcome = counter.engine.resolve(op["idempotency_key"], {"fields": "theirs"}, by="officer1")
    counter.sync()

    assert outcome == "withdrawn"
    assert server.case(case["id"])["fields"] == {"premises": "rented"}
    assert counter.store.stats()["outbox_pending"] == 0
    assert counter.get(case["id"])["fields"] == {"premises": "rented"}
    actions = [e["action"] for e in counter.store.audit_entries()]
    assert "sync.conflict_resolved" in actions


def test_a_member_sent_unchanged_does_not_undo_a_colleagues_edit(
    server: CaseServer, counters: Callable[..., Counter]
) -> None:
    counter = counters("officer1")
    case = synced_case(counter)
    supervisor_patch(server, case["id"], 1, fields={"premises": "rented"})
    # A form saved whole: fields unchanged from what the officer saw, counter changed.
    counter.update(case["id"], fields={"premises": "owned"}, counter="窗口 7")

    report = counter.sync()

    assert report.push.conflicts == 0
    stored = server.case(case["id"])
    assert stored["fields"] == {"premises": "rented"} and stored["counter"] == "窗口 7"


def test_reassignment_delivers_the_officers_unsynced_work_and_tells_both(
    server: CaseServer, counters: Callable[..., Counter]
) -> None:
    first = counters("officer1")
    second = counters("officer2")
    case = synced_case(first)
    second.sync()
    first.update(case["id"], counter="窗口 8")  # offline
    first.edit(case["id"], OperationKind.RECORD_PRINT, doc="receipt", copies=1)
    moved = server.client("supervisor1").post(
        f"/cases/{case['id']}/assignment",
        json={"base_version": 1, "assignee": "officer2", "reason": "officer1 下班"},
    )
    assert moved.status_code == 200, moved.text

    first.sync()
    second.sync()

    stored = server.case(case["id"])
    assert stored["assignee"] == "officer2"
    assert stored["counter"] == "窗口 8" and len(stored["prints"]) == 1  # nothing discarded
    assert first.store.stats()["outbox_pending"] == 0
    [told] = [n for n in first.engine.notices() if n.kind == "handover_out"]
    assert told.detail["to"] == "officer2" and "2" in told.text
    [got] = [n for n in second.engine.notices() if n.kind == "handover_in"]
    assert got.case_id == case["id"] and got.detail["from"] == "officer1"
    assert got.detail["operations"] == 2
    assert second.get(case["id"]) == stored
    audit = server.client("supervisor1").get("/audit", params={"action": "case.handover"})
    assert [e["detail"]["to"] for e in audit.json()["events"]] == ["officer2"]
