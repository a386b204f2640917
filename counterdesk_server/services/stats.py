"""Statistics per officer and per day, as Chinese service platforms report them: received,
accepted, notices, refused, delivered, withdrawn; and each officer's open cases now, with
how many are in warning or overdue on the shared time-limit clock.

Daily figures come from the audit trail (each change once, at its device time, in China's
time zone), so they count what officers did, not where cases stand now. Training is left
out.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict

from sqlalchemy import select

from counterdesk.domain.cases import OPEN_STATES, Case
from counterdesk.domain.cases.timelimit import LimitStatus, read_clock
from counterdesk.domain.clock import CHINA_TZ
from counterdesk_server.context import ServerContext
from counterdesk_server.db.models import AuditEvent, CaseRecord
from counterdesk_server.schemas.stats import DayFigures, OpenFigures, StatsOut
from counterdesk_server.services.case_views import calendar_for
from counterdesk_server.services.errors import Invalid
from counterdesk_server.services.roles import Principal

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
