"""Reading JSON the way the catalogue format page wants it read.

The standard ``json.loads`` silently keeps the last of two repeated keys, accepts NaN and
Infinity, and turns ``1.0`` into a float that compares equal to ``1``. Here numbers with
a fraction or exponent become ``Decimal`` (so ``1.0`` is not a count, and ``12.345`` can be
told from ``12.35``), non-standard constants are refused, and every object remembers the
keys it saw twice so a validator can report them at their path.
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

BOM = "\ufeff"


class JsonObject(dict[str, Any]):
    """A JSON object in which some key was repeated: the last value is kept, as most JSON
    readers do, and the repeats are noted for the validator."""

    duplicates: list[str]

    def __init__(self, pairs: list[tuple[str, Any]]) -> None:
        super().__init__(pairs)
        seen: set[str] = set()
        self.duplicates = []
        for key, _ in pairs:
            if key in seen:
                self.duplicates.append(key)
            seen.add(key)


def duplicates_of(value: dict[str, Any]) -> list[str]:
    return value.duplicates if isinstance(value, JsonObject) else []


def _object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    # The common case stays a plain dict: building a subclass per object costs seconds
    # on a city-sized catalogue.
    plain = dict(pairs)
    return plain if len(plain) == len(pairs) else JsonObject(pairs)


class JsonSyntaxError(ValueError):
    """The text is not JSON; the message says where, in words an administrator reads."""


def _refuse_constant(name: str) -> Any:
    raise JsonSyntaxError(f"not valid JSON: {name} is not allowed")


def read_json(data: bytes | str) -> Any:
    """Parse UTF-8 JSON (a leading byte-order mark is accepted)."""
    if isinstance(data, bytes):
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise JsonSyntaxError(f"not UTF-8 text (byte {exc.start})") from exc
    else:
        text = data
    if text.startswith(BOM):
        text = text[1:]
    try:
        return json.loads(
            text,
            object_pairs_hook=_object,
            parse_float=Decimal,
            parse_constant=_refuse_constant,
        )
    except json.JSONDecodeError as exc:
        raise JsonSyntaxError(
            f"not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}"
        ) from exc


def is_int(value: object) -> bool:
    """A JSON integer: not a bool, not ``1.0``."""
    return isinstance(value, int) and not isinstance(value, bool)


def is_number(value: object) -> bool:
    return (is_int(value) or isinstance(value, Decimal | float)) and not isinstance(value, bool)


def json_equal(a: object, b: object) -> bool:
    """JSON equality with no conversion: ``true`` never equals ``1``; ``1`` equals ``1.0``."""
    if isinstance(a, bool) or isinstance(b, bool):
        return isinstance(a, bool) and isinstance(b, bool) and a == b
    if is_number(a) and is_number(b):
        return Decimal(str(a)) == Decimal(str(b))
    if isinstance(a, str) and isinstance(b, str):
        return a == b
    return False


def describe(value: object) -> str:
    """A short rendering of a JSON value for messages."""
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "a list"
    return str(value)
