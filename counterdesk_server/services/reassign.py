"""Reassignment from the supervisor board: planning a spread, moving cases with a reason,
and the notices the officers concerned read at their next sync.

- **Plan.** The cases to move (a selection, or every open case of an absent officer) are
  spread over the officers chosen by the shared rule (``domain.supervision.spread``), on
  their open cases now; nothing changes yet, the supervisor sees the plan first.
- **Move.** Each move is the shared ``assign`` operation (supervisors and admins only, with
  a reason, to an active colleague), applied through the one path every change takes
  (services/case_ops.py): idempotent, versioned, in the feed and the audit trail. In the
  same transaction a ``case.reassign`` audit line records who moved the case, from whom,
  to whom and why. A move names the officer the supervisor saw holding the case: if it
  changed hands meanwhile the move is refused (409) rather than silently overriding a
  colleague. Each move's key is derived from the request's, so a request sent again after
  a lost answer moves nothing twice.
- **Notices.** The ``case.reassign`` lines are the notices: the previous and the new
  officer read those naming them (``GET /notices``), with the reason. The previous
  officer's unsynced work on the case is still delivered and handed over by the sync
  (docs/sync.md, "Reassignment hands work over").
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from counterdesk.domain.cases import OPEN_STATES, Operation, OperationKind
from counterdesk.domain.cases.timelimit import read_document_clock
from counterdesk.domain.supervision import Movable, is_at_risk, spread, urgency
from counterdesk_server.context import ServerContext
from counterdesk_server.db.models import AuditEvent, CaseRecord, OperationRecord
from counterdesk_server.schemas.board import (
    MoveOut,
    NoticeOut,
    PlannedMove,
    PlanOut,
    ReassignOut,
)
from counterdesk_server.services import audit, case_ops, case_rules, users
from counterdesk_server.services.audit import AuditEntry
from counterdesk_server.services.case_ops import Outcome
from counterdesk_server.services.case_views import calendar_for
from counterdesk_server.services.errors import Invalid
from counterdesk_server.services.roles import Principal

REASSIGN = "case.reassign"
ATTEMPTS = 3  # a case changed between reading it and locking it: read it again
_OPEN = [state.value for state in OPEN_STATES]


@dataclass(frozen=True)
class Move:
    case_id: str
    from_: str  # "" when the caller does not say who holds it
    to: str


@dataclass(frozen=True)
class _Current:
    version: int
    assignee: str
    state: str


def plan(
    ctx: ServerContext,
    actor: Principal,
    *,
    case_ids: Sequence[str],
    from_officer: str | None,
    to: Sequence[str],
) -> PlanOut:
    """How the cases would be spread over ``to``; nothing is changed."""
    targets = list(dict.fromkeys(to))
    today = ctx.clock.today()
    with ctx.db.reading() as session:
        _check_assignable(session, actor, targets)
        query = select(CaseRecord.case_id, CaseRecord.assignee, CaseRecord.document).where(
            CaseRecord.centre_id == actor.centre_id,
            CaseRecord.training.is_(False),
            CaseRecord.state.in_(_OPEN),
        )
        if from_officer is not None:
            query = query.where(CaseRecord.assignee == from_officer)
        else:
            query = query.where(CaseRecord.case_id.in_(set(case_ids)))
        rows = session.execute(query).all()
        if from_officer is None:
            missing = sorted(set(case_ids) - {case_id for case_id, _a, _d in rows})
            if missing:
                raise Invalid(
                    "这些办件不存在或已办结 / these cases are not open in this centre",
                    {"case_ids": missing[:50]},
                )
        moving = {case_id for case_id, _a, _d in rows}
        loads = _open_loads(session, actor.centre_id, targets, exclude=moving)
        calendar = calendar_for(ctx, session, actor.centre_id)
    movable, holders, numbers = [], {}, {}
    for case_id, assignee, text in rows:
        document = json.loads(text)
        reading = read_document_clock(document, today, calendar, ctx.settings.warning_days)
        movable.append(Movable(case_id, urgency(reading), is_at_risk(reading), assignee))
        holders[case_id] = assignee
        numbers[case_id] = _number_of(document)
    chosen = spread(movable, loads, targets)
    after = Counter(loads)
    moves, staying = [], []
    ordered = sorted(movable, key=lambda m: (m.urgency, m.case_id))
    for case in ordered:
        target = chosen[case.case_id]
        after[target] += 1
        if target == holders[case.case_id]:
            staying.append(case.case_id)
            continue
        moves.append(
            PlannedMove(
                case_id=case.case_id,
                number=numbers[case.case_id],
                from_=holders[case.case_id],
                to=target,
                at_risk=case.at_risk,
            )
        )
    return PlanOut(
        moves=moves,
        staying=staying,
        loads_before={t: loads.get(t, 0) for t in targets},
        loads_after={t: after.get(t, 0) for t in targets},
    )


def reassign(
    ctx: ServerContext,
    actor: Principal,
    moves: Sequence[Move],
    reason: str,
    key: str,
    device_time: dt.datetime | None = None,
) -> ReassignOut:
    """Move each case to its new officer with ``reason``; one result per move."""
    reason = reason.strip()
    if not reason:
        raise Invalid("改派须填写理由 / reassignment needs a reason")
    if len({move.case_id for move in moves}) != len(moves):
        raise Invalid("a case may be moved once per request")
    when = device_time or ctx.clock.now()
    results: dict[str, MoveOut] = {}
    waiting = list(moves)
    for _attempt in range(ATTEMPTS):
        operations, planned = _operations(ctx, actor, waiting, reason, key, when, results)
        waiting = []
        if not operations:
            break
        outcomes = case_ops.apply_operations(
            ctx,
            actor,
            operations,
            training=False,
            also=partial(_record_reasons, ctx, actor, planned, reason),
        )
        for outcome in outcomes:
            move = planned[outcome.case_id]
            if outcome.status == 409 and _still_theirs(outcome, move):
                waiting.append(move)  # only its version moved on: read it again
                continue
            results[move.case_id] = _result(move, outcome)
    for move in waiting:  # still racing after every attempt
        results[move.case_id] = MoveOut(
            case_id=move.case_id,
            from_=move.from_,
            to=move.to,
            status=409,
            error="办件正被修改，请重试 / the case is being changed; try again",
        )
    ordered = [results[move.case_id] for move in moves]
    moved = sum(1 for r in ordered if r.status == 200 and not r.error)
    return ReassignOut(moved=moved, results=ordered)


def _operations(
    ctx: ServerContext,
    actor: Principal,
    moves: Sequence[Move],
    reason: str,
    key: str,
    when: dt.datetime,
    results: dict[str, MoveOut],
) -> tuple[list[Operation], dict[str, Move]]:
    """The assign operations for the moves that can still be made; the others' results."""
    keys = {move.case_id: f"{key}:{move.case_id}" for move in moves}
    with ctx.db.reading() as session:
        current = _current(session, actor.centre_id, [m.case_id for m in moves])
        done = set(
            session.scalars(
                select(OperationRecord.idempotency_key).where(
                    OperationRecord.centre_id == actor.centre_id,
                    OperationRecord.idempotency_key.in_(list(keys.values())),
                )
            )
        )
    operations, planned = [], {}
    for move in moves:
        now = current.get(move.case_id)
        if keys[move.case_id] in done:  # this request moved it before: the same answer
            results[move.case_id] = MoveOut(
                case_id=move.case_id, from_=move.from_, to=move.to, status=200, replayed=True
            )
        elif now is None:
            results[move.case_id] = _refused(move, 404, f"办件 {move.case_id} 不存在 / no case")
        elif now.assignee == move.to:
            results[move.case_id] = _refused(
                move, 200, f"办件已由 {move.to} 承办 / already assigned to {move.to}"
            )
        elif move.from_ and now.assignee != move.from_:
            results[move.case_id] = _refused(
                move,
                409,
                f"办件已改由 {now.assignee} 承办 / the case is now assigned to {now.assignee}",
            )
        elif now.state not in _OPEN:
            results[move.case_id] = _refused(
                move, 422, "已办结的办件不能改派 / a closed case is not reassigned"
            )
        else:
            move = Move(move.case_id, now.assignee, move.to)
            planned[move.case_id] = move
            operations.append(
                Operation(
                    idempotency_key=keys[move.case_id],
                    kind=OperationKind.ASSIGN,
                    case_id=move.case_id,
                    officer=actor.username,
                    device_time=when,
                    base_version=now.version,
                    payload={"assignee": move.to, "reason": reason},
                )
            )
    return operations, planned


def _record_reasons(
    ctx: ServerContext,
    actor: Principal,
    planned: dict[str, Move],
    reason: str,
    session: Session,
    outcomes: list[Outcome],
) -> None:
    """The ``case.reassign`` line of each case moved now, written with the move."""
    now = ctx.clock.now()
    lines = []
    for outcome in outcomes:
        if not outcome.ok or outcome.replayed:
            continue
        move = planned[outcome.case_id]
        document = outcome.case or {}
        lines.append(
            AuditEntry(
                REASSIGN,
                now,
                case_id=move.case_id,
                device_time=now,
                detail={
                    "from": move.from_,
                    "to": move.to,
                    "reason": reason,
                    "number": _number_of(document),
                    "key": outcome.idempotency_key,
                },
            )
        )
    audit.record(session, actor, *lines)


def notices_for(
    session: Session, actor: Principal, since: int, limit: int
) -> tuple[list[NoticeOut], int]:
    """Reassignments that moved a case to or away from ``actor``, after ``since``."""
    rows = list(
        session.scalars(
            select(AuditEvent)
            .where(
                AuditEvent.centre_id == actor.centre_id,
                AuditEvent.action == REASSIGN,
                AuditEvent.id > since,
            )
            .order_by(AuditEvent.id)
            .limit(limit)
        )
    )
    found = []
    for row in rows:
        detail: dict[str, Any] = json.loads(row.detail or "{}")
        source, target = str(detail.get("from", "")), str(detail.get("to", ""))
        if actor.username not in (source, target):
            continue
        found.append(
            NoticeOut(
                id=row.id,
                kind="assigned_to_you" if target == actor.username else "reassigned_away",
                case_id=row.case_id or "",
                number=str(detail.get("number", "")),
                from_=source,
                to=target,
                by=row.actor,
                reason=str(detail.get("reason", "")),
                server_time=row.server_time,
            )
        )
    return found, rows[-1].id if rows else since


def _current(session: Session, centre_id: int, case_ids: Sequence[str]) -> dict[str, _Current]:
    rows = session.execute(
        select(CaseRecord.case_id, CaseRecord.version, CaseRecord.assignee, CaseRecord.state).where(
            CaseRecord.centre_id == centre_id,
            CaseRecord.training.is_(False),
            CaseRecord.case_id.in_(list(case_ids)),
        )
    )
    return {case_id: _Current(v, assignee, state) for case_id, v, assignee, state in rows}


def _open_loads(
    session: Session, centre_id: int, officers: Sequence[str], exclude: set[str]
) -> dict[str, int]:
    rows = session.execute(
        select(CaseRecord.assignee, CaseRecord.case_id).where(
            CaseRecord.centre_id == centre_id,
            CaseRecord.training.is_(False),
            CaseRecord.state.in_(_OPEN),
            CaseRecord.assignee.in_(list(officers)),
        )
    )
    loads: Counter[str] = Counter()
    for assignee, case_id in rows:
        if case_id not in exclude:
            loads[assignee] += 1
    return {officer: loads[officer] for officer in officers}


def _check_assignable(session: Session, actor: Principal, targets: Sequence[str]) -> None:
    able = users.active_usernames(session, actor.centre_id, case_rules.LIVE_ASSIGNEES)
    unknown = [t for t in targets if t not in able]
    if unknown:
        raise Invalid(
            "只能改派给在岗的窗口人员 / cases go only to active officers and supervisors",
            {"to": unknown},
        )


def _still_theirs(outcome: Outcome, move: Move) -> bool:
    case = outcome.case or {}
    return case.get("assignee") == move.from_


def _result(move: Move, outcome: Outcome) -> MoveOut:
    return MoveOut(
        case_id=move.case_id,
        from_=move.from_,
        to=move.to,
        status=200 if outcome.ok else outcome.status,
        error=None if outcome.ok else outcome.error,
        replayed=outcome.replayed,
    )


def _refused(move: Move, status: int, error: str) -> MoveOut:
    return MoveOut(case_id=move.case_id, from_=move.from_, to=move.to, status=status, error=error)


def _number_of(document: dict[str, Any]) -> str:
    numbers = document.get("numbers") or {}
    return str(numbers.get("official") or numbers.get("provisional") or "")
