"""What the officer decides about what sync could not: conflicts, refused operations.

Nothing here drops work on its own: an operation leaves the outbox unacknowledged only by
the officer's explicit choice (keeping the server's values for every member it changed,
or discarding an operation the server refused), and that choice is written to the local
audit trail with who made it.
"""

from __future__ import annotations

from typing import Any

from offline.outbox import REJECTED
from offline.sync.context import SyncContext
from offline.sync.rebase import Choice, resolved_payload


def _row(ctx: SyncContext, key: str, case_id: str | None = None) -> dict[str, Any]:
    rows = (
        ctx.store.outbox_of_case(case_id)
        if case_id is not None
        else [r for r in ctx.store.outbox_rejected() if r["op"]["idempotency_key"] == key]
    )
    for row in rows:
        if row["op"]["idempotency_key"] == key:
            return row
    raise KeyError(f"no operation {key!r} waiting in the outbox")


def resolve_conflict(
    ctx: SyncContext, conflict_id: str, choices: dict[str, Choice], by: str
) -> str:
    """Apply the officer's choice per member; returns "requeued" or "withdrawn"."""
    record = ctx.book.conflicts().get(conflict_id)
    if record is None:
        raise KeyError(f"no open conflict {conflict_id!r}")
    row = _row(ctx, conflict_id, record["case_id"])
    op = ctx.book.effective(row["op"])
    payload = resolved_payload(op, record, choices)
    entry = {
        "actor": by,
        "action": "sync.conflict_resolved",
        "case_id": record["case_id"],
        "detail": {"operation": conflict_id, "choices": {m: _label(c) for m, c in choices.items()}},
    }
    if op.get("kind") == "update_fields" and not payload.get("changes"):
        # The officer kept the server's value of everything this operation changed.
        ctx.store.outbox_ack([conflict_id])
        ctx.book.set_rewrite(conflict_id, None)
        outcome = "withdrawn"
    else:
        ctx.book.set_rewrite(conflict_id, {"base_version": record["rebase_to"], "payload": payload})
        ctx.store.outbox_requeue(conflict_id)
        outcome = "requeued"
    entry["detail"]["outcome"] = outcome
    ctx.store.audit_append([entry])
    ctx.book.drop_conflict(conflict_id)
    server = record["server"]
    if ctx.copies.known.get(record["case_id"]) == ctx.copies.version_of(server):
        ctx.copies.absorb([server], user=by)  # show the choice now (if nothing newer came)
    return outcome


def retry_refused(ctx: SyncContext, key: str) -> None:
    """Send a refused operation again (after what made the server refuse it changed)."""
    if key in ctx.book.conflicts():
        raise ValueError("this operation is in conflict: resolve the conflict instead")
    row = _row(ctx, key)
    if row["status"] != REJECTED:
        raise ValueError(f"operation {key!r} is not refused")
    ctx.store.outbox_requeue(key)


def discard_refused(ctx: SyncContext, key: str, by: str) -> None:
    """The officer gives up an operation the server refused: recorded, then removed."""
    row = _row(ctx, key)
    if row["status"] != REJECTED:
        raise ValueError(f"operation {key!r} was not refused: it is still to be sent")
    op = row["op"]
    ctx.store.audit_append(
        [
            {
                "actor": by,
                "action": "sync.operation_discarded",
                "case_id": op["case_id"],
                "detail": {
                    "operation": key,
                    "kind": op.get("kind", ""),
                    "device_time": op.get("device_time", ""),
                    "reason": row.get("reason", ""),
                },
            }
        ]
    )
    ctx.store.outbox_ack([key])
    ctx.book.set_rewrite(key, None)
    ctx.book.drop_conflict(key)


def _label(choice: Choice) -> str:
    return choice if isinstance(choice, str) else "value"
