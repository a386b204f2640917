"""The time-limit clock of a case: which deadline applies now, and whether it is normal
(正常), warning (预警) or overdue (逾期), all in working days.

- A received case must get its one-time notice within five working days (art. 32: past
  that the application counts as accepted), so the clock watches that deadline.
- An accepted case runs against its promised limit; the working days it spent awaiting a
  supplement after acceptance are added back, because the clock stops meanwhile.
- A case awaiting supplement has its clock stopped; its notice's due date is shown.
- Decided and closed cases have no running clock.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from counterdesk.domain.calendar import WorkingCalendar
from counterdesk.domain.cases.document import Case
from counterdesk.domain.cases.states import CaseState

NOTICE_DEADLINE_DAYS = 5  # 一次性告知: within five (working) days of receiving the materials
DEFAULT_WARNING_DAYS = 1


class LimitStatus(StrEnum):
    NORMAL = "normal"  # 正常
    WARNING = "warning"  # 预警
    OVERDUE = "overdue"  # 逾期
    STOPPED = "stopped"  # 暂停 (awaiting supplement)
    NONE = "none"  # no running clock


class Deadline(StrEnum):
    NOTICE = "notice"  # five-day one-time notice
    PROMISED = "promised"  # promised limit (承诺时限)
    SUPPLEMENT = "supplement"  # the applicant's supplement due date
    DEFERRAL = "deferral"  # the deferral commitment's due date


@dataclass(frozen=True)
class ClockReading:
    status: LimitStatus
    deadline: Deadline | None = None
    due: dt.date | None = None
    remaining: int | None = None  # working days left; negative when overdue
    provisional: bool = False


_RUNNING = {CaseState.ACCEPTED, CaseState.ACCEPTED_DEFERRAL, CaseState.UNDER_REVIEW}


def read_clock(
    case: Case,
    today: dt.date,
    calendar: WorkingCalendar,
    warning_days: int = DEFAULT_WARNING_DAYS,
) -> ClockReading:
    state = case.state
    if state is CaseState.RECEIVED:
        due, provisional = calendar.add_working_days(case.received_at.date(), NOTICE_DEADLINE_DAYS)
        return _reading(Deadline.NOTICE, due, provisional, today, calendar, warning_days)
    if state is CaseState.AWAITING_SUPPLEMENT:
        supplement_due = case.decision.due if case.decision else None
        return ClockReading(LimitStatus.STOPPED, Deadline.SUPPLEMENT, supplement_due)
    if state in _RUNNING and case.limits is not None:
        paused = paused_working_days(case, calendar)
        due, provisional = calendar.add_working_days(
            case.limits.accepted_on, case.limits.promised_days + paused
        )
        reading = _reading(Deadline.PROMISED, due, provisional, today, calendar, warning_days)
        deferral_due = case.decision.due if case.decision else None
        if state is CaseState.ACCEPTED_DEFERRAL and deferral_due is not None:
            # An unkept commitment is the more urgent thing to flag.
            deferral = _reading(
                Deadline.DEFERRAL, deferral_due, False, today, calendar, warning_days
            )
            if _rank(deferral.status) > _rank(reading.status):
                return deferral
        return reading
    return ClockReading(LimitStatus.NONE)


def paused_working_days(case: Case, calendar: WorkingCalendar) -> int:
    """Working days spent awaiting supplement after acceptance (the clock was stopped)."""
    if case.limits is None:
        return 0
    total = 0
    paused_since: dt.date | None = None
    for entry in case.timeline:
        day = entry.at.date()
        if day < case.limits.accepted_on:
            continue
        if entry.state_to is CaseState.AWAITING_SUPPLEMENT and paused_since is None:
            paused_since = day
        elif entry.state_to is not CaseState.AWAITING_SUPPLEMENT and paused_since is not None:
            total += calendar.working_days_between(paused_since, day)
            paused_since = None
    return total


def _reading(
    deadline: Deadline,
    due: dt.date,
    provisional: bool,
    today: dt.date,
    calendar: WorkingCalendar,
    warning_days: int,
) -> ClockReading:
    if today > due:
        remaining = -calendar.working_days_between(due, today)
        status = LimitStatus.OVERDUE
    else:
        remaining = calendar.working_days_between(today, due)
        status = LimitStatus.WARNING if remaining <= warning_days else LimitStatus.NORMAL
    return ClockReading(status, deadline, due, remaining, provisional)


def _rank(status: LimitStatus) -> int:
    order = [LimitStatus.NONE, LimitStatus.STOPPED, LimitStatus.NORMAL, LimitStatus.WARNING]
    return order.index(status) if status in order else len(order)
