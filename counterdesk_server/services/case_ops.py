"""Applying operations to cases: the one path every change to a case takes on the server.

Creates, field updates, transitions, assignments, prints, attachments and department
decisions all arrive as ``counterdesk.domain.cases.Operation`` and are applied with the
shared ``apply_operation``; this module adds what a shared server needs around it:

- **Idempotency.** An applied operation is stored under (centre, idempotency key) with the
  answer it got; the same key again gets that answer, never a second change. Two requests
  racing with one key meet at the unique constraint (or the case's row lock): the loser
  runs its batch again, one savepoint per operation, and answers with the winner's stored
  result. Refused operations are not stored, so a retry after fixing the cause can still
  succeed.
- **Versions.** An operation names the version it was based on; any other current version
  is a 409 carrying the current case, for the counter to merge and retry.
- **Batches.** One transaction per batch (one disk flush for a hundred cases); a refused
  operation leaves its neighbours applied. How a batch runs is in services/case_batch.py.
- **Feed and audit.** Every changed case gets a new feed position at the end of the
  transaction (services/feed.py) and every change an audit line with both documents.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session

from counterdesk.domain.cases import Case, Operation, OperationKind
from counterdesk.domain.cases.department import department_decision
from counterdesk_server.context import ServerContext
from counterdesk_server.services.case_batch import Batch, Outcome, fingerprint
from counterdesk_server.services.errors import Conflict, Forbidden, Invalid, NotFound, ServiceError
from counterdesk_server.services.roles import Principal

__all__ = ["Outcome", "apply_one", "apply_operations", "decision_operation", "fingerprint"]
BATCH_ATTEMPTS = 3  # a deadlock or a busy database aborts a batch: it is run again


def apply_operations(
    ctx: ServerContext,
    actor: Principal,
    operations: Sequence[Operation],
    *,
    training: bool,
    own_cases_only: bool = False,
    also: Callable[[Session, list[Outcome]], None] | None = None,
) -> list[Outcome]:
    """Apply ``operations`` in order, each on its own; one outcome per operation.

    ``own_cases_only``: the actor may only change cases they received or are assigned
    (trainees practising side by side do not touch each other's cases).
    ``also``: more to write in the same transaction, from the outcomes (the board's
    reassignment records its reasons with the moves).
    """
    careful = False
    for attempt in range(BATCH_ATTEMPTS):
        try:
            with ctx.db.writing() as session:
                batch = Batch(ctx, session, actor, training, own_cases_only, careful)
                outcomes = batch.run(operations)
                if also is not None:
                    also(session, outcomes)
            return outcomes
        except IntegrityError:
            if careful:
                raise
            careful = True  # someone else got there first: go one operation at a time
        except OperationalError:
            # Deadlock detected or database busy: nothing was kept; run the batch again.
            if attempt == BATCH_ATTEMPTS - 1:
                raise
    with ctx.db.writing() as session:  # the last word, after repeated interference
        outcomes = Batch(ctx, session, actor, training, own_cases_only, True).run(operations)
        if also is not None:
            also(session, outcomes)
        return outcomes


def apply_one(
    ctx: ServerContext, actor: Principal, operation: Operation, *, training: bool = False
) -> Outcome:
    """One operation, its failure raised as the ServiceError the API answers with."""
    outcome = apply_operations(ctx, actor, [operation], training=training)[0]
    if outcome.ok:
        return outcome
    extra = {"case": outcome.case} if outcome.case is not None else {}
    error = _ERRORS.get(outcome.status, Invalid)(outcome.error or "", outcome.detail, **extra)
    error.status = outcome.status
    raise error


_ERRORS: dict[int, type[ServiceError]] = {
    403: Forbidden,
    404: NotFound,
    409: Conflict,
    422: Invalid,
}


def server_operation(
    kind: OperationKind,
    case: Case,
    actor: Principal,
    now: dt.datetime,
    payload: dict[str, Any],
    key: str,
) -> Operation:
    """An operation the server itself makes for ``actor`` (completed uploads, decisions)."""
    return Operation(
        idempotency_key=key,
        kind=kind,
        case_id=case.id,
        officer=actor.username,
        device_time=now,
        base_version=case.version,
        payload=payload,
    )


def decision_operation(
    case_id: str,
    decided_by: str,
    at: dt.datetime,
    base_version: int,
    approve: bool,
    reason: str,
    key: str | None = None,
) -> Operation:
    """A department's approval or rejection as the shared transition operation (the
    domain's, also made by training mode's sandbox back office)."""
    return department_decision(case_id, decided_by, at, base_version, approve, reason, key)
