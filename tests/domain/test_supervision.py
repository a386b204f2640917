"""The board's shared rules: which cases are at risk, the department a case counts under,
and how a reassignment spreads cases over the officers chosen (with property tests)."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from counterdesk.domain.cases.timelimit import ClockReading, Deadline, LimitStatus
from counterdesk.domain.supervision import (
    SEVERAL_DEPARTMENTS,
    Movable,
    Risk,
    department_of,
    risk_of,
    spread,
    urgency,
)

DAY = dt.date(2026, 11, 23)


@pytest.mark.parametrize(
    ("reading", "risk"),
    [
        (ClockReading(LimitStatus.OVERDUE, Deadline.NOTICE, DAY, -1), Risk.NOTICE_PAST),
        (ClockReading(LimitStatus.OVERDUE, Deadline.PROMISED, DAY, -3), Risk.OVERDUE),
        (ClockReading(LimitStatus.OVERDUE, Deadline.DEFERRAL, DAY, -1), Risk.OVERDUE),
        (ClockReading(LimitStatus.WARNING, Deadline.PROMISED, DAY, 0), Risk.DUE_SOON),
        (ClockReading(LimitStatus.WARNING, Deadline.NOTICE, DAY, 1), Risk.DUE_SOON),
        # warning_days may be set wider than one day: the board's "due soon" stays one day.
        (ClockReading(LimitStatus.WARNING, Deadline.PROMISED, DAY, 2), Risk.NONE),
        (ClockReading(LimitStatus.NORMAL, Deadline.PROMISED, DAY, 5), Risk.NONE),
        (ClockReading(LimitStatus.STOPPED, Deadline.SUPPLEMENT, DAY), Risk.NONE),
        (ClockReading(LimitStatus.NONE), Risk.NONE),
    ],
)
def test_risk_of_a_clock_reading(reading: ClockReading, risk: Risk) -> None:
    assert risk_of(reading) is risk


def test_urgency_puts_the_most_serious_risk_first_then_the_earliest_due() -> None:
    readings = [
        ClockReading(LimitStatus.NORMAL, Deadline.PROMISED, DAY + dt.timedelta(days=9), 7),
        ClockReading(LimitStatus.WARNING, Deadline.PROMISED, DAY + dt.timedelta(days=1), 1),
        ClockReading(LimitStatus.OVERDUE, Deadline.PROMISED, DAY - dt.timedelta(days=2), -2),
        ClockReading(LimitStatus.OVERDUE, Deadline.NOTICE, DAY - dt.timedelta(days=1), -1),
        ClockReading(LimitStatus.NORMAL, Deadline.PROMISED, DAY + dt.timedelta(days=4), 4),
    ]
    ordered = sorted(readings, key=urgency)
    assert [risk_of(r) for r in ordered[:3]] == [Risk.NOTICE_PAST, Risk.OVERDUE, Risk.DUE_SOON]
    assert [r.remaining for r in ordered[3:]] == [4, 7]


def test_the_department_of_items_and_bundles() -> None:
    assert department_of(["SCJG"]) == "SCJG"
    assert department_of(["SCJG", "SCJG"]) == "SCJG"
    assert department_of(["SCJG", "WGLJ"]) == SEVERAL_DEPARTMENTS
    assert department_of([]) == ""


def case(n: int, risk: int = 3, due_in: int = 5, at_risk: bool = False) -> Movable:
    return Movable(f"case-{n:03d}", (risk, DAY + dt.timedelta(days=due_in)), at_risk)


def test_spread_evens_out_the_load() -> None:
    cases = [case(n) for n in range(7)]
    plan = spread(cases, {"li": 4, "zhao": 1, "qian": 0}, ["li", "zhao", "qian"])
    taken = {t: sum(1 for v in plan.values() if v == t) for t in ("li", "zhao", "qian")}
    assert taken == {"li": 0, "zhao": 3, "qian": 4}  # ends at 4, 4, 4


def test_urgent_cases_are_shared_not_piled_on_one_officer() -> None:
    urgent = [case(n, risk=1, due_in=-1, at_risk=True) for n in range(4)]
    calm = [case(10 + n) for n in range(4)]
    plan = spread(urgent + calm, {"li": 0, "zhao": 0}, ["li", "zhao"])
    assert sorted(plan[c.case_id] for c in urgent) == ["li", "li", "zhao", "zhao"]
    assert sorted(plan.values()) == ["li"] * 4 + ["zhao"] * 4


def test_spread_needs_an_officer() -> None:
    with pytest.raises(ValueError, match="at least one officer"):
        spread([case(1)], {}, [])


@given(
    counts=st.lists(st.integers(0, 30), min_size=1, max_size=6),
    risks=st.lists(st.tuples(st.integers(0, 3), st.integers(-5, 20)), max_size=60),
)
def test_spread_properties(counts: list[int], risks: list[tuple[int, int]]) -> None:
    targets = [f"officer{n}" for n in range(len(counts))]
    loads = dict(zip(targets, counts, strict=True))
    cases = [case(n, risk, due, risk < 3) for n, (risk, due) in enumerate(risks)]
    plan = spread(cases, loads, targets)
    assert set(plan) == {c.case_id for c in cases}  # every case placed, once
    assert set(plan.values()) <= set(targets)
    assert plan == spread(list(reversed(cases)), loads, targets)  # the same plan every time
    final = {t: loads[t] + sum(1 for v in plan.values() if v == t) for t in targets}
    # Nobody who was given a case ends with more than one above the least loaded.
    lowest = min(final.values())
    for target in set(plan.values()):
        assert final[target] <= lowest + 1
