"""The time-limit clock: five-day notice, promised limit, stopped while awaiting supplement.
Every reading is taken twice, from the Case and from its stored document, and must agree."""

from __future__ import annotations

import datetime as dt

from counterdesk.domain.calendar import NO_OVERRIDES, WorkingCalendar
from counterdesk.domain.cases import Case
from counterdesk.domain.cases.timelimit import (
    ClockReading,
    Deadline,
    LimitStatus,
    read_document_clock,
)
from counterdesk.domain.cases.timelimit import (
    read_clock as read_case_clock,
)
from counterdesk.domain.clock import CHINA_TZ
from tests.domain.case_factory import created, moved

CAL = WorkingCalendar(NO_OVERRIDES)
MON = dt.date(2026, 11, 23)  # a Monday, no holiday near


def read_clock(case: Case, today: dt.date, calendar: WorkingCalendar) -> ClockReading:
    reading = read_case_clock(case, today, calendar)
    assert read_document_clock(case.to_json(), today, calendar) == reading
    return reading


def at(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(10), CHINA_TZ)


def limits(accepted_on: dt.date, days: int = 3) -> dict:
    due, _ = CAL.add_working_days(accepted_on, days)
    return {
        "accepted_on": accepted_on.isoformat(),
        "promised_days": days,
        "legal_days": 20,
        "promised_by": due.isoformat(),
        "legal_by": due.isoformat(),
        "fee": 0,
    }


def test_received_case_watches_the_five_day_notice_deadline() -> None:
    case = created()  # received Monday 2026-11-23
    reading = read_clock(case, MON, CAL)
    assert reading.deadline is Deadline.NOTICE and reading.due == dt.date(2026, 11, 30)
    assert reading.status is LimitStatus.NORMAL and reading.remaining == 5
    assert read_clock(case, dt.date(2026, 11, 27), CAL).status is LimitStatus.WARNING
    overdue = read_clock(case, dt.date(2026, 12, 1), CAL)
    assert overdue.status is LimitStatus.OVERDUE and overdue.remaining == -1


def test_accepted_case_runs_against_the_promised_limit() -> None:
    case = moved(created(), "accepted", changes={"limits": limits(MON)})
    assert read_clock(case, MON, CAL).due == dt.date(2026, 11, 26)
    assert read_clock(case, dt.date(2026, 11, 25), CAL).status is LimitStatus.WARNING
    assert read_clock(case, dt.date(2026, 11, 27), CAL).status is LimitStatus.OVERDUE


def test_clock_stops_while_awaiting_supplement_after_acceptance() -> None:
    case = moved(created(), "accepted", changes={"limits": limits(MON)})
    case = moved(
        case,
        "under_review",
        role=__import__("counterdesk.domain.cases", fromlist=["Role"]).Role.DEPARTMENT,
    )
    # Two working days awaiting supplement push the due date by two working days.
    from counterdesk.domain.cases import TimelineEntry

    pause = [
        TimelineEntry(
            state_from="under_review",
            state_to="awaiting_supplement",
            by="x",
            at=at(dt.date(2026, 11, 24)),
        ),
        TimelineEntry(
            state_from="awaiting_supplement",
            state_to="under_review",
            by="x",
            at=at(dt.date(2026, 11, 26)),
        ),
    ]
    paused = case.model_copy(update={"timeline": [*case.timeline, *pause]})
    assert read_clock(paused, MON, CAL).due == dt.date(2026, 11, 30)


def test_awaiting_supplement_shows_a_stopped_clock() -> None:
    notice = {
        "outcome": "notice",
        "missing": [{"material": "lease", "copies": 1}],
        "due": "2026-12-10",
        "decided_at": at(MON).isoformat(),
        "decided_by": "officer1",
    }
    case = moved(created(), "awaiting_supplement", changes={"decision": notice})
    reading = read_clock(case, MON, CAL)
    assert reading.status is LimitStatus.STOPPED and reading.due == dt.date(2026, 12, 10)


def test_closed_cases_have_no_running_clock() -> None:
    case = moved(created(), "refused", reason="不属于本机关职权")
    assert read_clock(case, MON, CAL).status is LimitStatus.NONE
