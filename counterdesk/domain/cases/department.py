"""The department's decision on an accepted case (后台审批): approve or reject with its text,
as the shared ``transition`` operation.

Written once: the server's decision route and ``counterdesk-server decide`` send it for a
back office, and training mode's sandbox back office makes the same operation so that a
trainee can practise handing over a result. Which moves the department may make is the
state machine's (``allowed_targets`` with ``Role.DEPARTMENT``).
"""

from __future__ import annotations

import datetime as dt
import uuid

from counterdesk.domain.cases.operations import Operation, OperationKind
from counterdesk.domain.cases.states import CaseState, Role, allowed_targets


def department_path(state: CaseState, approve: bool) -> list[CaseState]:
    """The department's moves from ``state`` to its decision: straight from accepted or
    under review; through review first where the state machine asks it (accepted with
    deferral). Empty when the department cannot decide the case now."""
    final = CaseState.APPROVED if approve else CaseState.REJECTED
    if final in allowed_targets(state, Role.DEPARTMENT):
        return [final]
    review = CaseState.UNDER_REVIEW
    if review in allowed_targets(state, Role.DEPARTMENT) and final in allowed_targets(
        review, Role.DEPARTMENT
    ):
        return [review, final]
    return []


def department_decision(
    case_id: str,
    decided_by: str,
    at: dt.datetime,
    base_version: int,
    approve: bool,
    text: str,
    key: str | None = None,
) -> Operation:
    """Approval or rejection with its text (the reason a rejection needs), recorded as the
    case's ``department_result``."""
    to = CaseState.APPROVED if approve else CaseState.REJECTED
    return Operation(
        idempotency_key=key or str(uuid.uuid4()),
        kind=OperationKind.TRANSITION,
        case_id=case_id,
        officer=decided_by,
        device_time=at,
        base_version=base_version,
        payload={
            "to": to.value,
            "reason": text,
            "department_result": {
                "approved": approve,
                "text": text,
                "decided_at": at.isoformat(),
                "decided_by": decided_by,
            },
        },
    )


def review_operation(
    case_id: str, decided_by: str, at: dt.datetime, base_version: int, key: str | None = None
) -> Operation:
    """The department takes the case under review (部门审查)."""
    return Operation(
        idempotency_key=key or str(uuid.uuid4()),
        kind=OperationKind.TRANSITION,
        case_id=case_id,
        officer=decided_by,
        device_time=at,
        base_version=base_version,
        payload={"to": CaseState.UNDER_REVIEW.value, "reason": ""},
    )
