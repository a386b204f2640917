"""Loading and validating a catalogue file, exactly as shared/catalogue-format.md says.

Every problem is reported, all at once, in document order, each beginning with its JSON
path (``items[3].materials[1].material: unknown material "deed"``). A problem is reported
once: a reference to a badly written department, material or item counts as known, so the
one mistake does not echo through the file.

Readings the format page leaves open (documented in docs/catalogue.md):
- the keys of ``materials`` and of ``when`` are ids and fact names, not schema keys, so the
  ``x_`` extension rule does not apply to them (``x_ray_film`` is a material id);
- required strings (version, codes, names, labels) must not be empty;
- a value listed twice in ``applicant_types``, ``delivery`` or ``choices`` is an error;
- dates listed twice in ``holidays`` or ``workdays`` are harmless and accepted.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any, TypeVar

from counterdesk.data import BUNDLED_CATALOGUE
from counterdesk.domain.calendar import CalendarOverrides
from counterdesk.domain.cases.unlisted import UNLISTED_CODE
from counterdesk.domain.catalogue.calendar_reader import read_calendar
from counterdesk.domain.catalogue.model import (
    FORMAT_ID,
    MATERIAL_KINDS,
    Bundle,
    Catalogue,
    Department,
    Item,
    Material,
)
from counterdesk.domain.jsonread import (
    JsonSyntaxError,
    describe,
    duplicates_of,
    is_int,
    read_json,
)

CODE_PATTERN = re.compile(r"[A-Z0-9][A-Z0-9-]*")
ID_PATTERN = re.compile(r"[a-z][a-z0-9_]*")
RESERVED_FIELD_KEYS = ("applicant_type", "agent")
MAX_DAYS = 365
T = TypeVar("T")


class CatalogueError(ValueError):
    """A catalogue that cannot be used; ``problems`` lists every reason with its path."""

    def __init__(self, problems: list[str], source: str = "catalogue") -> None:
        self.problems = problems
        self.source = source
        super().__init__(f"{source}: {problems[0]}" if problems else source)


def bundled_catalogue_path() -> Path:
    return BUNDLED_CATALOGUE


def load_catalogue(path: Path | str) -> Catalogue:
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise CatalogueError([f"$: cannot read {path}: {exc.strerror}"], str(path)) from exc
    return parse_catalogue(data, str(path))


def parse_catalogue(data: bytes, source: str = "catalogue") -> Catalogue:
    """The catalogue in ``data``, or CatalogueError listing every problem."""
    try:
        root = read_json(data)
    except JsonSyntaxError as exc:
        raise CatalogueError([f"$: {exc}"], source) from exc
    reader = _Reader()
    catalogue = reader.catalogue(root)
    if reader.problems or catalogue is None:
        raise CatalogueError(reader.problems or ["$: unusable catalogue"], source)
    return replace(catalogue, digest=hashlib.sha256(data).hexdigest())


def validate_catalogue(data: bytes) -> list[str]:
    """Every problem in ``data`` (empty when it is a valid catalogue)."""
    try:
        parse_catalogue(data)
    except CatalogueError as exc:
        return exc.problems
    return []


def _member(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


class _Known:
    """Names defined anywhere in the file, for cross references (None: section unusable)."""

    def __init__(self, root: dict[str, Any]) -> None:
        deps, mats, items = root.get("departments"), root.get("materials"), root.get("items")
        self.departments = _codes(deps)
        self.materials: set[str] | None = set(mats) if isinstance(mats, dict) else None
        self.items = _codes(items)


def _codes(entries: Any) -> set[str] | None:
    """The codes of a list of objects; None (unknown: check no reference) when any entry's
    code cannot be read, since a reference may point at that entry."""
    if not isinstance(entries, list):
        return None
    codes = [e.get("code") if isinstance(e, dict) else None for e in entries]
    if not all(isinstance(code, str) for code in codes):
        return None
    return set(codes)  # type: ignore[arg-type]


class _Reader:
    """Walks the parsed JSON in document order, collecting problems and building the model."""

    def __init__(self) -> None:
        self.problems: list[str] = []
        self._codes_seen: dict[str, str] = {}  # item and bundle codes -> first path

    def report(self, path: str, message: str) -> None:
        self.problems.append(f"{path or '$'}: {message}")

    def set_aside(self, read: Callable[[], T]) -> tuple[T, list[str]]:
        """Run ``read`` keeping its problems apart, to be reported later in document order."""
        saved, self.problems = self.problems, []
        try:
            result = read()
        finally:
            aside, self.problems = self.problems, saved
        return result, aside

    # ----- generic shapes -------------------------------------------------------------

    def _object(
        self, value: Any, path: str, required: tuple[str, ...], optional: tuple[str, ...]
    ) -> dict[str, Any] | None:
        """Check that ``value`` is an object with these keys; report the rest."""
        if not isinstance(value, dict):
            self.report(path, f"must be an object, got {describe(value)}")
            self._scan_duplicates(value, path)
            return None
        for key in duplicates_of(value):
            self.report(_member(path, key), "key repeated in the same object")
        for key in required:
            if key not in value:
                self.report(_member(path, key), "required key is missing")
        allowed = set(required) | set(optional)
        for key, member in value.items():
            if key.startswith("x_"):
                self._scan_duplicates(member, _member(path, key))
            elif key not in allowed:
                self.report(_member(path, key), "unknown key (extensions must begin with x_)")
        return value

    def _scan_duplicates(self, value: Any, path: str) -> None:
        """Repeated keys are errors even inside parts that are otherwise ignored."""
        if isinstance(value, dict):
            for key in duplicates_of(value):
                self.report(_member(path, key), "key repeated in the same object")
            for key, member in value.items():
                self._scan_duplicates(member, _member(path, key))
        elif isinstance(value, list):
            for index, member in enumerate(value):
                self._scan_duplicates(member, f"{path}[{index}]")

    def _string(self, value: Any, path: str, *, required: bool = True) -> str | None:
        if not isinstance(value, str):
            self.report(path, f"must be a string, got {describe(value)}")
            return None
        if required and not value.strip():
            self.report(path, "must not be empty")
            return None
        return value

    def _days(self, value: Any, path: str) -> int | None:
        if not is_int(value) or not 0 <= value <= MAX_DAYS:
            self.report(path, f"must be an integer from 0 to {MAX_DAYS}, got {describe(value)}")
            return None
        return int(value)

    def _count(self, value: Any, path: str) -> int | None:
        if not is_int(value) or value < 0:
            self.report(path, f"must be a non-negative integer, got {describe(value)}")
            return None
        return int(value)

    def _subset(self, value: Any, path: str, allowed: tuple[str, ...]) -> tuple[str, ...] | None:
        """A non-empty list of distinct values from ``allowed``."""
        names = ", ".join(f'"{a}"' for a in allowed)
        if not isinstance(value, list) or not value:
            self.report(path, f"must be a non-empty list of {names}, got {describe(value)}")
            self._scan_duplicates(value, path)
            return None
        ok = True
        seen: set[str] = set()
        for index, entry in enumerate(value):
            if not isinstance(entry, str) or entry not in allowed:
                self.report(f"{path}[{index}]", f"must be one of {names}, got {describe(entry)}")
                ok = False
            elif entry in seen:
                self.report(f"{path}[{index}]", f"{describe(entry)} is listed twice")
                ok = False
            else:
                seen.add(entry)
        return tuple(value) if ok else None

    def _code(self, value: Any, path: str) -> str | None:
        code = self._string(value, path)
        if code is None:
            return None
        if not CODE_PATTERN.fullmatch(code):
            self.report(path, f"code {describe(code)} must match ^[A-Z0-9][A-Z0-9-]*$")
            return None
        if code == UNLISTED_CODE:  # a case's mark for a matter no item covers
            self.report(path, f"code {describe(code)} is reserved for matters no item covers")
            return None
        first = self._codes_seen.get(code)
        if first is not None:
            self.report(path, f"code {describe(code)} is already used at {first}")
            return None
        self._codes_seen[code] = path
        return code

    # ----- top level ------------------------------------------------------------------

    def catalogue(self, root: Any) -> Catalogue | None:
        obj = self._object(
            root,
            "",
            ("format", "version", "departments", "materials", "items"),
            ("bundles", "calendar"),
        )
        if obj is None:
            return None
        self.known = _Known(obj)
        version: str | None = None
        departments: dict[str, Department] | None = None
        materials: dict[str, Material] | None = None
        items: dict[str, Item] | None = None
        bundles: dict[str, Bundle] | None = {}
        calendar: CalendarOverrides | None = CalendarOverrides(
            frozenset(), frozenset(), frozenset()
        )
        for key, value in obj.items():
            if key == "format":
                if value != FORMAT_ID:
                    self.report("format", f'must be "{FORMAT_ID}", got {describe(value)}')
            elif key == "version":
                version = self._string(value, "version")
            elif key == "departments":
                departments = self._departments(value)
            elif key == "materials":
                materials = self._materials(value)
            elif key == "items":
                items = self._items(value)
            elif key == "bundles":
                bundles = self._bundles(value)
            elif key == "calendar":
                calendar = read_calendar(self, value)
        if (
            self.problems
            or version is None
            or departments is None
            or materials is None
            or items is None
            or bundles is None
            or calendar is None
        ):
            return None
        return Catalogue(version, departments, materials, items, bundles, calendar)

    def _departments(self, value: Any) -> dict[str, Department] | None:
        if not isinstance(value, list):
            self.report("departments", f"must be a list, got {describe(value)}")
            self._scan_duplicates(value, "departments")
            return None
        result: dict[str, Department] = {}
        ok = True
        for index, entry in enumerate(value):
            path = f"departments[{index}]"
            obj = self._object(entry, path, ("code", "name"), ("name_en",))
            if obj is None:
                ok = False
                continue
            code = name = None
            name_en = ""
            for key, member in obj.items():
                if key == "code":
                    code = self._string(member, f"{path}.code")
                    if code is not None and code in result:
                        self.report(
                            f"{path}.code", f"department code {describe(code)} is listed twice"
                        )
                        code = None
                        ok = False
                elif key == "name":
                    name = self._string(member, f"{path}.name")
                elif key == "name_en":
                    name_en = self._string(member, f"{path}.name_en", required=False) or ""
            if code is not None and name is not None:
                result[code] = Department(code, name, name_en)
            else:
                ok = False
        return result if ok else None

    def _materials(self, value: Any) -> dict[str, Material] | None:
        if not isinstance(value, dict):
            self.report("materials", f"must be an object, got {describe(value)}")
            self._scan_duplicates(value, "materials")
            return None
        for key in duplicates_of(value):
            self.report(f"materials.{key}", "material id repeated in the same object")
        result: dict[str, Material] = {}
        ok = not duplicates_of(value)
        for material_id, entry in value.items():
            path = f"materials.{material_id}"
            if not ID_PATTERN.fullmatch(material_id):
                self.report(
                    path, f"material id {describe(material_id)} must match ^[a-z][a-z0-9_]*$"
                )
                ok = False
            obj = self._object(entry, path, ("name", "kind"), ("name_en", "shared"))
            if obj is None:
                ok = False
                continue
            name = kind = None
            name_en = ""
            shared: bool | None = False
            for key, member in obj.items():
                if key == "name":
                    name = self._string(member, f"{path}.name")
                elif key == "name_en":
                    name_en = self._string(member, f"{path}.name_en", required=False) or ""
                elif key == "kind":
                    if member in MATERIAL_KINDS:
                        kind = member
                    else:
                        kinds = ", ".join(f'"{k}"' for k in MATERIAL_KINDS)
                        self.report(
                            f"{path}.kind", f"must be one of {kinds}, got {describe(member)}"
                        )
                elif key == "shared":
                    if isinstance(member, bool):
                        shared = member
                    else:
                        self.report(
                            f"{path}.shared", f"must be true or false, got {describe(member)}"
                        )
                        shared = None
            if name is None or kind is None or shared is None:
                ok = False
            else:
                result[material_id] = Material(material_id, name, kind, name_en, shared)
        return result if ok else None

    def _items(self, value: Any) -> dict[str, Item] | None:
        if not isinstance(value, list):
            self.report("items", f"must be a list, got {describe(value)}")
            self._scan_duplicates(value, "items")
            return None
        from counterdesk.domain.catalogue.item_reader import read_item

        result: dict[str, Item] = {}
        ok = True
        for index, entry in enumerate(value):
            item = read_item(self, entry, f"items[{index}]")
            if item is None:
                ok = False
            else:
                result[item.code] = item
        return result if ok else None

    def _bundles(self, value: Any) -> dict[str, Bundle] | None:
        if not isinstance(value, list):
            self.report("bundles", f"must be a list, got {describe(value)}")
            self._scan_duplicates(value, "bundles")
            return None
        result: dict[str, Bundle] = {}
        ok = True
        for index, entry in enumerate(value):
            bundle = self._bundle(entry, f"bundles[{index}]")
            if bundle is None:
                ok = False
            else:
                result[bundle.code] = bundle
        return result if ok else None

    def _bundle(self, value: Any, path: str) -> Bundle | None:
        obj = self._object(value, path, ("code", "name", "items"), ("name_en",))
        if obj is None:
            return None
        code = name = None
        name_en = ""
        items: tuple[str, ...] | None = None
        for key, member in obj.items():
            if key == "code":
                code = self._code(member, f"{path}.code")
            elif key == "name":
                name = self._string(member, f"{path}.name")
            elif key == "name_en":
                name_en = self._string(member, f"{path}.name_en", required=False) or ""
            elif key == "items":
                items = self._bundle_items(member, f"{path}.items")
        if code is None or name is None or items is None:
            return None
        return Bundle(code, name, items, name_en)

    def _bundle_items(self, value: Any, path: str) -> tuple[str, ...] | None:
        if not isinstance(value, list) or len(value) < 2:
            self.report(path, f"must be a list of at least 2 item codes, got {describe(value)}")
            self._scan_duplicates(value, path)
            return None
        ok = True
        seen: set[str] = set()
        known = self.known.items
        for index, code in enumerate(value):
            where = f"{path}[{index}]"
            if not isinstance(code, str):
                self.report(where, f"must be an item code, got {describe(code)}")
                ok = False
            elif code in seen:
                self.report(where, f"item {describe(code)} is listed twice")
                ok = False
            elif known is not None and code not in known:
                self.report(where, f"unknown item {describe(code)}")
                ok = False
            seen.add(code) if isinstance(code, str) else None
        return tuple(value) if ok else None
