"""The supervisor board's rules, shared by the counter's board and the server's statistics:
which cases are at risk, which department a case belongs to, and how a supervisor's
reassignment spreads cases over the officers chosen to take them.

The time limits themselves are the clock's (``cases.timelimit``): this module only reads a
``ClockReading``. Pure: no I/O, nothing but the domain.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from counterdesk.domain.cases.timelimit import ClockReading, Deadline, LimitStatus

DUE_SOON_DAYS = 1  # "due within one working day": shown on top of the board
SEVERAL_DEPARTMENTS = "*"  # a bundle whose items several departments decide (联办)


class Risk(StrEnum):
    """Why a case belongs on top of the board, most serious first."""

    NOTICE_PAST = "notice_past"  # received, five-day notice deadline past: deemed accepted
    OVERDUE = "overdue"  # the running time limit is past
    DUE_SOON = "due_soon"  # due within one working day
    NONE = "none"


RISK_ORDER = tuple(Risk)
_RANK = {risk: index for index, risk in enumerate(RISK_ORDER)}


def risk_of(reading: ClockReading) -> Risk:
    """The risk a clock reading shows (a stopped clock is never at risk: it waits for the
    applicant)."""
    if reading.status is LimitStatus.OVERDUE:
        return Risk.NOTICE_PAST if reading.deadline is Deadline.NOTICE else Risk.OVERDUE
    running = reading.status in (LimitStatus.NORMAL, LimitStatus.WARNING)
    if running and reading.remaining is not None and reading.remaining <= DUE_SOON_DAYS:
        return Risk.DUE_SOON
    return Risk.NONE


def urgency(reading: ClockReading) -> tuple[int, dt.date]:
    """A sort key: at-risk cases first (the most serious risk first), then by due date."""
    return (_RANK[risk_of(reading)], reading.due or dt.date.max)


def is_at_risk(reading: ClockReading) -> bool:
    return risk_of(reading) is not Risk.NONE


def department_of(item_departments: Sequence[str]) -> str:
    """The department a case is counted under, from the departments of its target's items
    (one for an item; a bundle's items may name several, then ``SEVERAL_DEPARTMENTS``);
    "" when the catalogue does not know the target, and for a matter no item of this
    centre covers (``UNLISTED``: it has no items, so no department)."""
    found = set(item_departments)
    if not found:
        return ""
    return found.pop() if len(found) == 1 else SEVERAL_DEPARTMENTS


@dataclass(frozen=True)
class Movable:
    """A case a supervisor is moving: its id, how urgent it is, and who holds it now."""

    case_id: str
    urgency: tuple[int, dt.date]
    at_risk: bool = False
    assignee: str = ""


def spread(
    cases: Sequence[Movable], loads: Mapping[str, int], targets: Sequence[str]
) -> dict[str, str]:
    """Which of ``targets`` takes each case: case id -> officer.

    The most urgent case goes first, each to the target holding the fewest open cases at
    that moment (``loads``: their open cases now, not counting those being moved); between
    equally loaded targets, the one given fewer at-risk cases in this spread, then the one
    the supervisor named first. So loads even out, urgent work is shared rather than piled
    on one officer, and the same input always gives the same plan.
    """
    chosen = list(dict.fromkeys(t for t in targets if t))
    if not chosen:
        raise ValueError("spreading cases needs at least one officer to take them")
    load = {target: max(0, int(loads.get(target, 0))) for target in chosen}
    urgent_given = dict.fromkeys(chosen, 0)
    position = {target: index for index, target in enumerate(chosen)}
    plan: dict[str, str] = {}
    for case in sorted(cases, key=lambda c: (c.urgency, c.case_id)):
        if case.case_id in plan:
            continue

        def weight(target: str, urgent: bool = case.at_risk) -> tuple[int, int, int]:
            return (load[target], urgent_given[target] if urgent else 0, position[target])

        target = min(chosen, key=weight)
        plan[case.case_id] = target
        load[target] += 1
        if case.at_risk:
            urgent_given[target] += 1
    return plan
