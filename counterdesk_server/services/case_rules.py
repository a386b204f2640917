"""The server's own rules around the shared operations: what only the authority can check.

The domain decides whether an operation is valid on a case (schema, state machine, the
actor's role). The server adds what needs the centre's data or its authority: a case is
created in its first state by the person sending it; training and live cases never mix;
an assignee is an active colleague; an official number was leased by this centre and is
never changed once given; and, when the centre has published a catalogue that knows the
case's item, acceptance requires the shared completeness check to agree, and fixes the
time limits with the shared working-day calendar.
"""

from __future__ import annotations

from typing import Any

from counterdesk.domain.cases import TRANSITIONS, Case, CaseState, Operation, OperationKind, Role
from counterdesk.domain.cases.limits import acceptance_limits
from counterdesk.domain.checklist import RequestError, evaluate
from counterdesk.domain.clock import CHINA_TZ
from counterdesk_server.services.catalogues import CurrentCatalogue
from counterdesk_server.services.errors import Invalid
from counterdesk_server.services.roles import Principal

ACCEPTING = frozenset({CaseState.ACCEPTED, CaseState.ACCEPTED_DEFERRAL})
LIVE_ASSIGNEES = frozenset({Role.OFFICER, Role.SUPERVISOR})
TRAINING_ASSIGNEES = frozenset({Role.OFFICER, Role.SUPERVISOR, Role.TRAINEE})


def prepare_create(op: Operation, actor: Principal, training: bool) -> Operation:
    """The create operation with the server's defaults filled in, or Invalid."""
    payload = dict(op.payload)
    if payload.get("training", False) is not training:
        raise Invalid(
            "练习办件只能走 /training 接口 / training cases go through /training routes only"
            if payload.get("training")
            else "练习接口只接受练习办件 / the training routes take training cases only "
            '("training": true)'
        )
    if payload.get("state", CaseState.RECEIVED.value) != CaseState.RECEIVED.value:
        raise Invalid('a new case starts in state "received"; later states come by transitions')
    for key in ("received_by", "assignee"):
        payload.setdefault(key, actor.username)
        payload[key] = payload[key] or actor.username
    if payload["received_by"] != actor.username:
        raise Invalid(f"received_by must be the signed-in user {actor.username}")
    if payload["assignee"] != actor.username and actor.role is not Role.SUPERVISOR:
        raise Invalid("only a supervisor may create a case assigned to someone else")
    payload["centre"] = payload.get("centre") or actor.centre_code
    if payload["centre"] != actor.centre_code:
        raise Invalid(f"this case names centre {payload['centre']}, not {actor.centre_code}")
    return op.model_copy(update={"payload": payload})


def is_role_denial(case: Case | None, op: Operation, role: Role) -> bool:
    """True when the shared transition table names the move but not the actor's role."""
    if op.kind is not OperationKind.TRANSITION or case is None:
        return False
    try:
        to = CaseState(str(op.payload.get("to")))
    except ValueError:
        return False
    allowed = TRANSITIONS.get((case.state, to))
    return allowed is not None and role not in allowed


def acceptance_changes(
    current: CurrentCatalogue | None, trial: Case, op: Operation
) -> dict[str, Any] | None:
    """Members to add to a transition into acceptance: the check's answer and the limits.

    None when there is nothing to add: not an acceptance, or no published catalogue knows
    the item (a counter may run a newer catalogue than the centre published; its own
    check then stands).
    """
    if op.kind is not OperationKind.TRANSITION or trial.state not in ACCEPTING:
        return None
    target = current.catalogue.target(trial.target.code) if current else None
    if current is None or target is None:
        return None
    catalogue = current.catalogue
    presented = {
        material: {"original": got.original, "copies": got.copies}
        for material, got in trial.received.items()
        if material in catalogue.materials
    }
    facts = {key: value for key, value in trial.facts.items() if value is not None}
    accepted_on = op.device_time.astimezone(CHINA_TZ).date()
    try:
        result = evaluate(
            catalogue, trial.target.code, facts, presented, trial.sharing, accepted_on
        )
    except RequestError as exc:
        raise Invalid(f"completeness check: {exc}") from exc
    answer = result.to_json()
    if trial.state is CaseState.ACCEPTED and result.outcome != "complete":
        names = ", ".join(s.material for s in (*result.missing, *result.deferred))
        raise Invalid(
            f"材料不齐，不能受理 / materials are not complete, cannot accept: {names}",
            detail=answer,
        )
    if result.outcome == "incomplete":
        names = ", ".join(s.material for s in result.missing)
        raise Invalid(
            f"必要材料不齐，不能容缺受理 / required materials missing: {names}", detail=answer
        )
    changes: dict[str, Any] = {}
    if "check" not in (op.payload.get("changes") or {}):
        changes["check"] = answer
    if trial.limits is None:
        changes["limits"] = acceptance_limits(catalogue, target, result, accepted_on)
    return changes or None


def with_changes(op: Operation, changes: dict[str, Any]) -> Operation:
    payload = dict(op.payload)
    payload["changes"] = {**(payload.get("changes") or {}), **changes}
    return op.model_copy(update={"payload": payload})
