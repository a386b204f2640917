"""Reading a catalogue's ``calendar`` section: the years it declares and its holidays and
make-up workdays, as catalogue-format.md ("Working days") writes them."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from counterdesk.domain.calendar import CalendarOverrides
from counterdesk.domain.dates import parse_date
from counterdesk.domain.jsonread import describe, is_int

if TYPE_CHECKING:
    from counterdesk.domain.catalogue.loader import _Reader


def read_calendar(reader: _Reader, value: Any) -> CalendarOverrides | None:
    obj = reader._object(value, "calendar", ("years",), ("holidays", "workdays"))
    if obj is None:
        return None
    years: set[int] | None = None
    raw_years = obj.get("years")
    if isinstance(raw_years, list) and raw_years and all(is_int(y) for y in raw_years):
        years = set(raw_years)  # known early: dates may come before years
    ok = True
    lists: dict[str, set[Any]] = {}
    for key, member in obj.items():
        if key == "years":
            ok = _years(reader, member) and ok
        elif key in ("holidays", "workdays"):
            other = "workdays" if key == "holidays" else "holidays"
            dates = _calendar_dates(
                reader, member, f"calendar.{key}", years, lists.get(other), other
            )
            if dates is None:
                ok = False
            else:
                lists[key] = dates
    if not ok or years is None:
        return None
    return CalendarOverrides(
        frozenset(years),
        frozenset(lists.get("holidays", ())),
        frozenset(lists.get("workdays", ())),
    )


def _years(reader: _Reader, value: Any) -> bool:
    if not isinstance(value, list) or not value:
        reader.report("calendar.years", f"must be a non-empty list of years, got {describe(value)}")
        reader._scan_duplicates(value, "calendar.years")
        return False
    ok = True
    seen: set[int] = set()
    for index, year in enumerate(value):
        where = f"calendar.years[{index}]"
        if not is_int(year) or not 1 <= year <= 9999:
            reader.report(where, f"must be a year (an integer), got {describe(year)}")
            ok = False
        elif year in seen:
            reader.report(where, f"year {year} is listed twice")
            ok = False
        else:
            seen.add(year)
    return ok


def _calendar_dates(
    reader: _Reader,
    value: Any,
    path: str,
    years: set[int] | None,
    other: set[Any] | None,
    other_name: str,
) -> set[Any] | None:
    if not isinstance(value, list):
        reader.report(path, f"must be a list of dates, got {describe(value)}")
        reader._scan_duplicates(value, path)
        return None
    ok = True
    result: set[Any] = set()
    for index, entry in enumerate(value):
        where = f"{path}[{index}]"
        day = parse_date(entry)
        if day is None:
            reader.report(
                where,
                f"must be a date written YYYY-MM-DD naming a real day, got {describe(entry)}",
            )
            ok = False
        elif years is not None and day.year not in years:
            reader.report(where, f"{entry} is not in one of the calendar's years")
            ok = False
        elif other is not None and day in other:
            reader.report(where, f"{entry} is also listed in calendar.{other_name}")
            ok = False
        else:
            result.add(day)
    return result if ok else None
