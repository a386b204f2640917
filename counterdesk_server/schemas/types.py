"""Field types that take JSON as written: no quiet coercion of ``0`` to ``false``, ``"3"``
to ``3`` or a number to a timestamp. Input that does not match the document is refused."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from pydantic import BeforeValidator, Field, StrictBool, StrictInt


def _timestamp_text(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value
    if not isinstance(value, str):
        raise ValueError("expected an ISO 8601 date-time string")
    parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    if parsed.tzinfo is None:
        raise ValueError("the date-time needs a time zone (e.g. +08:00)")
    return parsed


JsonBool = StrictBool
JsonInt = StrictInt
JsonNumber = Annotated[float, Field(strict=True)]  # an int or a float, never text or a bool
# A date-time with its zone, as text: when it happened on the counter's own clock.
AwareDateTime = Annotated[dt.datetime, BeforeValidator(_timestamp_text)]
