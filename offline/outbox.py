"""The outbox: operations not yet acknowledged by the server, in the order they were made.

Each operation is kept in a row with a global sequence number (so the operations of one
case keep their order, and so do all of them), a status and, once the server refused it,
the server's reason. A row goes away only when the server acknowledged the operation; a
refused one stays, and holds back the later operations of its case, which were based on
it, until it is sent again.

These functions build journal changes and read views; the store commits them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from offline.copying import copy_json
from offline.working_set import WorkingSet, outbox_row_key

PENDING = "pending"
REJECTED = "rejected"
_REQUIRED: dict[str, type | tuple[type, ...]] = {
    "idempotency_key": str,
    "case_id": str,
    "officer": str,
    "device_time": str,
    "base_version": int,
    "kind": str,
}


def check_operation(op: Any) -> None:
    """Raises ValueError naming what an operation lacks."""
    if not isinstance(op, Mapping):
        raise ValueError("an operation must be a JSON object")
    for name, kind in _REQUIRED.items():
        value = op.get(name)
        if not isinstance(value, kind) or isinstance(value, bool) or value == "":
            raise ValueError(f"operation {op.get('idempotency_key')!r}: {name} is missing or wrong")


def new_rows(
    ws: WorkingSet, operations: Iterable[Mapping[str, Any]]
) -> tuple[list[list[Any]], list[int]]:
    """Changes adding ``operations`` to the outbox, and their sequence numbers."""
    changes: list[list[Any]] = []
    seqs: list[int] = []
    seq = int(ws.meta("outbox_next_seq", 1))
    seen: set[str] = set()
    for op in operations:
        check_operation(op)
        key = op["idempotency_key"]
        if key in seen or key in ws.outbox_by_key:
            raise ValueError(f"operation {key!r} is already in the outbox")
        seen.add(key)
        row = {"seq": seq, "status": PENDING, "reason": "", "rejected_at": "", "op": op}
        changes.append(["outbox", outbox_row_key(seq), row])
        seqs.append(seq)
        seq += 1
    if seqs:
        changes.append(["meta", "outbox_next_seq", seq])
    return changes, seqs


def _row_of(ws: WorkingSet, idempotency_key: str) -> tuple[str, dict[str, Any]]:
    key = ws.outbox_by_key.get(idempotency_key)
    if key is None:
        raise KeyError(f"no operation {idempotency_key!r} in the outbox")
    return key, ws.tables["outbox"][key]


def peek(ws: WorkingSet, limit: int) -> list[dict[str, Any]]:
    """The next pending rows to send, oldest first, skipping cases held by a refusal."""
    held: set[str] = set()
    found = []
    for row in ws.tables["outbox"].values():
        case_id = row["op"]["case_id"]
        if row["status"] == REJECTED:
            held.add(case_id)
        elif case_id not in held:
            found.append(copy_json(row))
            if len(found) >= limit:
                break
    return found


def rejected(ws: WorkingSet) -> list[dict[str, Any]]:
    return [copy_json(r) for r in ws.tables["outbox"].values() if r["status"] == REJECTED]


def of_case(ws: WorkingSet, case_id: str) -> list[dict[str, Any]]:
    rows = ws.tables["outbox"]
    return [copy_json(rows[key]) for key in ws.outbox_by_case.get(case_id, {})]


def ack_changes(ws: WorkingSet, idempotency_keys: Iterable[str]) -> list[list[Any]]:
    """Removal of acknowledged operations; keys already gone are ignored (acks repeat)."""
    changes: list[list[Any]] = []
    for idempotency_key in dict.fromkeys(idempotency_keys):
        key = ws.outbox_by_key.get(idempotency_key)
        if key is not None:
            changes.append(["outbox", key, None])
    return changes


def reject_change(ws: WorkingSet, idempotency_key: str, reason: str, at: str) -> list[Any]:
    key, row = _row_of(ws, idempotency_key)
    return ["outbox", key, {**row, "status": REJECTED, "reason": reason, "rejected_at": at}]


def requeue_change(ws: WorkingSet, idempotency_key: str) -> list[Any]:
    key, row = _row_of(ws, idempotency_key)
    return ["outbox", key, {**row, "status": PENDING}]


def counts(ws: WorkingSet) -> dict[str, int]:
    rows = ws.tables["outbox"].values()
    refused = sum(1 for r in rows if r["status"] == REJECTED)
    return {"pending": len(ws.tables["outbox"]) - refused, "rejected": refused}
