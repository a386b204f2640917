"""The audit trail: append-only, hash-chained, tamper-evident, rolled out by month."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from offline import AuditChainBroken
from offline.audit import GENESIS, chain, entry_hash, verify
from offline.working_set import WorkingSet


class Clock:
    def __init__(self, now: dt.datetime) -> None:
        self.now = now

    def __call__(self) -> dt.datetime:
        return self.now


def test_entries_are_chained(open_store) -> None:
    store = open_store()
    store.audit_append([{"actor": "a", "action": "login"}, {"actor": "a", "action": "logout"}])
    first, second = store.audit_entries()
    assert first["prev"] == GENESIS and second["prev"] == first["hash"]
    assert second["hash"] == entry_hash(second)
    assert store.audit_verify() == 2
    assert [e["seq"] for e in store.audit_entries(since_seq=1)] == [2]


@pytest.mark.parametrize("change", ["edit", "drop", "swap"])
def test_any_change_to_the_trail_is_detected(change: str) -> None:
    ws = WorkingSet(())
    changes, _ = chain(ws, [{"actor": "a", "action": f"x{n}"} for n in range(5)], "t")
    entries = [json.loads(json.dumps(c[2])) for c in changes if c[0] == "audit"]
    assert verify(entries) == 5
    if change == "edit":
        entries[2]["actor"] = "someone else"
    elif change == "drop":
        del entries[2]
    else:
        entries[1], entries[2] = entries[2], entries[1]
    with pytest.raises(AuditChainBroken):
        verify(entries)


def test_a_trail_cut_short_at_the_end_is_detected(open_store) -> None:
    store = open_store()
    store.audit_append([{"actor": "a", "action": f"x{n}"} for n in range(3)])
    head = {"seq": 3, "hash": store.audit_entries()[-1]["hash"]}
    with pytest.raises(AuditChainBroken, match="ends at entry 2"):
        verify(store.audit_entries()[:2], head)


def test_past_months_move_to_partitions_and_the_chain_holds(open_store, folder) -> None:
    clock = Clock(dt.datetime(2026, 10, 30, 9, tzinfo=dt.UTC))
    store = open_store(now=clock)
    store.audit_append([{"actor": "a", "action": "october"}])
    clock.now = dt.datetime(2026, 11, 2, 9, tzinfo=dt.UTC)
    store.audit_append([{"actor": "a", "action": "november"}])
    store.checkpoint()
    assert (folder / "audit-2026-10.db").exists()
    assert store.stats()["audit_recent"] == 1
    store.close()
    store = open_store(now=clock)
    assert [e["action"] for e in store.audit_entries()] == ["october", "november"]
    assert store.audit_verify() == 2
