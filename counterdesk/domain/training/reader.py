"""The generic part of reading a scenario file: shapes, strings, counts and dates, each
mistake reported with its JSON path, as the catalogue loader does.

Kept apart from ``loader.py`` (which knows what a scenario holds) so that each stays short.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from counterdesk.domain.checklist import Shortfall
from counterdesk.domain.dates import parse_date
from counterdesk.domain.jsonread import describe, duplicates_of, is_int
from counterdesk.domain.training.model import Bilingual

MATERIAL_ID = re.compile(r"[a-z][a-z0-9_]*")


def member(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


class ShapeReader:
    """Collects problems while reading; every method returns None for a bad value."""

    def __init__(self) -> None:
        self.problems: list[str] = []

    def report(self, path: str, message: str) -> None:
        self.problems.append(f"{path or '$'}: {message}")

    def object(
        self,
        value: Any,
        path: str,
        required: tuple[str, ...],
        optional: tuple[str, ...] = (),
        *,
        any_key: bool = False,
    ) -> dict[str, Any] | None:
        """``value`` if it is an object with these keys (``x_`` keys are extensions).
        ``any_key``: the keys are names from elsewhere (facts), not the format's own."""
        if not isinstance(value, dict):
            self.report(path, f"must be an object, got {describe(value)}")
            return None
        for key in duplicates_of(value):
            self.report(member(path, key), "key repeated in the same object")
        for key in required:
            if key not in value:
                self.report(member(path, key), "required key is missing")
        allowed = set(required) | set(optional)
        for key in value:
            if not any_key and key not in allowed and not key.startswith("x_"):
                self.report(member(path, key), "unknown key (extensions must begin with x_)")
        return value

    def string(self, value: Any, path: str, *, blank_ok: bool = False) -> str | None:
        if not isinstance(value, str):
            self.report(path, f"must be a string, got {describe(value)}")
            return None
        if not blank_ok and not value.strip():
            self.report(path, "must not be empty")
            return None
        return value

    def choice(self, value: Any, path: str, allowed: tuple[str, ...]) -> str | None:
        if not isinstance(value, str) or value not in allowed:
            names = ", ".join(f'"{a}"' for a in allowed)
            self.report(path, f"must be one of {names}, got {describe(value)}")
            return None
        return value

    def boolean(self, value: Any, path: str) -> bool | None:
        if not isinstance(value, bool):
            self.report(path, f"must be true or false, got {describe(value)}")
            return None
        return value

    def count(self, value: Any, path: str) -> int | None:
        if not is_int(value) or value < 0:
            self.report(path, f"must be a non-negative integer, got {describe(value)}")
            return None
        return int(value)

    def date(self, value: Any, path: str) -> dt.date | None:
        day = parse_date(value)
        if day is None:
            self.report(
                path, f"must be a date written YYYY-MM-DD naming a real day, got {describe(value)}"
            )
        return day

    def bilingual(self, value: Any, path: str) -> Bilingual | None:
        obj = self.object(value, path, ("zh", "en"))
        if obj is None:
            return None
        zh = self.string(obj.get("zh"), f"{path}.zh") if "zh" in obj else None
        en = self.string(obj.get("en"), f"{path}.en") if "en" in obj else None
        return Bilingual(zh, en) if zh is not None and en is not None else None

    def material_id(self, value: Any, path: str) -> str | None:
        material = self.string(value, path)
        if material is not None and not MATERIAL_ID.fullmatch(material):
            self.report(path, f"material id {describe(material)} must match ^[a-z][a-z0-9_]*$")
            return None
        return material

    def counts(self, obj: dict[str, Any], path: str) -> tuple[int, int] | None:
        """``original`` and ``copies`` (each 0 when absent), at least one paper in all."""
        original = self.count(obj.get("original", 0), f"{path}.original")
        copies = self.count(obj.get("copies", 0), f"{path}.copies")
        if original is None or copies is None:
            return None
        if original + copies < 1:
            self.report(path, "needs at least one original or one copy (original + copies >= 1)")
            return None
        return original, copies

    def list_of(self, value: Any, path: str) -> list[Any] | None:
        if not isinstance(value, list):
            self.report(path, f"must be a list, got {describe(value)}")
            return None
        return value

    def shortfalls(self, value: Any, path: str) -> tuple[Shortfall, ...] | None:
        """A missing or deferred list: ``{material, original, copies}``, each material once."""
        entries = self.list_of(value, path)
        if entries is None:
            return None
        result: list[Shortfall] = []
        seen: set[str] = set()
        ok = True
        for index, entry in enumerate(entries):
            where = f"{path}[{index}]"
            obj = self.object(entry, where, ("material",), ("original", "copies"))
            if obj is None:
                ok = False
                continue
            material = self.material_id(obj.get("material"), f"{where}.material")
            counts = self.counts(obj, where)
            if material is not None and material in seen:
                self.report(f"{where}.material", f"material {describe(material)} is listed twice")
                material = None
            if material is None or counts is None:
                ok = False
                continue
            seen.add(material)
            result.append(Shortfall(material, *counts))
        return tuple(result) if ok else None
