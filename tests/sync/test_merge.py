"""The field-level three-way merge and the rebase of an operation chain (unit tests: pure
functions, no server)."""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from offline.merge import MISSING, changed_members, merge3
from offline.sync.rebase import plan_rebase, resolved_payload

BASE = {
    "id": "c1",
    "version": 3,
    "state": "received",
    "applicant": {"name": "王小明"},
    "counter": "1",
}


def test_each_side_keeps_what_only_it_changed() -> None:
    ours = {**BASE, "counter": "9"}
    theirs = {**BASE, "applicant": {"name": "王晓明"}, "version": 4}
    merged = merge3(BASE, ours, theirs)
    assert merged.clean
    assert merged.document == {
        **BASE,
        "counter": "9",
        "applicant": {"name": "王晓明"},
        "version": 4,
    }


def test_the_same_member_changed_differently_is_a_conflict_that_keeps_ours() -> None:
    ours = {**BASE, "counter": "9"}
    theirs = {**BASE, "counter": "5"}
    merged = merge3(BASE, ours, theirs)
    assert merged.document["counter"] == "9"
    conflict = merged.conflicts["counter"]
    assert (conflict.base, conflict.ours, conflict.theirs) == ("1", "9", "5")
    assert merge3(BASE, ours, {**BASE, "counter": "9"}).clean  # same change: no conflict


def test_server_owned_and_bookkeeping_members_take_the_servers_value() -> None:
    ours = {**BASE, "state": "withdrawn", "version": 5, "counter": "9"}
    theirs = {**BASE, "state": "refused", "version": 4}
    merged = merge3(BASE, ours, theirs, server_owned={"state"}, mergeable={"counter"})
    assert merged.clean
    assert merged.document["state"] == "refused" and merged.document["version"] == 4
    assert merged.document["counter"] == "9"


def test_an_unknown_base_makes_every_disagreement_a_conflict() -> None:
    merged = merge3(None, {**BASE, "counter": "9"}, BASE)
    assert set(merged.conflicts) == {"counter"}
    assert merged.conflicts["counter"].base is MISSING
    assert merged.conflicts["counter"].to_json()["base_known"] is False


def test_members_added_and_removed() -> None:
    ours = {**BASE, "agent": {"name": "李四"}}
    theirs = {k: v for k, v in BASE.items() if k != "counter"}
    merged = merge3(BASE, ours, theirs)
    assert merged.clean and "counter" not in merged.document
    assert merged.document["agent"] == {"name": "李四"}
    assert changed_members(BASE, theirs) == {"counter"}


values = st.one_of(st.none(), st.integers(0, 3), st.text("甲乙", max_size=2))
docs = st.dictionaries(st.sampled_from(["a", "b", "c", "d"]), values, max_size=4)


@given(docs, docs)
def test_nothing_changed_on_our_side_gives_the_servers_document(base: Any, theirs: Any) -> None:
    merged = merge3(base, base, theirs)
    assert merged.clean and merged.document == theirs


@given(docs, docs)
def test_nothing_changed_on_the_server_gives_ours(base: Any, ours: Any) -> None:
    merged = merge3(base, ours, base)
    assert merged.clean and merged.document == ours


@given(docs, docs, docs)
def test_conflicts_are_exactly_the_members_both_sides_changed_differently(
    base: Any, ours: Any, theirs: Any
) -> None:
    merged = merge3(base, ours, theirs)
    both = changed_members(base, ours) & changed_members(base, theirs)
    expected = {m for m in both if ours.get(m, MISSING) != theirs.get(m, MISSING)}
    assert set(merged.conflicts) == expected
    for member, value in merged.document.items():
        if member not in expected:
            assert value in (ours.get(member), theirs.get(member))


def op(key: str, base_version: int, **changes: Any) -> dict[str, Any]:
    return {
        "idempotency_key": key,
        "kind": "update_fields",
        "base_version": base_version,
        "payload": {"changes": changes},
    }


def test_a_chain_rebases_onto_the_servers_version() -> None:
    server = {**BASE, "version": 7, "applicant": {"name": "王晓明"}}
    plan = plan_rebase([op("k1", 3, counter="9"), op("k2", 4, counter="8")], BASE, server)
    assert plan.conflict_key is None
    assert plan.rewrites == [("k1", 7, None), ("k2", 8, None)]


def test_a_member_named_but_not_changed_takes_the_servers_value() -> None:
    server = {**BASE, "version": 4, "applicant": {"name": "王晓明"}}
    plan = plan_rebase([op("k1", 3, applicant={"name": "王小明"}, counter="9")], BASE, server)
    [(key, version, payload)] = plan.rewrites
    assert (key, version) == ("k1", 4)
    assert payload == {"changes": {"applicant": {"name": "王晓明"}, "counter": "9"}}


def test_the_chain_stops_at_the_first_conflict() -> None:
    server = {**BASE, "version": 5, "counter": "5"}
    chain = [op("k1", 3, applicant={"name": "赵六"}), op("k2", 4, counter="9"), op("k3", 5)]
    plan = plan_rebase(chain, BASE, server)
    assert plan.rewrites == [("k1", 5, None)]
    assert plan.conflict_key == "k2" and plan.rebase_to == 6
    assert set(plan.conflicts) == {"counter"}


def test_a_later_edit_is_judged_against_what_the_officer_saw() -> None:
    # k1 names `counter` unchanged (the server's edit stands); k2 then really changes it.
    server = {**BASE, "version": 4, "counter": "5"}
    plan = plan_rebase([op("k1", 3, counter="1"), op("k2", 4, counter="2")], BASE, server)
    assert plan.conflict_key == "k2" and plan.conflicts["counter"].theirs == "5"


def test_resolving_member_by_member() -> None:
    record: dict[str, Any] = {"members": {"counter": {}, "applicant": {}}}
    payload = {"changes": {"counter": "9", "applicant": {"name": "甲"}, "agent": None}}
    resolved = resolved_payload(
        {"payload": payload}, record, {"counter": "theirs", "applicant": {"value": {"name": "乙"}}}
    )
    assert resolved == {"changes": {"applicant": {"name": "乙"}, "agent": None}}
    try:
        resolved_payload({"payload": payload}, record, {"counter": "ours"})
    except ValueError as exc:
        assert "applicant" in str(exc)
    else:
        raise AssertionError("every member in conflict needs a choice")
