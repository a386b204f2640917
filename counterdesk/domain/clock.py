"""An injectable "now", so that no rule and no test depends on the real date.

The official holiday data ends in 2026; every rule that needs today takes a Clock.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Protocol

CHINA_TZ = dt.timezone(dt.timedelta(hours=8), "Asia/Shanghai")


class Clock(Protocol):
    def now(self) -> dt.datetime:
        """An aware datetime."""
        ...

    def today(self) -> dt.date: ...


class SystemClock:
    """The real clock, in the machine's local zone unless told otherwise."""

    def __init__(self, tz: dt.tzinfo | None = None) -> None:
        self._tz = tz

    def now(self) -> dt.datetime:
        return dt.datetime.now(self._tz).astimezone(self._tz)

    def today(self) -> dt.date:
        return self.now().date()


@dataclass
class FixedClock:
    """A clock that stands still until moved; for tests, training and the bench."""

    current: dt.datetime = field(
        default_factory=lambda: dt.datetime(2026, 11, 23, 9, 0, tzinfo=CHINA_TZ)
    )

    def now(self) -> dt.datetime:
        return self.current

    def today(self) -> dt.date:
        return self.current.date()

    def advance(self, **delta: float) -> None:
        self.current = self.current + dt.timedelta(**delta)
