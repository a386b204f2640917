"""The outbox: order, acknowledgement, refusal with the server's reason, restarts."""

from __future__ import annotations

import random

import pytest

from tests.offline.sample import case_doc, operation


def fill(store, plan: list[tuple[str, int]]) -> list[dict]:
    """Save one operation per (case id, base version), in order; returns the operations."""
    ops = []
    for case_id, version in plan:
        op = operation(case_id, base_version=version, kind="create" if version == 0 else "update")
        doc = {**case_doc(case_id, random.Random(case_id)), "version": version + 1}
        store.save_batch(cases=[doc], operations=[op])
        ops.append(op)
    return ops


def keys(rows: list[dict]) -> list[str]:
    return [row["op"]["idempotency_key"] for row in rows]


def test_operations_keep_their_order_across_restarts(open_store) -> None:
    store = open_store()
    ops = fill(store, [("a", 0), ("b", 0), ("a", 1), ("c", 0), ("a", 2), ("b", 1)])
    store.close(checkpoint=False)
    store = open_store()
    rows = store.outbox_peek()
    assert keys(rows) == [op["idempotency_key"] for op in ops]
    assert [r["seq"] for r in rows] == sorted(r["seq"] for r in rows)
    assert [r["op"]["base_version"] for r in store.outbox_of_case("a")] == [0, 1, 2]
    assert all(row["op"]["officer"] and row["op"]["device_time"] for row in rows)


def test_only_an_acknowledgement_removes_an_operation(open_store) -> None:
    store = open_store()
    ops = fill(store, [("a", 0), ("b", 0), ("a", 1)])
    assert store.outbox_ack([ops[0]["idempotency_key"], "never-sent"]) == 1
    assert store.outbox_ack([ops[0]["idempotency_key"]]) == 0, "a repeated ack changes nothing"
    store.close(checkpoint=False)
    store = open_store()
    assert keys(store.outbox_peek()) == [ops[1]["idempotency_key"], ops[2]["idempotency_key"]]


def test_a_refused_operation_is_kept_with_the_reason_and_holds_its_case(open_store) -> None:
    store = open_store()
    ops = fill(store, [("a", 0), ("b", 0), ("a", 1), ("b", 1)])
    store.outbox_reject(ops[0]["idempotency_key"], "409: 案件已被其他窗口修改")
    store.close(checkpoint=False)
    store = open_store()
    [refused] = store.outbox_rejected()
    assert refused["op"] == ops[0]
    assert refused["status"] == "rejected" and refused["reason"] == "409: 案件已被其他窗口修改"
    assert refused["rejected_at"]
    # a's later operation was based on the refused one: it waits; b goes on.
    assert keys(store.outbox_peek()) == [ops[1]["idempotency_key"], ops[3]["idempotency_key"]]
    assert store.stats()["outbox_rejected"] == 1
    store.outbox_requeue(ops[0]["idempotency_key"])
    assert keys(store.outbox_peek()) == [op["idempotency_key"] for op in ops]


def test_peek_respects_its_limit(open_store) -> None:
    store = open_store()
    ops = fill(store, [(f"c{n}", 0) for n in range(10)])
    assert keys(store.outbox_peek(limit=3)) == [op["idempotency_key"] for op in ops[:3]]


def test_an_idempotency_key_is_used_once(open_store) -> None:
    store = open_store()
    op = operation("a")
    store.save_batch(operations=[op])
    with pytest.raises(ValueError, match="already in the outbox"):
        store.save_batch(operations=[{**op}])
    with pytest.raises(KeyError):
        store.outbox_reject("unknown-key", "whatever")
