"""The daily centre report: per officer and per department, what was received, accepted,
notified, refused and completed on a day (from the audit trail, as the board's load
figures are), and the open cases now with how many are due soon or overdue.

A case counts under its item's department; a bundle whose items several departments
decide counts under "several departments" (the shared rule, ``domain.supervision``).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict

from counterdesk.domain.supervision import SEVERAL_DEPARTMENTS, Risk
from counterdesk_server.context import ServerContext
from counterdesk_server.db.models import Centre
from counterdesk_server.schemas.board import ReportOut, ReportRow
from counterdesk_server.services.case_views import calendar_for
from counterdesk_server.services.roles import Principal
from counterdesk_server.services.stats import (
    BOARD_FIGURES,
    board_changes,
    open_cases_now,
    target_department,
)
from counterdesk_server.services.users import list_users

SEVERAL_NAME = "多部门联办 / several departments"
# No department: an item the published catalogue does not know, or a matter no item
# covers (refused at the counter, code UNLISTED).
UNKNOWN_NAME = "无承办部门（目录外事项）/ no department (not in the catalogue)"


def centre_report(ctx: ServerContext, actor: Principal, day: dt.date) -> ReportOut:
    with ctx.db.reading() as session:
        calendar = calendar_for(ctx, session, actor.centre_id)
        changes = board_changes(session, actor.centre_id, day, day, calendar)
        open_cases = open_cases_now(ctx, session, actor.centre_id, calendar)
        people = {u.username: u for u in list_users(session, actor.centre_id)}
        current = ctx.catalogues.current(session, actor.centre_id)
        centre = session.get_one(Centre, actor.centre_id)
        centre_code, centre_name = centre.code, centre.name
    catalogue = current.catalogue if current is not None else None
    departments: dict[str, str] = {}

    def department(code: str) -> str:
        if code not in departments:
            departments[code] = target_department(catalogue, code)
        return departments[code]

    by_officer: dict[str, Counter[str]] = defaultdict(Counter)
    by_department: dict[str, Counter[str]] = defaultdict(Counter)
    for change in changes:
        by_officer[change.officer][change.figure] += 1
        by_department[department(change.target)][change.figure] += 1
    for case in open_cases:
        for tally in (by_officer[case.assignee], by_department[department(case.target)]):
            tally["open"] += 1
            if case.risk is Risk.DUE_SOON:
                tally["due_soon"] += 1
            elif case.risk in (Risk.OVERDUE, Risk.NOTICE_PAST):
                tally["overdue"] += 1

    def department_name(code: str) -> str:
        if code == SEVERAL_DEPARTMENTS:
            return SEVERAL_NAME
        known = catalogue.departments.get(code) if catalogue is not None else None
        return known.name if known is not None else (code or UNKNOWN_NAME)

    officers = [
        _row(name, people[name].display_name if name in people else "", tally)
        for name, tally in sorted(by_officer.items())
    ]
    department_rows = [
        _row(code, department_name(code), tally)
        for code, tally in sorted(by_department.items(), key=lambda kv: (kv[0] == "", kv[0]))
    ]
    total: Counter[str] = Counter()
    for tally in by_department.values():
        total.update(tally)
    return ReportOut(
        day=day,
        centre_code=centre_code,
        centre_name=centre_name,
        generated_at=ctx.clock.now(),
        officers=officers,
        departments=department_rows,
        totals=_row("", "合计 / total", total),
    )


def _row(code: str, name: str, tally: Counter[str]) -> ReportRow:
    return ReportRow(
        code=code,
        name=name,
        open=tally["open"],
        due_soon=tally["due_soon"],
        overdue=tally["overdue"],
        **{figure: tally[figure] for figure in BOARD_FIGURES},
    )
