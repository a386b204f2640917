"""Live cases: batches of operations (the counters' sync), reads for the board, and
single-case commands (update, transition, assignment, department decision).

Every command becomes a shared ``Operation`` and takes the same path as a batch
(services/case_ops.py), so idempotency, versions, the state machine and the audit trail
work the same whichever door a change comes in by. Training cases are refused here: they
live under ``/training``.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Response

from counterdesk.domain.cases import CaseState, OperationKind
from counterdesk_server.api.access import (
    Admin,
    LiveReader,
    LiveTransitioner,
    LiveWriter,
    Supervisor,
)
from counterdesk_server.api.case_io import (
    batch_response,
    case_view_response,
    command_operation,
    json_response,
)
from counterdesk_server.api.deps import Ctx
from counterdesk_server.schemas.cases import (
    AssignIn,
    BatchIn,
    BatchOut,
    CaseListOut,
    CaseViewOut,
    DecisionIn,
    TransitionIn,
    UpdateIn,
)
from counterdesk_server.schemas.common import AUTHED, WITH_BODY, errors
from counterdesk_server.services import case_ops, case_views

router = APIRouter(prefix="/cases", tags=["cases"])
CaseId = Annotated[str, Path(min_length=1, max_length=64)]
ONE_CASE = errors(*WITH_BODY, 404, 409)


@router.post("/batch", response_model=BatchOut, responses=errors(*WITH_BODY))
def apply_batch(body: BatchIn, ctx: Ctx, principal: LiveWriter) -> Response:
    """Apply up to 500 operations in order (creates, updates, transitions, prints,
    attachments...). Each has its own outcome and status; a key seen before returns the
    first answer (``replayed``)."""
    outcomes = case_ops.apply_operations(ctx, principal, body.operations, training=False)
    return batch_response(outcomes)


@router.get("", response_model=CaseListOut, responses=errors(*AUTHED))
def list_cases(
    ctx: Ctx,
    principal: LiveReader,
    state: Annotated[list[CaseState] | None, Query()] = None,
    open_only: Annotated[bool, Query(alias="open")] = False,
    assignee: Annotated[str | None, Query(max_length=64)] = None,
    after: Annotated[int, Query(ge=0, le=2**62)] = 0,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> Response:
    """Cases of the centre with their time-limit clocks, oldest first (the board)."""
    views, cursor = case_views.list_cases(
        ctx,
        principal,
        training=False,
        states=[s.value for s in state] if state else None,
        open_only=open_only,
        assignee=assignee,
        after=after,
        limit=limit,
    )
    return json_response(
        {"cases": [{"case": v.case, "clock": v.clock} for v in views], "next": cursor}
    )


@router.get("/{case_id}", response_model=CaseViewOut, responses=errors(*AUTHED, 404))
def get_case(case_id: CaseId, ctx: Ctx, principal: LiveReader) -> Response:
    """One case with its clock. The opening is recorded in the audit trail."""
    view = case_views.view_case(ctx, principal, case_id, training=False)
    return json_response({"case": view.case, "clock": view.clock})


@router.patch("/{case_id}", response_model=CaseViewOut, responses=ONE_CASE)
def update_case(case_id: CaseId, body: UpdateIn, ctx: Ctx, principal: LiveWriter) -> Response:
    """Change editable members, based on ``base_version`` (409 with the current case if it
    moved on)."""
    op = command_operation(
        ctx, principal, OperationKind.UPDATE_FIELDS, case_id, body, {"changes": body.changes}
    )
    outcome = case_ops.apply_one(ctx, principal, op)
    return case_view_response(ctx, principal, outcome.case or {})


@router.post("/{case_id}/transitions", response_model=CaseViewOut, responses=ONE_CASE)
def transition_case(
    case_id: CaseId, body: TransitionIn, ctx: Ctx, principal: LiveTransitioner
) -> Response:
    """Move the case to another state, as the shared state machine allows for the
    caller's role. Acceptance runs the completeness check and fixes the time limits."""
    payload: dict[str, object] = {"to": body.to.value, "reason": body.reason}
    if body.changes:
        payload["changes"] = body.changes
    if body.issuance:
        payload["issuance"] = body.issuance
    op = command_operation(ctx, principal, OperationKind.TRANSITION, case_id, body, payload)
    outcome = case_ops.apply_one(ctx, principal, op)
    return case_view_response(ctx, principal, outcome.case or {})


@router.post("/{case_id}/assignment", response_model=CaseViewOut, responses=ONE_CASE)
def assign_case(case_id: CaseId, body: AssignIn, ctx: Ctx, principal: Supervisor) -> Response:
    """Give the case to another officer, with a reason (supervisors only)."""
    op = command_operation(
        ctx,
        principal,
        OperationKind.ASSIGN,
        case_id,
        body,
        {"assignee": body.assignee, "reason": body.reason},
    )
    outcome = case_ops.apply_one(ctx, principal, op)
    return case_view_response(ctx, principal, outcome.case or {})


@router.post("/{case_id}/decision", response_model=CaseViewOut, responses=ONE_CASE)
def decide_case(case_id: CaseId, body: DecisionIn, ctx: Ctx, principal: Admin) -> Response:
    """A department's decision (approve or reject) recorded by a back-office account;
    ``counterdesk-server decide`` does the same from a script."""
    op = case_ops.decision_operation(
        case_id,
        principal.username,
        body.device_time or ctx.clock.now(),
        body.base_version,
        body.approve,
        body.reason,
        body.idempotency_key,
    )
    outcome = case_ops.apply_one(ctx, principal, op)
    return case_view_response(ctx, principal, outcome.case or {})
