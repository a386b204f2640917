"""Dates as the catalogue format writes them: ``YYYY-MM-DD`` exactly, naming a real day."""

from __future__ import annotations

import datetime as dt
import re

_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")  # ASCII digits only, unlike \d


def parse_date(value: object) -> dt.date | None:
    """The date ``value`` names, or None when it is not a well-formed real day."""
    if not isinstance(value, str) or not _DATE.fullmatch(value):
        return None
    try:
        return dt.date(int(value[:4]), int(value[5:7]), int(value[8:]))
    except ValueError:
        return None
