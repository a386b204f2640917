"""The clock after intake: a supplement restarts it (the promised limit runs from the day
the papers were complete, the days awaiting them not counted), deferred papers brought
leave the first acceptance's limit, and a lapsed commitment is the deadline shown even
when the promised limit has passed too."""

from __future__ import annotations

import datetime as dt

from counterdesk.domain.calendar import NO_OVERRIDES, WorkingCalendar
from counterdesk.domain.cases.timelimit import Deadline, LimitStatus, read_clock
from counterdesk.domain.clock import CHINA_TZ
from tests.domain.case_factory import created, moved

CAL = WorkingCalendar(NO_OVERRIDES)
MON = dt.date(2026, 11, 23)


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


def decision(outcome: str, due: dt.date, day: dt.date) -> dict:
    return {
        "outcome": outcome,
        "due": due.isoformat(),
        "commitment_signed": outcome == "accept_deferral",
        "decided_at": at(day).isoformat(),
        "decided_by": "officer1",
    }


def test_a_supplement_restarts_the_clock_from_the_day_the_papers_are_complete() -> None:
    notice_due = dt.date(2026, 12, 7)
    case = moved(
        created(),
        "awaiting_supplement",
        at=at(MON),
        changes={"decision": decision("notice", notice_due, MON)},
    )
    stopped = read_clock(case, dt.date(2026, 12, 1), CAL)
    assert stopped.status is LimitStatus.STOPPED and stopped.due == notice_due
    back = dt.date(2026, 12, 2)  # seven working days later the papers are complete
    case = moved(
        case,
        "accepted",
        at=at(back),
        changes={"limits": limits(back), "decision": decision("accept", notice_due, back)},
    )
    reading = read_clock(case, back, CAL)
    assert reading.deadline is Deadline.PROMISED
    assert reading.due == dt.date(2026, 12, 7)  # three working days from 2 December
    assert reading.remaining == 3  # the days awaiting the supplement are not counted


def test_deferred_papers_brought_leave_the_first_acceptances_limit() -> None:
    commitment_due = dt.date(2026, 11, 27)
    case = moved(
        created(),
        "accepted_deferral",
        at=at(MON),
        changes={
            "limits": limits(MON),
            "decision": decision("accept_deferral", commitment_due, MON),
        },
    )
    case = moved(case, "accepted", at=at(dt.date(2026, 11, 25)))
    reading = read_clock(case, dt.date(2026, 11, 25), CAL)
    assert reading.deadline is Deadline.PROMISED and reading.due == dt.date(2026, 11, 26)


def test_a_lapsed_commitment_is_shown_even_when_the_promised_limit_is_over_too() -> None:
    commitment_due = dt.date(2026, 11, 25)
    case = moved(
        created(),
        "accepted_deferral",
        at=at(MON),
        changes={
            "limits": limits(MON, days=1),
            "decision": decision("accept_deferral", commitment_due, MON),
        },
    )
    reading = read_clock(case, dt.date(2026, 12, 1), CAL)
    assert reading.deadline is Deadline.DEFERRAL and reading.status is LimitStatus.OVERDUE
    assert reading.due == commitment_due
