"""Working days, as the catalogue format defines them, for promised and legal time limits.

Time limits run in working days under the State Council's yearly schedule, which moves
weekend days into working days (调休). The shipped ``chinesecalendar`` data covers
2004–2026 only, so later years come from the catalogue's ``calendar`` section; where
neither covers a year the program counts Monday to Friday and flags the answer as
provisional rather than pretend to know.

Each day is judged on its own, in this order: a catalogue holiday is off; a catalogue
workday is on; else the shipped data for that year; else Monday to Friday.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, ClassVar

import chinese_calendar


@dataclass(frozen=True)
class CalendarOverrides:
    """The catalogue's ``calendar`` section: the years it declares and its listed days."""

    EMPTY: ClassVar[CalendarOverrides]

    years: frozenset[int] = frozenset()
    holidays: frozenset[dt.date] = frozenset()
    workdays: frozenset[dt.date] = frozenset()

    def to_lists(self) -> list[list[Any]]:
        """[years, holidays, workdays], sorted, dates as ISO text (for the caches)."""
        return [
            sorted(self.years),
            sorted(day.isoformat() for day in self.holidays),
            sorted(day.isoformat() for day in self.workdays),
        ]

    @classmethod
    def from_lists(cls, lists: list[list[Any]]) -> CalendarOverrides:
        """Read back what ``to_lists`` wrote (the caches are written only by this program)."""
        years, holidays, workdays = lists
        return cls(
            frozenset(int(year) for year in years),
            frozenset(dt.date.fromisoformat(day) for day in holidays),
            frozenset(dt.date.fromisoformat(day) for day in workdays),
        )


NO_OVERRIDES = CalendarOverrides()
CalendarOverrides.EMPTY = NO_OVERRIDES


def _load_shipped() -> tuple[frozenset[int], frozenset[dt.date], frozenset[dt.date]]:
    """Years covered by the shipped data, its holidays and its make-up working days.

    Read once from the package's tables rather than asking it per day: it answers out-of-range
    years by raising, and a day-by-day walk through a year must stay cheap.
    """
    holidays: Any = getattr(chinese_calendar, "holidays", None)
    workdays: Any = getattr(chinese_calendar, "workdays", None)
    if _is_date_table(holidays) and _is_date_table(workdays) and holidays:
        off = frozenset(_as_date(day) for day in holidays)
        on = frozenset(_as_date(day) for day in workdays)
        # The package itself treats every year from its first to its last table year as known.
        first, last = min(day.year for day in off), max(day.year for day in off)
        return frozenset(range(first, last + 1)), off, on
    return _probe_shipped()


def _is_date_table(table: object) -> bool:
    return isinstance(table, dict) and all(isinstance(day, dt.date) for day in table)


def _as_date(day: dt.date) -> dt.date:
    # A datetime key would never equal the plain dates we look up.
    return day.date() if isinstance(day, dt.datetime) else day


def _probe_shipped() -> tuple[frozenset[int], frozenset[dt.date], frozenset[dt.date]]:
    """Fallback should a future release hide its tables: ask ``is_workday`` day by day."""
    years: set[int] = set()
    off: set[dt.date] = set()
    on: set[dt.date] = set()
    for year in range(1990, 2101):
        try:
            chinese_calendar.is_workday(dt.date(year, 1, 1))
        except NotImplementedError:  # the package's way of saying "no data for that year"
            continue
        years.add(year)
        day = dt.date(year, 1, 1)
        while day.year == year:
            working = chinese_calendar.is_workday(day)
            if working and day.weekday() >= 5:
                on.add(day)
            elif not working and day.weekday() < 5:
                off.add(day)
            day += dt.timedelta(days=1)
    return frozenset(years), frozenset(off), frozenset(on)


SHIPPED_YEARS: frozenset[int]
_SHIPPED_HOLIDAYS: frozenset[dt.date]
_SHIPPED_WORKDAYS: frozenset[dt.date]
SHIPPED_YEARS, _SHIPPED_HOLIDAYS, _SHIPPED_WORKDAYS = _load_shipped()


def _by_year() -> dict[int, tuple[frozenset[int], frozenset[int]]]:
    """Per shipped year: the ordinals of its holidays and of its make-up working days."""
    return {
        year: (
            frozenset(d.toordinal() for d in _SHIPPED_HOLIDAYS if d.year == year),
            frozenset(d.toordinal() for d in _SHIPPED_WORKDAYS if d.year == year),
        )
        for year in SHIPPED_YEARS
    }


_SHIPPED_BY_YEAR = _by_year()


def shipped_working_day(day: dt.date) -> bool | None:
    """Whether the shipped official data makes ``day`` a working day; None outside its years."""
    if day.year not in SHIPPED_YEARS:
        return None
    if day in _SHIPPED_WORKDAYS:  # make-up days win over the weekend
        return True
    return day.weekday() < 5 and day not in _SHIPPED_HOLIDAYS


class WorkingCalendar:
    """Working days under one catalogue's overrides, the shipped data and Monday–Friday.

    Each year's working days are worked out once, on first use, as a sorted list of day
    ordinals, so that counting hundreds of days is a couple of binary searches.
    """

    def __init__(self, overrides: CalendarOverrides = NO_OVERRIDES) -> None:
        self._overrides = overrides
        self._years: dict[int, tuple[int, ...]] = {}

    @property
    def overrides(self) -> CalendarOverrides:
        return self._overrides

    def is_provisional_year(self, year: int) -> bool:
        """True when neither the catalogue nor the shipped data declares ``year``."""
        return year not in self._overrides.years and year not in SHIPPED_YEARS

    def is_working_day(self, day: dt.date) -> tuple[bool, bool]:
        """(working?, provisional?) for ``day``, judged in the format's order."""
        return self._judge(day), self.is_provisional_year(day.year)

    def add_working_days(self, start: dt.date, days: int) -> tuple[dt.date, bool]:
        """The ``days``-th working day after ``start`` and whether it is provisional.

        ``start`` itself never counts, working day or not; with 0 days the answer is
        ``start``, not provisional. Provisional when any day examined after ``start`` up to
        the answer falls in a year that neither the catalogue nor the shipped data declares.
        """
        if days < 0:
            raise ValueError(f"days must not be negative, got {days}")
        if days == 0:
            return start, False
        remaining = days
        after = start.toordinal()  # count the working days strictly after this one
        year = start.year
        provisional = False
        while True:
            ordinals = self._working_ordinals(year)
            first = bisect_right(ordinals, after)
            # A year is examined only if some day of it lies after ``start``.
            if after < _last_ordinal(year) and self.is_provisional_year(year):
                provisional = True
            available = len(ordinals) - first
            if remaining <= available:
                return dt.date.fromordinal(ordinals[first + remaining - 1]), provisional
            remaining -= available
            after = _last_ordinal(year)
            year += 1
            if year > dt.MAXYEAR:
                raise OverflowError(f"{days} working days after {start} is past year {dt.MAXYEAR}")

    def working_days_between(self, start: dt.date, end: dt.date) -> int:
        """How many working days ``d`` satisfy ``start < d <= end``; 0 if ``end <= start``."""
        if end <= start:
            return 0
        low, high = start.toordinal(), end.toordinal()
        total = 0
        for year in range(start.year, end.year + 1):
            ordinals = self._working_ordinals(year)
            total += bisect_right(ordinals, high) - bisect_right(ordinals, low)
        return total

    def _judge(self, day: dt.date) -> bool:
        if day in self._overrides.holidays:
            return False
        if day in self._overrides.workdays:
            return True
        shipped = shipped_working_day(day)
        if shipped is not None:
            return shipped
        return day.weekday() < 5

    def _working_ordinals(self, year: int) -> tuple[int, ...]:
        cached = self._years.get(year)
        if cached is None:
            cached = self._count_year(year)
            # Only immutable tuples go in, so a race between threads costs a recount, no more.
            self._years[year] = cached
        return cached

    def _count_year(self, year: int) -> tuple[int, ...]:
        # Set arithmetic rather than judging 365 days one by one; applied weakest rule first
        # so that each later rule wins, which is the format's order read backwards.
        first, last = dt.date(year, 1, 1).toordinal(), _last_ordinal(year)
        days = {n for n in range(first, last + 1) if n % 7 not in (0, 6)}  # 0 = Sunday
        if year in SHIPPED_YEARS:
            days -= _SHIPPED_BY_YEAR[year][0]
            days |= _SHIPPED_BY_YEAR[year][1]
        days |= {d.toordinal() for d in self._overrides.workdays if d.year == year}
        days -= {d.toordinal() for d in self._overrides.holidays if d.year == year}
        return tuple(sorted(days))


def _last_ordinal(year: int) -> int:
    return dt.date(year, 12, 31).toordinal()


@lru_cache(maxsize=16)
def calendar_for(overrides: CalendarOverrides) -> WorkingCalendar:
    """The working-day calendar with a catalogue's published years (built once per
    catalogue: the check, the papers and the queue all ask for it)."""
    return WorkingCalendar(overrides)
