"""Working days as the catalogue format defines them: catalogue overrides, shipped official
data (with 调休 make-up days), Monday–Friday beyond it, and the provisional flag.

Every date here is fixed: nothing depends on today's date.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import chinese_calendar
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from counterdesk.domain import calendar as calendar_module
from counterdesk.domain.calendar import (
    NO_OVERRIDES,
    SHIPPED_YEARS,
    CalendarOverrides,
    WorkingCalendar,
    shipped_working_day,
)

D = dt.date
PLAIN = WorkingCalendar(NO_OVERRIDES)


def overrides(
    years: Sequence[int], holidays: Sequence[str] = (), workdays: Sequence[str] = ()
) -> CalendarOverrides:
    return CalendarOverrides(
        frozenset(years),
        frozenset(D.fromisoformat(day) for day in holidays),
        frozenset(D.fromisoformat(day) for day in workdays),
    )


# --- the shipped data -----------------------------------------------------------------------


def test_shipped_years_cover_2004_to_2026_and_not_2027() -> None:
    assert set(range(2004, 2027)) <= SHIPPED_YEARS
    assert 2027 not in SHIPPED_YEARS and 2003 not in SHIPPED_YEARS


def test_empty_overrides_are_the_default() -> None:
    assert CalendarOverrides() == NO_OVERRIDES == CalendarOverrides.EMPTY
    assert WorkingCalendar().overrides is NO_OVERRIDES


def test_shipped_judgement_agrees_with_the_package_day_by_day() -> None:
    day = D(2004, 1, 1)
    while day.year <= 2026:
        assert shipped_working_day(day) is chinese_calendar.is_workday(day), day
        day += dt.timedelta(days=1)
    assert shipped_working_day(D(2027, 1, 4)) is None


def test_fallback_probe_reads_the_same_data_as_the_tables() -> None:
    # Used only if a future chinesecalendar stops exposing its tables.
    # The probe sees only what changes a judgement: weekday holidays, weekend make-up days.
    years, off, on = calendar_module._load_shipped()
    assert calendar_module._probe_shipped() == (
        years,
        frozenset(day for day in off if day.weekday() < 5),
        frozenset(day for day in on if day.weekday() >= 5),
    )


def test_year_lists_agree_with_the_day_by_day_judgement() -> None:
    cal = WorkingCalendar(overrides([2026, 2027], ["2026-11-23", "2027-01-01"], ["2027-01-02"]))
    day = D(2003, 1, 1)
    while day.year <= 2028:
        working, _ = cal.is_working_day(day)
        assert working == (cal.working_days_between(day - dt.timedelta(days=1), day) == 1), day
        day += dt.timedelta(days=1)


# --- National Day 2025: holidays Oct 1–8, make-up days Sun Sep 28 and Sat Oct 11 ------------


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (D(2025, 9, 27), False),  # Saturday
        (D(2025, 9, 28), True),  # Sunday, make-up day
        (D(2025, 9, 30), True),
        (D(2025, 10, 1), False),
        (D(2025, 10, 8), False),  # Wednesday, still holiday
        (D(2025, 10, 9), True),
        (D(2025, 10, 11), True),  # Saturday, make-up day
        (D(2025, 10, 12), False),
    ],
)
def test_national_day_2025(day: dt.date, working: bool) -> None:
    assert PLAIN.is_working_day(day) == (working, False)


def test_one_working_day_after_the_eve_of_national_day_2025_is_october_9() -> None:
    assert PLAIN.add_working_days(D(2025, 9, 30), 1) == (D(2025, 10, 9), False)
    assert PLAIN.add_working_days(D(2025, 9, 30), 2) == (D(2025, 10, 10), False)
    assert PLAIN.add_working_days(D(2025, 9, 30), 3) == (D(2025, 10, 11), False)  # Saturday


def test_a_sunday_make_up_day_counts() -> None:
    # Accepted on Saturday 2025-09-27: the next working day is the make-up Sunday.
    assert PLAIN.add_working_days(D(2025, 9, 27), 1) == (D(2025, 9, 28), False)


# --- Spring Festival 2026: holidays Feb 15–23, make-up days Sat Feb 14 and Sat Feb 28 --------


def test_spring_festival_2026_matches_the_shipped_schedule() -> None:
    festival = [D(2026, 2, 15) + dt.timedelta(days=i) for i in range(9)]
    assert all(day in chinese_calendar.holidays for day in festival)
    assert D(2026, 2, 14) in chinese_calendar.workdays
    assert D(2026, 2, 28) in chinese_calendar.workdays
    assert all(PLAIN.is_working_day(day) == (False, False) for day in festival)
    assert PLAIN.is_working_day(D(2026, 2, 14)) == (True, False)  # Saturday
    assert PLAIN.is_working_day(D(2026, 2, 28)) == (True, False)  # Saturday


def test_counting_across_spring_festival_2026() -> None:
    assert PLAIN.add_working_days(D(2026, 2, 13), 1) == (D(2026, 2, 14), False)
    assert PLAIN.add_working_days(D(2026, 2, 13), 2) == (D(2026, 2, 24), False)
    # Feb 24–27 (Tue–Fri) and the make-up Saturday Feb 28: five working days.
    assert PLAIN.add_working_days(D(2026, 2, 14), 5) == (D(2026, 2, 28), False)
    assert PLAIN.working_days_between(D(2026, 2, 14), D(2026, 2, 28)) == 5


# --- beyond the shipped data ------------------------------------------------------------------


def test_into_2027_without_a_catalogue_calendar_is_monday_to_friday_and_provisional() -> None:
    # 2027-01-01 is a Friday: with no schedule for 2027 it counts as a working day.
    assert D(2027, 1, 1).weekday() == 4
    assert PLAIN.is_working_day(D(2027, 1, 1)) == (True, True)
    assert PLAIN.add_working_days(D(2026, 12, 30), 2) == (D(2027, 1, 1), True)
    assert PLAIN.add_working_days(D(2026, 12, 30), 3) == (D(2027, 1, 4), True)


def test_a_catalogue_calendar_for_2027_makes_it_final() -> None:
    cal = WorkingCalendar(overrides([2027], ["2027-01-01"]))
    assert cal.is_working_day(D(2027, 1, 1)) == (False, False)
    assert cal.is_working_day(D(2027, 1, 4)) == (True, False)  # Monday–Friday, declared year
    assert cal.add_working_days(D(2026, 12, 30), 2) == (D(2027, 1, 4), False)
    assert cal.add_working_days(D(2026, 12, 30), 3) == (D(2027, 1, 5), False)


def test_provisional_only_counts_days_examined() -> None:
    assert PLAIN.add_working_days(D(2026, 12, 30), 1) == (D(2026, 12, 31), False)
    # Starting on the last day of a known year into an unknown one: provisional.
    assert PLAIN.add_working_days(D(2026, 12, 31), 1) == (D(2027, 1, 1), True)
    # Starting in an unknown year whose examined days are all in a known one: final.
    assert PLAIN.add_working_days(D(2003, 12, 31), 1) == (D(2004, 1, 2), False)
    # The start itself never makes it provisional, even in an unknown year.
    assert PLAIN.add_working_days(D(2027, 6, 1), 0) == (D(2027, 6, 1), False)


def test_provisional_when_a_middle_year_is_unknown() -> None:
    cal = WorkingCalendar(overrides([2028], ["2028-01-03"]))
    due, provisional = cal.add_working_days(D(2026, 12, 1), 300)
    assert due.year == 2028 and provisional
    assert cal.add_working_days(D(2027, 12, 31), 1) == (D(2028, 1, 4), False)


# --- catalogue overrides beat the shipped data -----------------------------------------------


def test_a_catalogue_holiday_overrides_the_shipped_data() -> None:
    cal = WorkingCalendar(overrides([2026], ["2026-11-23"]))  # a local holiday, a Monday
    assert PLAIN.is_working_day(D(2026, 11, 23)) == (True, False)
    assert cal.is_working_day(D(2026, 11, 23)) == (False, False)
    assert cal.add_working_days(D(2026, 11, 20), 1) == (D(2026, 11, 24), False)
    assert PLAIN.add_working_days(D(2026, 11, 20), 1) == (D(2026, 11, 23), False)


def test_a_catalogue_holiday_can_cancel_a_shipped_make_up_day() -> None:
    cal = WorkingCalendar(overrides([2026], ["2026-02-28"]))
    assert cal.is_working_day(D(2026, 2, 28)) == (False, False)


def test_a_catalogue_workday_overrides_a_weekend() -> None:
    cal = WorkingCalendar(overrides([2026], workdays=["2026-11-28"]))  # a Saturday
    assert cal.is_working_day(D(2026, 11, 28)) == (True, False)
    assert cal.add_working_days(D(2026, 11, 27), 1) == (D(2026, 11, 28), False)
    assert PLAIN.add_working_days(D(2026, 11, 27), 1) == (D(2026, 11, 30), False)


def test_a_catalogue_workday_overrides_a_shipped_holiday() -> None:
    cal = WorkingCalendar(overrides([2025], workdays=["2025-10-08"]))
    assert cal.add_working_days(D(2025, 9, 30), 1) == (D(2025, 10, 8), False)


def test_a_catalogue_holiday_beats_a_catalogue_workday() -> None:
    # The loader refuses a day listed twice; should one slip through, the holiday wins.
    both = CalendarOverrides(
        frozenset({2026}), frozenset({D(2026, 11, 24)}), frozenset({D(2026, 11, 24)})
    )
    cal = WorkingCalendar(both)
    assert cal.is_working_day(D(2026, 11, 24)) == (False, False)
    assert cal.working_days_between(D(2026, 11, 23), D(2026, 11, 24)) == 0


# --- the edges of counting ------------------------------------------------------------------


def test_zero_days_is_the_start_itself_even_on_a_rest_day() -> None:
    assert PLAIN.add_working_days(D(2025, 10, 1), 0) == (D(2025, 10, 1), False)


def test_start_on_a_rest_day_does_not_count() -> None:
    # find_workday in chinesecalendar would answer one day too late here.
    assert PLAIN.add_working_days(D(2026, 11, 22), 1) == (D(2026, 11, 23), False)  # Sunday
    assert PLAIN.add_working_days(D(2025, 10, 3), 1) == (D(2025, 10, 9), False)  # in holiday


def test_start_on_a_working_day_does_not_count() -> None:
    assert PLAIN.add_working_days(D(2026, 11, 23), 1) == (D(2026, 11, 24), False)
    assert PLAIN.add_working_days(D(2026, 11, 23), 5) == (D(2026, 11, 30), False)


def test_negative_days_are_refused() -> None:
    with pytest.raises(ValueError):
        PLAIN.add_working_days(D(2026, 11, 23), -1)


def test_working_days_between() -> None:
    assert PLAIN.working_days_between(D(2026, 11, 23), D(2026, 11, 23)) == 0
    assert PLAIN.working_days_between(D(2026, 11, 30), D(2026, 11, 23)) == 0
    assert PLAIN.working_days_between(D(2026, 11, 23), D(2026, 11, 30)) == 5
    assert PLAIN.working_days_between(D(2025, 9, 30), D(2025, 10, 9)) == 1
    assert PLAIN.working_days_between(D(2026, 12, 30), D(2027, 1, 4)) == 3


# --- properties ----------------------------------------------------------------------------

DAYS = st.dates(min_value=D(2000, 1, 1), max_value=D(2032, 12, 31))
COUNTS = st.integers(min_value=0, max_value=800)
CATALOGUES = st.sampled_from(
    [
        NO_OVERRIDES,
        overrides([2026], ["2026-11-23"], ["2026-11-28"]),
        overrides([2027, 2028], ["2027-01-01", "2027-02-08", "2028-10-02"], ["2027-02-06"]),
    ]
)


@settings(max_examples=200, deadline=None)
@given(CATALOGUES, DAYS, st.integers(min_value=1, max_value=800))
def test_the_answer_is_a_working_day_after_the_start(
    catalogue: CalendarOverrides, start: dt.date, days: int
) -> None:
    cal = WorkingCalendar(catalogue)
    due, _ = cal.add_working_days(start, days)
    assert due > start
    assert cal.is_working_day(due)[0]


@settings(max_examples=200, deadline=None)
@given(CATALOGUES, DAYS, COUNTS, COUNTS)
def test_more_days_never_end_earlier(
    catalogue: CalendarOverrides, start: dt.date, a: int, b: int
) -> None:
    cal = WorkingCalendar(catalogue)
    low, high = sorted((a, b))
    assert cal.add_working_days(start, low)[0] <= cal.add_working_days(start, high)[0]
    if low < high:
        assert cal.add_working_days(start, low)[0] < cal.add_working_days(start, high)[0]


@settings(max_examples=200, deadline=None)
@given(CATALOGUES, DAYS, COUNTS)
def test_counting_back_gives_the_same_number(
    catalogue: CalendarOverrides, start: dt.date, days: int
) -> None:
    cal = WorkingCalendar(catalogue)
    due, _ = cal.add_working_days(start, days)
    assert cal.working_days_between(start, due) == days


@settings(max_examples=200, deadline=None)
@given(CATALOGUES, DAYS, st.integers(min_value=0, max_value=120))
def test_agrees_with_a_naive_day_by_day_count(
    catalogue: CalendarOverrides, start: dt.date, days: int
) -> None:
    cal = WorkingCalendar(catalogue)
    day, counted, provisional = start, 0, False
    while counted < days:
        day += dt.timedelta(days=1)
        working, unknown = cal.is_working_day(day)
        provisional = provisional or unknown
        counted += working
    assert cal.add_working_days(start, days) == (day, provisional)
