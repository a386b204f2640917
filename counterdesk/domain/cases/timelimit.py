"""The time-limit clock of a case: which deadline applies now, and whether it is normal
(正常), warning (预警) or overdue (逾期), all in working days.

- A received case must get its one-time notice within five working days (art. 32: past
  that the application counts as accepted), so the clock watches that deadline.
- An accepted case runs against its promised limit; the working days it spent awaiting a
  supplement after acceptance are added back, because the clock stops meanwhile.
- A case awaiting supplement has its clock stopped; its notice's due date is shown.
- Decided and closed cases have no running clock.

The clock reads only a few facts of a case (``ClockFacts``): from a validated ``Case``, or
straight from a stored case document (its JSON form, validated when it was saved), so the
queue and the board can read hundreds of clocks without building a model for each.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from counterdesk.domain.calendar import WorkingCalendar
from counterdesk.domain.cases.states import CaseState

if TYPE_CHECKING:
    from counterdesk.domain.cases.document import Case

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


@dataclass(frozen=True)
class ClockFacts:
    """What the clock of a case depends on."""

    state: CaseState
    received_on: dt.date
    decision_due: dt.date | None = None  # supplement or deferral deadline
    accepted_on: dt.date | None = None  # from the limits fixed at acceptance
    promised_days: int = 0
    moves: tuple[tuple[dt.date, CaseState], ...] = ()  # (day, state entered), in order

    @classmethod
    def of_case(cls, case: Case) -> ClockFacts:
        limits = case.limits
        return cls(
            state=case.state,
            received_on=case.received_at.date(),
            decision_due=case.decision.due if case.decision else None,
            accepted_on=limits.accepted_on if limits else None,
            promised_days=limits.promised_days if limits else 0,
            moves=tuple((entry.at.date(), entry.state_to) for entry in case.timeline),
        )

    @classmethod
    def of_document(cls, doc: Mapping[str, Any]) -> ClockFacts:
        """From a stored case document (``Case.to_json()``), without validating it again."""
        decision = doc.get("decision") or {}
        limits = doc.get("limits") or {}
        due = decision.get("due")
        accepted_on = limits.get("accepted_on")
        return cls(
            state=CaseState(doc.get("state") or CaseState.RECEIVED),
            received_on=dt.datetime.fromisoformat(doc["received_at"]).date(),
            decision_due=dt.date.fromisoformat(due) if due else None,
            accepted_on=dt.date.fromisoformat(accepted_on) if accepted_on else None,
            promised_days=int(limits.get("promised_days") or 0),
            moves=tuple(
                (dt.datetime.fromisoformat(entry["at"]).date(), CaseState(entry["state_to"]))
                for entry in doc.get("timeline") or ()
            ),
        )


_RUNNING = {CaseState.ACCEPTED, CaseState.ACCEPTED_DEFERRAL, CaseState.UNDER_REVIEW}


def read_clock(
    case: Case,
    today: dt.date,
    calendar: WorkingCalendar,
    warning_days: int = DEFAULT_WARNING_DAYS,
) -> ClockReading:
    return read_facts(ClockFacts.of_case(case), today, calendar, warning_days)


def read_document_clock(
    doc: Mapping[str, Any],
    today: dt.date,
    calendar: WorkingCalendar,
    warning_days: int = DEFAULT_WARNING_DAYS,
) -> ClockReading:
    """``read_clock`` of a stored case document."""
    return read_facts(ClockFacts.of_document(doc), today, calendar, warning_days)


def read_facts(
    facts: ClockFacts,
    today: dt.date,
    calendar: WorkingCalendar,
    warning_days: int = DEFAULT_WARNING_DAYS,
) -> ClockReading:
    state = facts.state
    if state is CaseState.RECEIVED:
        due, provisional = calendar.add_working_days(facts.received_on, NOTICE_DEADLINE_DAYS)
        return _reading(Deadline.NOTICE, due, provisional, today, calendar, warning_days)
    if state is CaseState.AWAITING_SUPPLEMENT:
        return ClockReading(LimitStatus.STOPPED, Deadline.SUPPLEMENT, facts.decision_due)
    if state in _RUNNING and facts.accepted_on is not None:
        paused = paused_working_days(facts, calendar)
        due, provisional = calendar.add_working_days(
            facts.accepted_on, facts.promised_days + paused
        )
        reading = _reading(Deadline.PROMISED, due, provisional, today, calendar, warning_days)
        if state is CaseState.ACCEPTED_DEFERRAL and facts.decision_due is not None:
            # An unkept commitment is the more urgent thing to flag.
            deferral = _reading(
                Deadline.DEFERRAL, facts.decision_due, False, today, calendar, warning_days
            )
            # A lapsed commitment is flagged even when the promised limit is overdue too:
            # it is what the counter can act on (the case may be terminated).
            lapsed = deferral.status is LimitStatus.OVERDUE
            if lapsed or _rank(deferral.status) > _rank(reading.status):
                return deferral
        return reading
    return ClockReading(LimitStatus.NONE)


def paused_working_days(facts: ClockFacts, calendar: WorkingCalendar) -> int:
    """Working days spent awaiting supplement after acceptance (the clock was stopped)."""
    if facts.accepted_on is None:
        return 0
    total = 0
    paused_since: dt.date | None = None
    for day, state_to in facts.moves:
        if day < facts.accepted_on:
            continue
        if state_to is CaseState.AWAITING_SUPPLEMENT and paused_since is None:
            paused_since = day
        elif state_to is not CaseState.AWAITING_SUPPLEMENT and paused_since is not None:
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
