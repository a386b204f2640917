"""Reading one service item (事项) of a catalogue: its fields, checklist lines and their
conditions. Split from loader.py because an item is most of the format's rules."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from counterdesk.domain.catalogue.model import (
    APPLICANT_TYPES,
    DELIVERY_METHODS,
    FIELD_TYPES,
    NEEDS,
    ConditionValue,
    FormField,
    Item,
    Requirement,
    Result,
)
from counterdesk.domain.dates import parse_date
from counterdesk.domain.jsonread import describe, duplicates_of, is_int, is_number

if TYPE_CHECKING:
    from counterdesk.domain.catalogue.loader import _Reader

ITEM_REQUIRED = (
    "code",
    "name",
    "department",
    "applicant_types",
    "legal_days",
    "promised_days",
    "fee",
    "materials",
    "result",
)
ITEM_OPTIONAL = ("name_en", "legal_basis", "fields")


def read_item(reader: _Reader, value: Any, path: str) -> Item | None:
    obj = reader._object(value, path, ITEM_REQUIRED, ITEM_OPTIONAL)
    if obj is None:
        return None
    # Fields are read first (their problems held back until their turn in document order)
    # because conditions in `materials` may name them, wherever `fields` stands.
    fields, field_problems = reader.set_aside(
        lambda: _fields(reader, obj.get("fields", []), f"{path}.fields")
    )
    facts = _fact_table(obj.get("fields", []), fields)
    parts: dict[str, Any] = {"name_en": "", "legal_basis": "", "fields": ()}
    ok = True
    for key, member in obj.items():
        where = f"{path}.{key}"
        if key == "code":
            parts[key] = reader._code(member, where)
        elif key in ("name", "name_en", "legal_basis"):
            parts[key] = reader._string(member, where, required=key == "name")
            if parts[key] is None and key != "name":
                ok = False
        elif key == "department":
            parts[key] = _department(reader, member, where)
        elif key == "applicant_types":
            parts[key] = reader._subset(member, where, APPLICANT_TYPES)
        elif key == "legal_days":
            parts[key] = reader._days(member, where)
        elif key == "promised_days":
            parts[key] = _promised_days(reader, member, where, obj.get("legal_days"))
        elif key == "fee":
            parts[key] = _fee(reader, member, where)
        elif key == "fields":
            reader.problems.extend(field_problems)
            parts[key] = fields
            ok = ok and fields is not None
        elif key == "materials":
            parts[key] = _requirements(reader, member, where, facts)
        elif key == "result":
            parts[key] = _result(reader, member, where)
    if not ok or any(parts.get(key) is None for key in ITEM_REQUIRED):
        return None
    return Item(**parts)


def _department(reader: _Reader, value: Any, path: str) -> str | None:
    code = reader._string(value, path)
    known = reader.known.departments
    if code is not None and known is not None and code not in known:
        reader.report(path, f"unknown department {describe(code)}")
        return None
    return code


def _promised_days(reader: _Reader, value: Any, path: str, legal: Any) -> int | None:
    days = reader._days(value, path)
    if days is not None and is_int(legal) and 0 <= legal <= 365 and days > legal:
        reader.report(path, f"promised days ({days}) must not exceed legal_days ({legal})")
        return None
    return days


def _fee(reader: _Reader, value: Any, path: str) -> Decimal | None:
    if not is_number(value) or Decimal(str(value)) < 0:
        reader.report(path, f"must be a number of yuan, 0 or more, got {describe(value)}")
        return None
    cents = Decimal(str(value)) * 100
    if cents != cents.to_integral_value():
        reader.report(path, f"must have at most two decimals, got {describe(value)}")
        return None
    return Decimal(str(value))


def _fields(reader: _Reader, value: Any, path: str) -> tuple[FormField, ...] | None:
    if not isinstance(value, list):
        reader.report(path, f"must be a list, got {describe(value)}")
        reader._scan_duplicates(value, path)
        return None
    result: list[FormField] = []
    keys: set[str] = set()
    ok = True
    for index, entry in enumerate(value):
        field = _field(reader, entry, f"{path}[{index}]", keys)
        if field is None:
            ok = False
        else:
            result.append(field)
    return tuple(result) if ok else None


def _field(reader: _Reader, value: Any, path: str, keys: set[str]) -> FormField | None:
    obj = reader._object(value, path, ("key", "label", "type", "required"), ("label_en", "choices"))
    if obj is None:
        return None
    parts: dict[str, Any] = {"label_en": "", "choices": ()}
    ok = True
    kind = obj.get("type")
    for key, member in obj.items():
        where = f"{path}.{key}"
        if key == "key":
            parts[key] = _field_key(reader, member, where, keys)
        elif key in ("label", "label_en"):
            parts[key] = reader._string(member, where, required=key == "label")
            ok = ok and parts[key] is not None
        elif key == "type":
            if member in FIELD_TYPES:
                parts[key] = member
            else:
                types = ", ".join(f'"{t}"' for t in FIELD_TYPES)
                reader.report(where, f"must be one of {types}, got {describe(member)}")
        elif key == "required":
            if isinstance(member, bool):
                parts[key] = member
            else:
                reader.report(where, f"must be true or false, got {describe(member)}")
        elif key == "choices":
            if kind in FIELD_TYPES and kind != "choice":
                reader.report(
                    where, f'only a "choice" field has choices, this one is {describe(kind)}'
                )
                ok = False
            else:
                parts[key] = _choices(reader, member, where)
                ok = ok and parts[key] is not None
    if kind == "choice" and "choices" not in obj:
        reader.report(f"{path}.choices", 'required key is missing (a "choice" field needs choices)')
        ok = False
    if not ok or any(parts.get(k) is None for k in ("key", "label", "type", "required")):
        return None
    return FormField(**parts)


def _field_key(reader: _Reader, value: Any, path: str, keys: set[str]) -> str | None:
    from counterdesk.domain.catalogue.loader import ID_PATTERN, RESERVED_FIELD_KEYS

    key = reader._string(value, path)
    if key is None:
        return None
    if not ID_PATTERN.fullmatch(key):
        reader.report(path, f"field key {describe(key)} must match ^[a-z][a-z0-9_]*$")
        return None
    if key in RESERVED_FIELD_KEYS:
        reader.report(path, f"{describe(key)} is a reserved fact name and cannot be a field key")
        return None
    if key in keys:
        reader.report(path, f"field key {describe(key)} is used twice in this item")
        return None
    keys.add(key)
    return key


def _choices(reader: _Reader, value: Any, path: str) -> tuple[str, ...] | None:
    if not isinstance(value, list) or not value:
        reader.report(path, f"must be a non-empty list of strings, got {describe(value)}")
        return None
    ok = True
    seen: set[str] = set()
    for index, choice in enumerate(value):
        if not isinstance(choice, str):
            reader.report(f"{path}[{index}]", f"must be a string, got {describe(choice)}")
            ok = False
        elif choice in seen:
            reader.report(f"{path}[{index}]", f"choice {describe(choice)} is listed twice")
            ok = False
        else:
            seen.add(choice)
    return tuple(value) if ok else None


# A fact's type for conditions: a field type, or None when the field itself is badly
# written (its values are then not checked: that mistake is already reported).
_FactTable = dict[str, tuple[str | None, tuple[str, ...] | None]]


def _fact_table(raw: Any, fields: tuple[FormField, ...] | None) -> _FactTable | None:
    """The facts conditions may name; None when ``fields`` is unreadable (any name then
    passes unchecked: the one mistake is already reported)."""
    if not isinstance(raw, list):
        return None
    valid = {f.key: f for f in fields or ()}
    table: _FactTable = {
        "applicant_type": ("choice", APPLICANT_TYPES),
        "agent": ("bool", None),
    }
    for entry in raw:
        key = entry.get("key") if isinstance(entry, dict) else None
        if not isinstance(entry, dict):
            return None  # a field we cannot read may be the one a condition names
        if isinstance(key, str) and key not in table:
            field = valid.get(key)
            table[key] = (field.type, field.choices) if field else (None, None)
    return table


def value_misfit(kind: str, choices: tuple[str, ...] | None, value: Any) -> str | None:
    """Why ``value`` does not fit a fact of this type, or None when it fits."""
    if kind == "choice":
        if isinstance(value, str) and choices is not None and value in choices:
            return None
        listed = ", ".join(f'"{c}"' for c in choices or ())
        return f"must be one of {listed}, got {describe(value)}"
    if kind == "bool":
        return None if isinstance(value, bool) else f"must be true or false, got {describe(value)}"
    if kind == "number":
        return None if is_number(value) else f"must be a number, got {describe(value)}"
    if kind == "date":
        if parse_date(value) is not None:
            return None
        return f"must be a date written YYYY-MM-DD naming a real day, got {describe(value)}"
    return None if isinstance(value, str) else f"must be a string, got {describe(value)}"


def _requirements(
    reader: _Reader, value: Any, path: str, facts: _FactTable | None
) -> tuple[Requirement, ...] | None:
    if not isinstance(value, list):
        reader.report(path, f"must be a list, got {describe(value)}")
        reader._scan_duplicates(value, path)
        return None
    result: list[Requirement] = []
    listed: dict[str, str] = {}
    ok = True
    for index, entry in enumerate(value):
        line = _requirement(reader, entry, f"{path}[{index}]", facts, listed)
        if line is None:
            ok = False
        else:
            result.append(line)
    return tuple(result) if ok else None


def _requirement(
    reader: _Reader, value: Any, path: str, facts: _FactTable | None, listed: dict[str, str]
) -> Requirement | None:
    obj = reader._object(value, path, ("material", "need"), ("original", "copies", "when"))
    if obj is None:
        return None
    parts: dict[str, Any] = {"original": 0, "copies": 0, "when": {}}
    for key, member in obj.items():
        where = f"{path}.{key}"
        if key == "material":
            parts[key] = _material_ref(reader, member, where, listed)
        elif key in ("original", "copies"):
            parts[key] = reader._count(member, where)
        elif key == "need":
            if member in NEEDS:
                parts[key] = member
            else:
                needs = ", ".join(f'"{n}"' for n in NEEDS)
                reader.report(where, f"must be one of {needs}, got {describe(member)}")
        elif key == "when":
            parts[key] = _when(reader, member, where, facts)
    original, copies = parts.get("original"), parts.get("copies")
    if original is not None and copies is not None and original + copies < 1:
        reader.report(path, "needs at least one original or one copy (original + copies >= 1)")
        return None
    if any(parts.get(k) is None for k in ("material", "need", "original", "copies", "when")):
        return None
    return Requirement(**parts)


def _material_ref(reader: _Reader, value: Any, path: str, listed: dict[str, str]) -> str | None:
    material = reader._string(value, path)
    if material is None:
        return None
    known = reader.known.materials
    if known is not None and material not in known:
        reader.report(path, f"unknown material {describe(material)}")
        return None
    if material in listed:
        reader.report(
            path, f"material {describe(material)} is already listed at {listed[material]}"
        )
        return None
    listed[material] = path
    return material


def _when(
    reader: _Reader, value: Any, path: str, facts: _FactTable | None
) -> dict[str, ConditionValue] | None:
    if not isinstance(value, dict):
        reader.report(path, f"must be an object of conditions, got {describe(value)}")
        reader._scan_duplicates(value, path)
        return None
    for key in duplicates_of(value):
        reader.report(f"{path}.{key}", "condition repeated in the same object")
    ok = not duplicates_of(value)
    conditions: dict[str, ConditionValue] = {}
    for fact, expected in value.items():
        where = f"{path}.{fact}"
        if facts is not None and fact not in facts:
            reader.report(
                where,
                f"unknown fact {describe(fact)} (not applicant_type, agent or a field of this item)",
            )
            ok = False
            continue
        kind, choices = facts[fact] if facts is not None else (None, None)
        if isinstance(expected, list):
            if not expected:
                reader.report(where, "must not be an empty list")
                ok = False
                continue
            for index, entry in enumerate(expected):
                problem = value_misfit(kind, choices, entry) if kind else None
                if problem:
                    reader.report(f"{where}[{index}]", problem)
                    ok = False
            conditions[fact] = tuple(expected)
        else:
            problem = value_misfit(kind, choices, expected) if kind else None
            if problem:
                reader.report(where, problem)
                ok = False
            conditions[fact] = expected
    return conditions if ok else None


def _result(reader: _Reader, value: Any, path: str) -> Result | None:
    obj = reader._object(value, path, ("name", "delivery"), ("name_en",))
    if obj is None:
        return None
    name = delivery = None
    name_en: str | None = ""
    for key, member in obj.items():
        if key == "name":
            name = reader._string(member, f"{path}.name")
        elif key == "name_en":
            name_en = reader._string(member, f"{path}.name_en", required=False)
        elif key == "delivery":
            delivery = reader._subset(member, f"{path}.delivery", DELIVERY_METHODS)
    if name is None or delivery is None or name_en is None:
        return None
    return Result(name, delivery, name_en)
