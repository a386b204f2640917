"""Reading cases: one case with its time-limit clock, lists for the supervisor board.

The clock is read with the shared ``read_clock`` against the working-day calendar of the
centre's published catalogue (Monday to Friday plus the shipped official data when none is
published), on the server's clock, so every counter and the board show the same status.
Opening a case shows a citizen's personal data, so each opening is itself audited.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from counterdesk.domain.calendar import WorkingCalendar
from counterdesk.domain.cases import OPEN_STATES, Case
from counterdesk.domain.cases.timelimit import read_clock
from counterdesk_server.context import ServerContext
from counterdesk_server.db.models import CaseRecord
from counterdesk_server.services import audit
from counterdesk_server.services.audit import AuditEntry
from counterdesk_server.services.errors import NotFound
from counterdesk_server.services.roles import Principal

_DEFAULT_CALENDAR = WorkingCalendar()


@dataclass(frozen=True)
class CaseView:
    case: dict[str, Any]
    clock: dict[str, Any]


def calendar_for(ctx: ServerContext, session: Session, centre_id: int) -> WorkingCalendar:
    current = ctx.catalogues.current(session, centre_id)
    return current.calendar if current is not None else _DEFAULT_CALENDAR


def clock_of(ctx: ServerContext, case: Case, calendar: WorkingCalendar) -> dict[str, Any]:
    reading = read_clock(case, ctx.clock.today(), calendar, warning_days=ctx.settings.warning_days)
    return {
        "status": reading.status.value,
        "deadline": reading.deadline.value if reading.deadline else None,
        "due": reading.due.isoformat() if reading.due else None,
        "remaining": reading.remaining,
        "provisional": reading.provisional,
    }


def view_case(ctx: ServerContext, actor: Principal, case_id: str, *, training: bool) -> CaseView:
    """The case with its clock; the opening is written to the audit trail."""
    now = ctx.clock.now()
    with ctx.db.writing() as session:
        document = session.scalar(
            select(CaseRecord.document).where(
                CaseRecord.centre_id == actor.centre_id,
                CaseRecord.case_id == case_id,
                CaseRecord.training == training,
            )
        )
        if document is None:
            raise NotFound(f"办件 {case_id} 不存在 / no case {case_id}")
        case = Case.model_validate_json(document)
        calendar = calendar_for(ctx, session, actor.centre_id)
        audit.record(
            session, actor, AuditEntry("case.view", now, case_id=case_id, training=training)
        )
    return CaseView(case.to_json(), clock_of(ctx, case, calendar))


def list_cases(
    ctx: ServerContext,
    actor: Principal,
    *,
    training: bool,
    states: list[str] | None,
    open_only: bool,
    assignee: str | None,
    after: int,
    limit: int,
    only_for: str | None = None,
    case_id: str | None = None,
) -> tuple[list[CaseView], int | None]:
    """A page of cases in creation order, with the cursor for the next page (or None)."""
    query = (
        select(CaseRecord.id, CaseRecord.document)
        .where(
            CaseRecord.centre_id == actor.centre_id,
            CaseRecord.training == training,
            CaseRecord.id > after,
        )
        .order_by(CaseRecord.id)
        .limit(limit + 1)
    )
    if states:
        query = query.where(CaseRecord.state.in_(states))
    if open_only:
        query = query.where(CaseRecord.state.in_([s.value for s in OPEN_STATES]))
    if assignee is not None:
        query = query.where(CaseRecord.assignee == assignee)
    if case_id is not None:
        query = query.where(CaseRecord.case_id == case_id)
    if only_for is not None:
        query = query.where(
            (CaseRecord.assignee == only_for) | (CaseRecord.received_by == only_for)
        )
    with ctx.db.reading() as session:
        rows = session.execute(query).all()
        calendar = calendar_for(ctx, session, actor.centre_id)
    views = []
    for _pk, document in rows[:limit]:
        case = Case.model_validate_json(document)
        views.append(CaseView(json.loads(document), clock_of(ctx, case, calendar)))
    cursor = rows[limit - 1][0] if len(rows) > limit else None
    return views, cursor


def load_case(session: Session, centre_id: int, case_id: str, *, training: bool) -> Case:
    document = session.scalar(
        select(CaseRecord.document).where(
            CaseRecord.centre_id == centre_id,
            CaseRecord.case_id == case_id,
            CaseRecord.training == training,
        )
    )
    if document is None:
        raise NotFound(f"办件 {case_id} 不存在 / no case {case_id}")
    return Case.model_validate_json(document)
