"""The service catalogue as the program sees it once a file has been validated.

Immutable dataclasses: a loaded catalogue is shared by the screens, the check, the server
and the scorer, and nothing may change it behind their backs.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal

from counterdesk.domain.calendar import NO_OVERRIDES, CalendarOverrides

FORMAT_ID = "counterdesk-catalogue/1"
APPLICANT_TYPES = ("natural", "legal")
MATERIAL_KINDS = ("certificate", "form", "other")
NEEDS = ("required", "optional", "deferrable")
DELIVERY_METHODS = ("pickup", "mail")
FIELD_TYPES = ("text", "date", "number", "choice", "bool", "id_number", "uscc", "phone")

Need = Literal["required", "optional", "deferrable"]
# A condition value: one JSON scalar, or a tuple of them meaning "one of".
Scalar = str | int | Decimal | bool
ConditionValue = Scalar | tuple[Scalar, ...]


@dataclass(frozen=True)
class Department:
    code: str
    name: str
    name_en: str = ""


@dataclass(frozen=True)
class Material:
    id: str
    name: str
    kind: str
    name_en: str = ""
    shared: bool = False  # fetched by the centre through data sharing (电子证照库)


@dataclass(frozen=True)
class FormField:
    key: str
    label: str
    type: str
    required: bool
    label_en: str = ""
    choices: tuple[str, ...] = ()


@dataclass(frozen=True)
class Requirement:
    """One line of an item's checklist."""

    material: str
    need: Need
    original: int = 0
    copies: int = 0
    when: dict[str, ConditionValue] = field(default_factory=dict)


@dataclass(frozen=True)
class Result:
    name: str
    delivery: tuple[str, ...]
    name_en: str = ""


@dataclass(frozen=True)
class Item:
    code: str
    name: str
    department: str
    applicant_types: tuple[str, ...]
    legal_days: int
    promised_days: int
    fee: Decimal
    materials: tuple[Requirement, ...]
    result: Result
    name_en: str = ""
    legal_basis: str = ""
    fields: tuple[FormField, ...] = ()

    def field_named(self, key: str) -> FormField | None:
        return next((f for f in self.fields if f.key == key), None)


@dataclass(frozen=True)
class Bundle:
    """A "one thing" (一件事): several items accepted in one intake."""

    code: str
    name: str
    items: tuple[str, ...]
    name_en: str = ""


Target = Item | Bundle


@dataclass(frozen=True)
class Catalogue:
    version: str
    departments: dict[str, Department]
    materials: dict[str, Material]
    items: Mapping[str, Item]  # may decode items lazily (compact.py)
    bundles: dict[str, Bundle]
    calendar: CalendarOverrides = NO_OVERRIDES
    digest: str = ""  # sha256 of the file's bytes: its identity for caches and ETags

    def target(self, code: str) -> Target | None:
        return self.items.get(code) or self.bundles.get(code)

    def items_of(self, target: Target) -> tuple[Item, ...]:
        if isinstance(target, Item):
            return (target,)
        return tuple(self.items[code] for code in target.items)

    def summary(self) -> str:
        return (
            f"{len(self.departments)} departments, {len(self.items)} items, "
            f"{len(self.bundles)} bundles, {len(self.materials)} materials"
        )
