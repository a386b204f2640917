"""A validated catalogue written compactly, for a warm start that skips validation.

Parsing and validating a 10,000-item catalogue takes seconds in Python; a counter that
starts many times a day should pay that once per published catalogue. The compact form
is one JSON header line (departments, materials, bundles, calendar) and one line per item
(code, names, then the item as a positional list). Items are decoded only when first
used, so a warm start reads little more than the names the search needs.

The compact form is trusted: it is only ever written by this program from a catalogue it
has validated, and read back when the catalogue file's hash still matches.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from decimal import Decimal
from typing import Any

from counterdesk.domain.calendar import CalendarOverrides
from counterdesk.domain.catalogue.model import (
    Bundle,
    Catalogue,
    ConditionValue,
    Department,
    FormField,
    Item,
    Material,
    Requirement,
    Result,
)

COMPACT_FORMAT = 1


class LazyItems(Mapping[str, Item]):
    """Items decoded on first use; names available without decoding."""

    def __init__(self, lines: dict[str, tuple[str, str, str]]) -> None:
        self._lines = lines  # code -> (name, name_en, encoded item)
        self._decoded: dict[str, Item] = {}

    def __getitem__(self, code: str) -> Item:
        item = self._decoded.get(code)
        if item is None:
            item = self._decoded[code] = _item_from(json.loads(self._lines[code][2]))
        return item

    def __iter__(self) -> Iterator[str]:
        return iter(self._lines)

    def __len__(self) -> int:
        return len(self._lines)

    def __contains__(self, code: object) -> bool:
        return code in self._lines

    def label(self, code: str) -> tuple[str, str]:
        name, name_en, _ = self._lines[code]
        return name, name_en


def labels_of(catalogue: Catalogue) -> list[tuple[str, str, str, bool]]:
    """(code, name, name_en, is_bundle) of every item and bundle, without decoding items."""
    items = catalogue.items
    if isinstance(items, LazyItems):
        rows = [(code, *items.label(code), False) for code in items]
    else:
        rows = [(i.code, i.name, i.name_en, False) for i in items.values()]
    return rows + [(b.code, b.name, b.name_en, True) for b in catalogue.bundles.values()]


def dump_compact(catalogue: Catalogue, extra: dict[str, Any] | None = None) -> str:
    header = {
        "compact_format": COMPACT_FORMAT,
        "digest": catalogue.digest,
        "version": catalogue.version,
        "departments": [[d.code, d.name, d.name_en] for d in catalogue.departments.values()],
        "materials": [
            [m.id, m.name, m.kind, m.name_en, m.shared] for m in catalogue.materials.values()
        ],
        "bundles": [[b.code, b.name, list(b.items), b.name_en] for b in catalogue.bundles.values()],
        "calendar": catalogue.calendar.to_lists(),
        **(extra or {}),
    }
    lines = [json.dumps(header, ensure_ascii=False)]
    for item in catalogue.items.values():
        encoded = json.dumps(_item_to(item), ensure_ascii=False)
        lines.append(f"{item.code}\t{item.name}\t{item.name_en}\t{encoded}")
    return "\n".join(lines) + "\n"


def load_compact(text: str) -> tuple[Catalogue, dict[str, Any]]:
    """The catalogue and the header (for extras such as a pinyin table); ValueError when
    the text is not a compact catalogue of this format."""
    header_line, _, body = text.partition("\n")
    header = json.loads(header_line)
    if not isinstance(header, dict) or header.get("compact_format") != COMPACT_FORMAT:
        raise ValueError("not a compact catalogue of this format")
    lines: dict[str, tuple[str, str, str]] = {}
    for line in body.splitlines():
        code, name, name_en, encoded = line.split("\t", 3)
        lines[code] = (name, name_en, encoded)
    catalogue = Catalogue(
        version=header["version"],
        departments={c: Department(c, n, e) for c, n, e in header["departments"]},
        materials={i: Material(i, n, k, e, s) for i, n, k, e, s in header["materials"]},
        items=LazyItems(lines),
        bundles={c: Bundle(c, n, tuple(items), e) for c, n, items, e in header["bundles"]},
        calendar=CalendarOverrides.from_lists(header["calendar"]),
        digest=header["digest"],
    )
    return catalogue, header


def _item_to(item: Item) -> list[Any]:
    return [
        item.code,
        item.name,
        item.department,
        list(item.applicant_types),
        item.legal_days,
        item.promised_days,
        str(item.fee),
        [_requirement_to(r) for r in item.materials],
        [item.result.name, list(item.result.delivery), item.result.name_en],
        item.name_en,
        item.legal_basis,
        [[f.key, f.label, f.type, f.required, f.label_en, list(f.choices)] for f in item.fields],
    ]


def _item_from(row: list[Any]) -> Item:
    (code, name, department, types, legal, promised, fee, materials, result, name_en, basis,
     fields) = row  # fmt: skip
    return Item(
        code=code,
        name=name,
        department=department,
        applicant_types=tuple(types),
        legal_days=legal,
        promised_days=promised,
        fee=Decimal(fee),
        materials=tuple(_requirement_from(r) for r in materials),
        result=Result(result[0], tuple(result[1]), result[2]),
        name_en=name_en,
        legal_basis=basis,
        fields=tuple(FormField(k, lab, t, req, en, tuple(ch)) for k, lab, t, req, en, ch in fields),
    )


def _requirement_to(line: Requirement) -> list[Any]:
    when = {fact: _value_to(value) for fact, value in line.when.items()}
    return [line.material, line.need, line.original, line.copies, when]


def _requirement_from(row: list[Any]) -> Requirement:
    material, need, original, copies, when = row
    return Requirement(
        material, need, original, copies, {f: _value_from(v) for f, v in when.items()}
    )


def _value_to(value: ConditionValue) -> Any:
    if isinstance(value, tuple):
        return {"any": [_value_to(v) for v in value]}
    if isinstance(value, Decimal):
        return {"decimal": str(value)}
    return value


def _value_from(value: Any) -> ConditionValue:
    if isinstance(value, dict):
        if "any" in value:
            return tuple(_value_from(v) for v in value["any"])  # type: ignore[misc]
        return Decimal(value["decimal"])
    return value
