"""Statistics per officer and per day, as Chinese service platforms report them: received,
accepted, notices, refused, delivered, withdrawn; and each officer's open cases now, with
how many are in warning or overdue on the shared time-limit clock. For the supervisor
board, the same per officer with due-soon and five-day-notice counts, completions
(办结) and the median handling time per item.

Daily figures come from the audit trail (each change once, at its device time, in China's
time zone), so they count what officers did, not where cases stand now. Training is left
out.
"""

from __future__ import annotations

import datetime as dt
import json
import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from counterdesk.domain.calendar import WorkingCalendar
from counterdesk.domain.cases import OPEN_STATES, Case, Role
from counterdesk.domain.cases.timelimit import LimitStatus, read_clock, read_document_clock
from counterdesk.domain.catalogue import Catalogue
from counterdesk.domain.clock import CHINA_TZ
from counterdesk.domain.supervision import Risk, department_of, risk_of
from counterdesk_server.context import ServerContext
from counterdesk_server.db.models import AuditEvent, CaseRecord
from counterdesk_server.schemas.board import ItemHandling, LoadOut, OfficerLoad
from counterdesk_server.schemas.stats import DayFigures, OpenFigures, StatsOut
from counterdesk_server.services.case_views import calendar_for
from counterdesk_server.services.errors import Invalid
from counterdesk_server.services.roles import Principal
from counterdesk_server.services.users import list_users

MAX_DAYS = 366
# Which figure a change counts towards: creation, or the state a transition reached.
FIGURE_OF = {
    None: "received",
    "accepted": "accepted",
    "accepted_deferral": "accepted",
    "awaiting_supplement": "notices",
    "refused": "refused",
    "delivered": "delivered",
    "withdrawn": "withdrawn",
}
FIGURES = ("received", "accepted", "notices", "refused", "delivered", "withdrawn")


def officer_statistics(
    ctx: ServerContext, actor: Principal, date_from: dt.date, date_to: dt.date
) -> StatsOut:
    if date_to < date_from:
        raise Invalid("date_to is before date_from")
    if (date_to - date_from).days >= MAX_DAYS:
        raise Invalid(f"at most {MAX_DAYS} days at a time")
    start = dt.datetime.combine(date_from, dt.time(), CHINA_TZ)
    end = dt.datetime.combine(date_to + dt.timedelta(days=1), dt.time(), CHINA_TZ)
    with ctx.db.reading() as session:
        changes = session.execute(
            select(
                AuditEvent.actor, AuditEvent.action, AuditEvent.state_to, AuditEvent.device_time
            ).where(
                AuditEvent.centre_id == actor.centre_id,
                AuditEvent.training.is_(False),
                AuditEvent.action.in_(("case.create", "case.transition")),
                AuditEvent.device_time >= start,
                AuditEvent.device_time < end,
            )
        ).all()
        open_cases = session.execute(
            select(CaseRecord.assignee, CaseRecord.document).where(
                CaseRecord.centre_id == actor.centre_id,
                CaseRecord.training.is_(False),
                CaseRecord.state.in_([s.value for s in OPEN_STATES]),
            )
        ).all()
        calendar = calendar_for(ctx, session, actor.centre_id)
    counts: dict[tuple[dt.date, str], Counter[str]] = defaultdict(Counter)
    for who, action, state_to, at in changes:
        figure = FIGURE_OF.get(None if action == "case.create" else state_to)
        if figure is not None and at is not None:
            counts[(at.astimezone(CHINA_TZ).date(), who)][figure] += 1
    days = [
        DayFigures(day=day, officer=who, **{f: tally[f] for f in FIGURES})
        for (day, who), tally in sorted(counts.items())
    ]
    today = ctx.clock.today()
    now_counts: dict[str, Counter[str]] = defaultdict(Counter)
    for assignee, document in open_cases:
        status = read_clock(
            Case.model_validate_json(document), today, calendar, ctx.settings.warning_days
        ).status
        tally = now_counts[assignee]
        tally["open"] += 1
        if status is LimitStatus.WARNING:
            tally["warning"] += 1
        elif status is LimitStatus.OVERDUE:
            tally["overdue"] += 1
    open_now = [
        OpenFigures(officer=who, open=t["open"], warning=t["warning"], overdue=t["overdue"])
        for who, t in sorted(now_counts.items())
    ]
    return StatsOut(date_from=date_from, date_to=date_to, days=days, open_now=open_now)


# The supervisor board's figures (GET /board/load and /board/report): what each officer did
# on a day, where their open cases stand on the clock, and how long items take to complete.

BOARD_FIGURES = ("received", "accepted", "notices", "refused", "completed")
COMPLETED_STATES = ("approved", "rejected")  # 办结: the department decided
# A change and the figure it counts towards; completions count for the case's assignee.
BOARD_FIGURE_OF = {
    None: "received",
    "accepted": "accepted",
    "accepted_deferral": "accepted",
    "awaiting_supplement": "notices",
    "refused": "refused",
    "approved": "completed",
    "rejected": "completed",
}
_COUNTED_STATES = [state for state in BOARD_FIGURE_OF if state is not None]


@dataclass(frozen=True)
class BoardChange:
    """One counted change: on which day, for whom, which figure, for which item."""

    day: dt.date
    officer: str
    figure: str
    target: str  # item or bundle code
    handling_days: int | None = None  # completions: working days from receipt


@dataclass(frozen=True)
class OpenCase:
    assignee: str
    target: str
    risk: Risk


def board_changes(
    session: Session,
    centre_id: int,
    first_day: dt.date,
    last_day: dt.date,
    calendar: WorkingCalendar,
) -> list[BoardChange]:
    """The counted changes of live cases between two days (inclusive), at device time in
    China's time zone, from the audit trail."""
    start = dt.datetime.combine(first_day, dt.time(), CHINA_TZ)
    end = dt.datetime.combine(last_day + dt.timedelta(days=1), dt.time(), CHINA_TZ)
    rows = session.execute(
        select(
            AuditEvent.actor,
            AuditEvent.action,
            AuditEvent.state_to,
            AuditEvent.device_time,
            AuditEvent.after,
        ).where(
            AuditEvent.centre_id == centre_id,
            AuditEvent.training.is_(False),
            AuditEvent.device_time >= start,
            AuditEvent.device_time < end,
            or_(
                AuditEvent.action == "case.create",
                (AuditEvent.action == "case.transition") & AuditEvent.state_to.in_(_COUNTED_STATES),
            ),
        )
    )
    found: list[BoardChange] = []
    for actor, action, state_to, at, after in rows:
        if at is None or not after:
            continue
        figure = BOARD_FIGURE_OF[None if action == "case.create" else state_to]
        document = json.loads(after)
        day = at.astimezone(CHINA_TZ).date()
        target = str((document.get("target") or {}).get("code") or "")
        if figure == "completed":
            received = dt.datetime.fromisoformat(document["received_at"]).date()
            who = str(document.get("assignee") or actor)
            days = calendar.working_days_between(received, day)
            found.append(BoardChange(day, who, figure, target, days))
        else:
            found.append(BoardChange(day, actor, figure, target))
    return found


def open_cases_now(
    ctx: ServerContext, session: Session, centre_id: int, calendar: WorkingCalendar
) -> list[OpenCase]:
    """Every open live case of the centre with its risk on the shared clock, today."""
    today = ctx.clock.today()
    rows = session.execute(
        select(CaseRecord.assignee, CaseRecord.document).where(
            CaseRecord.centre_id == centre_id,
            CaseRecord.training.is_(False),
            CaseRecord.state.in_([s.value for s in OPEN_STATES]),
        )
    )
    cases = []
    for assignee, text in rows:
        document = json.loads(text)
        reading = read_document_clock(document, today, calendar, ctx.settings.warning_days)
        target = str((document.get("target") or {}).get("code") or "")
        cases.append(OpenCase(assignee, target, risk_of(reading)))
    return cases


def officer_load(ctx: ServerContext, actor: Principal, day: dt.date, window_days: int) -> LoadOut:
    """Each officer's open cases now (due soon, overdue, five-day notice past), what they
    did on ``day``, and the median handling time per item over the ``window_days`` ending
    on ``day``."""
    if not 1 <= window_days <= MAX_DAYS:
        raise Invalid(f"the window is 1 to {MAX_DAYS} days")
    window_from = day - dt.timedelta(days=window_days - 1)
    with ctx.db.reading() as session:
        calendar = calendar_for(ctx, session, actor.centre_id)
        changes = board_changes(session, actor.centre_id, window_from, day, calendar)
        open_cases = open_cases_now(ctx, session, actor.centre_id, calendar)
        people = {u.username: u for u in list_users(session, actor.centre_id)}
        current = ctx.catalogues.current(session, actor.centre_id)
    tally: dict[str, Counter[str]] = defaultdict(Counter)
    for change in changes:
        if change.day == day:
            tally[change.officer][change.figure] += 1
    for case in open_cases:
        counts = tally[case.assignee]
        counts["open"] += 1
        if case.risk is Risk.DUE_SOON:
            counts["due_soon"] += 1
        elif case.risk is Risk.OVERDUE:
            counts["overdue"] += 1
        elif case.risk is Risk.NOTICE_PAST:
            counts["overdue"] += 1
            counts["notice_past"] += 1
    names = set(tally) | {
        name
        for name, user in people.items()
        if user.active and user.role in (Role.OFFICER.value, Role.SUPERVISOR.value)
    }
    officers = []
    for name in sorted(names):
        user = people.get(name)
        counts = tally[name]
        officers.append(
            OfficerLoad(
                officer=name,
                name=user.display_name if user else "",
                role=user.role if user else "",
                active=bool(user and user.active),
                open=counts["open"],
                due_soon=counts["due_soon"],
                overdue=counts["overdue"],
                notice_past=counts["notice_past"],
                **{figure: counts[figure] for figure in BOARD_FIGURES},
            )
        )
    catalogue = current.catalogue if current is not None else None
    durations: dict[str, list[int]] = defaultdict(list)
    for change in changes:
        if change.handling_days is not None:
            durations[change.target].append(change.handling_days)
    items = [
        ItemHandling(
            code=code,
            name=target_name(catalogue, code),
            department=target_department(catalogue, code),
            cases=len(days),
            median_days=float(statistics.median(days)),
        )
        for code, days in sorted(durations.items())
    ]
    return LoadOut(day=day, window_from=window_from, officers=officers, items=items)


def target_name(catalogue: Catalogue | None, code: str) -> str:
    target = catalogue.target(code) if catalogue is not None and code else None
    return target.name if target is not None else ""


def target_department(catalogue: Catalogue | None, code: str) -> str:
    """The department a case of this item or bundle counts under (the shared rule)."""
    target = catalogue.target(code) if catalogue is not None and code else None
    if catalogue is None or target is None:
        return ""
    return department_of([item.department for item in catalogue.items_of(target)])
