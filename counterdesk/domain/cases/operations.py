"""The operations a counter sends (create, update fields, transition, assign, record a
print, attach), and the one function that applies them to a case.

The counter applies an operation locally and queues it; the server applies the very same
operation to its copy when it arrives. Applying is pure: it returns a new Case and never
touches the one it was given.
"""

from __future__ import annotations

import datetime as dt
import uuid
from enum import StrEnum
from typing import Any

from pydantic import Field, ValidationError

from counterdesk.domain.cases.deferral import termination_problem
from counterdesk.domain.cases.document import (
    EDITABLE,
    Agent,
    Applicant,
    AttachmentRef,
    Case,
    DepartmentResult,
    Issuance,
    PrintRecord,
    Strict,
    TimelineEntry,
)
from counterdesk.domain.cases.issuance import issuance_problem
from counterdesk.domain.cases.states import CaseState, Role, TransitionError, check_transition
from counterdesk.domain.cases.unlisted import is_unlisted, unlisted_problem


class OperationKind(StrEnum):
    CREATE = "create"
    UPDATE_FIELDS = "update_fields"
    TRANSITION = "transition"
    ASSIGN = "assign"
    RECORD_PRINT = "record_print"
    ATTACH = "attach"


class Operation(Strict):
    idempotency_key: str = Field(min_length=8)
    kind: OperationKind
    case_id: str = Field(min_length=1)
    officer: str = Field(min_length=1)
    device_time: dt.datetime
    base_version: int = Field(ge=0)  # 0 for a create
    payload: dict[str, Any] = {}

    def to_json(self) -> dict[str, object]:
        return self.model_dump(mode="json")


class OperationError(ValueError):
    """An operation that cannot be applied, with a reason fit to show the officer."""


def new_operation(
    kind: OperationKind,
    case_id: str,
    officer: str,
    device_time: dt.datetime,
    base_version: int,
    payload: dict[str, Any] | None = None,
) -> Operation:
    return Operation(
        idempotency_key=str(uuid.uuid4()),
        kind=kind,
        case_id=case_id,
        officer=officer,
        device_time=device_time,
        base_version=base_version,
        payload=payload or {},
    )


def apply_operation(case: Case | None, op: Operation, role: Role) -> Case:
    """Return the case after ``op`` done by someone with ``role``; raise OperationError.

    The version check (``base_version``) is the caller's: the server answers a stale one
    with 409, while the counter's own queue is always based on its latest copy.
    """
    try:
        if op.kind is OperationKind.CREATE:
            return _create(case, op)
        if case is None:
            raise OperationError(f"办件 {op.case_id} 不存在 / case {op.case_id} does not exist")
        if case.id != op.case_id:
            raise OperationError("operation is for another case")
        doc = case.to_json()
        _APPLIERS[op.kind](doc, op, role)
        doc["version"] = case.version + 1
        doc["updated_at"] = op.device_time.isoformat()
        return _fitting(Case.model_validate(doc))
    except ValidationError as exc:
        raise OperationError(_first_problem(exc)) from exc
    except TransitionError as exc:
        raise OperationError(str(exc)) from exc


def _create(case: Case | None, op: Operation) -> Case:
    if case is not None:
        raise OperationError(f"办件 {op.case_id} 已存在 / case {op.case_id} already exists")
    created = Case.model_validate(op.payload)
    if created.id != op.case_id:
        raise OperationError("the created case's id differs from the operation's case_id")
    if created.version != 1 or created.timeline:
        # A new case starts at version 1 with its first timeline entry written here.
        created = created.model_copy(update={"version": 1, "timeline": []})
    entry = TimelineEntry(state_from=None, state_to=created.state, by=op.officer, at=op.device_time)
    return _fitting(
        created.model_copy(update={"timeline": [entry], "updated_at": op.device_time}),
        created=True,
    )


def _fitting(case: Case, *, created: bool = False) -> Case:
    """The case, unless it is a matter no item covers holding what only an item gives."""
    problem = unlisted_problem(case, created=created)
    if problem:
        raise OperationError(problem)
    return case


def _update_fields(doc: dict[str, Any], op: Operation, role: Role) -> None:
    changes = op.payload.get("changes")
    if not isinstance(changes, dict) or not changes:
        raise OperationError("update_fields needs a non-empty 'changes' object")
    _merge_changes(doc, changes)


def _merge_changes(doc: dict[str, Any], changes: dict[str, Any]) -> None:
    forbidden = sorted(set(changes) - EDITABLE)
    if forbidden:
        raise OperationError(
            f"这些内容不能直接修改 / these members cannot be edited directly: {', '.join(forbidden)}"
        )
    doc.update(changes)


def _transition(doc: dict[str, Any], op: Operation, role: Role) -> None:
    try:
        to = CaseState(str(op.payload.get("to")))
    except ValueError as exc:
        raise OperationError(f"unknown state {op.payload.get('to')!r}") from exc
    reason = str(op.payload.get("reason") or "")
    state = CaseState(doc["state"])
    check_transition(state, to, role, reason, unlisted=is_unlisted(doc.get("target")))
    if isinstance(op.payload.get("changes"), dict):
        _merge_changes(doc, op.payload["changes"])
    if "department_result" in op.payload:
        doc["department_result"] = DepartmentResult.model_validate(
            op.payload["department_result"]
        ).model_dump(mode="json")
    if "issuance" in op.payload:
        doc["issuance"] = Issuance.model_validate(op.payload["issuance"]).model_dump(mode="json")
    if to is CaseState.DELIVERED:
        _check_delivery(doc, op.device_time.date())
    if to is CaseState.TERMINATED:
        decision = doc.get("decision") or {}
        due = dt.date.fromisoformat(decision["due"]) if decision.get("due") else None
        problem = termination_problem(state, due, op.device_time.date())
        if problem:
            raise OperationError(problem)
    entry = TimelineEntry(
        state_from=state, state_to=to, by=op.officer, at=op.device_time, reason=reason
    )
    doc["state"] = to.value
    doc["timeline"] = [*doc["timeline"], entry.model_dump(mode="json")]


def _check_delivery(doc: dict[str, Any], on: dt.date) -> None:
    """A delivery names who took the result (checked against the case) or how it was mailed."""
    if doc.get("issuance") is None:
        raise OperationError("出件须记录领取或邮寄信息 / delivery needs the issuance record")
    agent = Agent.model_validate(doc["agent"]) if doc.get("agent") else None
    problem = issuance_problem(
        Applicant.model_validate(doc["applicant"]),
        agent,
        Issuance.model_validate(doc["issuance"]),
        on,
    )
    if problem:
        raise OperationError(problem)


def _assign(doc: dict[str, Any], op: Operation, role: Role) -> None:
    if role not in (Role.SUPERVISOR, Role.ADMIN):
        raise OperationError(
            f"只有值班长可以改派 / only a supervisor may reassign (role {role.value})"
        )
    assignee = str(op.payload.get("assignee") or "").strip()
    reason = str(op.payload.get("reason") or "").strip()
    if not assignee:
        raise OperationError("改派须指定承办人 / reassignment needs an assignee")
    if not reason:
        raise OperationError("改派须填写理由 / reassignment needs a reason")
    doc["assignee"] = assignee


def _record_print(doc: dict[str, Any], op: Operation, role: Role) -> None:
    record = PrintRecord.model_validate({"at": op.device_time, "by": op.officer, **op.payload})
    doc["prints"] = [*doc["prints"], record.model_dump(mode="json")]


def _attach(doc: dict[str, Any], op: Operation, role: Role) -> None:
    ref = AttachmentRef.model_validate(op.payload.get("attachment"))
    if any(existing["id"] == ref.id for existing in doc["attachments"]):
        return  # attaching twice is the same as once
    doc["attachments"] = [*doc["attachments"], ref.model_dump(mode="json")]


_APPLIERS = {
    OperationKind.UPDATE_FIELDS: _update_fields,
    OperationKind.TRANSITION: _transition,
    OperationKind.ASSIGN: _assign,
    OperationKind.RECORD_PRINT: _record_print,
    OperationKind.ATTACH: _attach,
}


def _first_problem(exc: ValidationError) -> str:
    err = exc.errors()[0]
    where = ".".join(str(part) for part in err["loc"]) or "case"
    return f"{where}: {err['msg']}"


def operation_json_schema() -> dict[str, object]:
    return Operation.model_json_schema()
