"""When the server moved on under the counter's unsynced operations (a 409): rebase them
onto the server's version, or stop at the first one that would overwrite a change made on
the server, and hand that one to the officer as a conflict.

The operations of a case form a chain, each made on the version the previous one left.
Against the base (the server version the first one was made on, fetched from the server)
and the server's current version, each operation's member edits are checked in turn:

- an edit of a member the server did not change since the base, or changed to the same
  value, is carried over: the operation gets the new base version;
- an edit of a member the server changed differently is a conflict: that operation is
  held (refused locally with the reason, which holds back the rest of the chain) and a
  conflict record lists, per member, the base, ours and theirs;
- operations without member edits (prints, attachments, transitions, assignments) carry
  over; the server then checks them against its current state, which it owns.

The rebased operation keeps its idempotency key: a 409 means the server did not store it,
and the rebased form is saved before it is sent, so a retry sends the same thing.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from offline.merge import MemberConflict, apply_changes, merge3
from offline.store import Store
from offline.sync.config import Doc
from offline.sync.records import SyncBook
from offline.sync.transport import Transport

log = logging.getLogger(__name__)

CONFLICT_REASON = (
    "与服务器上的修改冲突，请选择保留哪一方 / changed on the server too ({members}): "
    "choose which to keep"
)


@dataclass
class RebasePlan:
    # key -> (new base version, new payload or None when the payload stays as it is)
    rewrites: list[tuple[str, int, dict[str, Any] | None]] = field(default_factory=list)
    conflict_key: str | None = None
    conflicts: dict[str, MemberConflict] = field(default_factory=dict)
    rebase_to: int = 0  # the base version the conflicting operation would get


def changes_of(op: Doc) -> dict[str, Any]:
    changes = (op.get("payload") or {}).get("changes")
    return dict(changes) if isinstance(changes, dict) else {}


def plan_rebase(
    chain: Sequence[Doc], base: Doc | None, server: Doc, version_member: str = "version"
) -> RebasePlan:
    """Rebase ``chain`` (effective operations in order) from ``base`` onto ``server``.

    Each operation's edits are merged three ways (merge3) over the members it names: a
    member it names but did not actually change (same value as the base) takes the
    server's value, so a form saved whole never undoes a colleague's edit.
    """
    plan = RebasePlan()
    version = int(server.get(version_member, 0))
    theirs: Doc = dict(server)
    ours_base: Doc | None = dict(base) if base is not None else None
    for index, op in enumerate(chain):
        changes = changes_of(op)
        payload = op.get("payload")
        if changes:
            ours = apply_changes(ours_base if ours_base is not None else theirs, changes)
            merged = merge3(ours_base, ours, theirs, mergeable=changes)
            if merged.conflicts:
                plan.conflict_key = op["idempotency_key"]
                plan.conflicts = merged.conflicts
                plan.rebase_to = version + index
                return plan
            rebased = {m: merged.document.get(m, v) for m, v in changes.items()}
            if rebased != changes:
                payload = {**(payload or {}), "changes": rebased}
        else:
            rebased = changes
        new_payload = payload if payload != op.get("payload") else None
        if op.get("base_version") != version + index or new_payload is not None:
            plan.rewrites.append((op["idempotency_key"], version + index, new_payload))
        # The server will hold the rebased values; the officer made the next operation on
        # the original ones.
        theirs = apply_changes(theirs, rebased)
        if ours_base is not None:
            ours_base = apply_changes(ours_base, changes)
    return plan


def fetch_base(transport: Transport, case_id: str, version: int) -> Doc | None:
    """The server's copy of ``case_id`` as it was at ``version``; None when it cannot say
    (then every member the two sides disagree on is a conflict: never a silent choice)."""
    if version < 1:
        return None
    answer = transport.call("GET", f"/cases/{case_id}/versions/{version}")
    if answer.status_code != 200:
        log.warning(
            "no base version %d of %s (%s): differences become conflicts",
            version,
            case_id,
            answer.status_code,
        )
        return None
    found = transport.expect_json(answer, "case")["case"]
    return found if isinstance(found, dict) else None


def record_conflict(
    store: Store,
    book: SyncBook,
    plan: RebasePlan,
    case_id: str,
    op: Doc,
    server: Doc,
    detected_at: str,
) -> dict[str, Any]:
    """Hold the conflicting operation (with the reason) and keep the conflict's record."""
    assert plan.conflict_key is not None
    record = {
        "id": plan.conflict_key,
        "case_id": case_id,
        "kind": op.get("kind", ""),
        "officer": op.get("officer", ""),
        "device_time": op.get("device_time", ""),
        "detected_at": detected_at,
        "members": {m: c.to_json() for m, c in plan.conflicts.items()},
        "rebase_to": plan.rebase_to,
        "server": server,
    }
    book.put_conflict(record)
    reason = CONFLICT_REASON.format(members=", ".join(plan.conflicts))
    store.outbox_reject(plan.conflict_key, reason)
    return record


Choice = str | dict[str, Any]  # "ours", "theirs", or {"value": ...}


def resolved_payload(op: Doc, record: dict[str, Any], choices: dict[str, Choice]) -> dict[str, Any]:
    """The operation's payload once the officer chose, member by member."""
    members = record["members"]
    missing = sorted(set(members) - set(choices))
    if missing:
        raise ValueError(f"choose ours or theirs for every member in conflict: {missing}")
    changes = changes_of(op)
    for member, choice in choices.items():
        if member not in members:
            raise ValueError(f"{member} is not in conflict")
        if choice == "ours":
            continue
        if choice == "theirs":
            changes.pop(member, None)
        elif isinstance(choice, dict) and "value" in choice:
            changes[member] = choice["value"]
        else:
            raise ValueError(f"choice for {member} must be 'ours', 'theirs' or {{'value': ...}}")
    payload = dict(op.get("payload") or {})
    if changes:
        payload["changes"] = changes
    else:
        payload.pop("changes", None)
    return payload
