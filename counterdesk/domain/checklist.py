"""The completeness check: which materials an item or bundle needs for these facts, what
the applicant has brought, and what is missing, deferrable or fetched by data sharing.

Written once, exactly as shared/catalogue-format.md specifies, and called by the intake
screen, ``counterdesk check``, the server and the training scorer.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from counterdesk.domain.calendar import calendar_for
from counterdesk.domain.catalogue.item_reader import value_misfit
from counterdesk.domain.catalogue.model import (
    APPLICANT_TYPES,
    Catalogue,
    ConditionValue,
    Item,
    Requirement,
    Target,
)
from counterdesk.domain.dates import parse_date
from counterdesk.domain.jsonread import describe, is_int, json_equal

NEED_STRENGTH = {"optional": 0, "deferrable": 1, "required": 2}
COUNT_KEYS = ("original", "copies")


class RequestError(ValueError):
    """A check request that cannot be answered; the message is one line."""


@dataclass(frozen=True)
class ChecklistLine:
    material: str
    name: str
    need: str
    original: int
    copies: int
    status: str  # "ok", "missing" or "by_sharing"


@dataclass(frozen=True)
class Shortfall:
    material: str
    original: int
    copies: int


@dataclass(frozen=True)
class CheckResult:
    target: str
    outcome: str  # "complete", "deferrable" or "incomplete"
    checklist: tuple[ChecklistLine, ...]
    missing: tuple[Shortfall, ...]
    deferred: tuple[Shortfall, ...]
    by_sharing: tuple[str, ...]
    promised_by: dt.date
    legal_by: dt.date
    calendar_provisional: bool
    promised_days: int
    legal_days: int

    def to_json(self) -> dict[str, Any]:
        """The answer exactly as the format page writes it."""
        return {
            "target": self.target,
            "outcome": self.outcome,
            "checklist": [line.__dict__.copy() for line in self.checklist],
            "missing": [s.__dict__.copy() for s in self.missing],
            "deferred": [s.__dict__.copy() for s in self.deferred],
            "by_sharing": list(self.by_sharing),
            "promised_by": self.promised_by.isoformat(),
            "legal_by": self.legal_by.isoformat(),
            "calendar_provisional": self.calendar_provisional,
        }


@dataclass
class _Line:
    material: str
    need: str
    original: int
    copies: int


def check_request(catalogue: Catalogue, request: Any, today: dt.date) -> CheckResult:
    """Answer a request as parsed from JSON; raise RequestError for a bad one."""
    if not isinstance(request, dict):
        raise RequestError(f"the request must be a JSON object, got {describe(request)}")
    target_code = request.get("target")
    if not isinstance(target_code, str):
        raise RequestError(f"target: must be an item or bundle code, got {describe(target_code)}")
    facts = _object_or_empty(request.get("facts"), "facts")
    presented = _object_or_empty(request.get("presented"), "presented")
    sharing = request.get("sharing", True)
    if "accepted_on" in request:
        accepted_on = parse_date(request["accepted_on"])
        if accepted_on is None:
            raise RequestError(
                f"accepted_on: must be a date written YYYY-MM-DD naming a real day, "
                f"got {describe(request['accepted_on'])}"
            )
    else:
        accepted_on = today
    return evaluate(catalogue, target_code, facts, presented, sharing, accepted_on)


def evaluate(
    catalogue: Catalogue,
    target_code: str,
    facts: dict[str, Any],
    presented: dict[str, Any],
    sharing: Any,
    accepted_on: dt.date,
) -> CheckResult:
    """The check for validated-or-not inputs: everything is validated here first."""
    target = catalogue.target(target_code)
    if target is None:
        raise RequestError(f"target: unknown item or bundle {describe(target_code)}")
    items = catalogue.items_of(target)
    if not isinstance(sharing, bool):
        raise RequestError(f"sharing: must be true or false, got {describe(sharing)}")
    _validate_facts(items, facts)
    counts = _validate_presented(catalogue, presented)

    lines = applicable_lines(catalogue, target, facts)
    checklist: list[ChecklistLine] = []
    missing: list[Shortfall] = []
    deferred: list[Shortfall] = []
    by_sharing: list[str] = []
    for line in lines:
        material = catalogue.materials[line.material]
        got_original, got_copies = counts.get(line.material, (0, 0))
        if material.shared and sharing:
            status = "by_sharing"
            by_sharing.append(line.material)
        elif got_original >= line.original and got_copies >= line.copies:
            status = "ok"
        else:
            status = "missing"
            shortfall = Shortfall(
                line.material,
                max(0, line.original - got_original),
                max(0, line.copies - got_copies),
            )
            if line.need == "required":
                missing.append(shortfall)
            elif line.need == "deferrable":
                deferred.append(shortfall)
        checklist.append(
            ChecklistLine(
                line.material, material.name, line.need, line.original, line.copies, status
            )
        )
    outcome = "incomplete" if missing else "deferrable" if deferred else "complete"
    promised_days = max(item.promised_days for item in items)
    legal_days = max(item.legal_days for item in items)
    calendar = calendar_for(catalogue.calendar)
    promised_by, promised_provisional = calendar.add_working_days(accepted_on, promised_days)
    legal_by, legal_provisional = calendar.add_working_days(accepted_on, legal_days)
    return CheckResult(
        target=target_code,
        outcome=outcome,
        checklist=tuple(checklist),
        missing=tuple(missing),
        deferred=tuple(deferred),
        by_sharing=tuple(by_sharing),
        promised_by=promised_by,
        legal_by=legal_by,
        calendar_provisional=promised_provisional or legal_provisional,
        promised_days=promised_days,
        legal_days=legal_days,
    )


def applicable_lines(catalogue: Catalogue, target: Target, facts: dict[str, Any]) -> list[_Line]:
    """The target's checklist for these facts: for a bundle, its items' applicable lines
    merged per material at the first position, with the largest counts and strongest need."""
    merged: dict[str, _Line] = {}
    for item in catalogue.items_of(target):
        for requirement in item.materials:
            if not conditions_hold(requirement, facts):
                continue
            line = merged.get(requirement.material)
            if line is None:
                merged[requirement.material] = _Line(
                    requirement.material, requirement.need, requirement.original, requirement.copies
                )
                continue
            line.original = max(line.original, requirement.original)
            line.copies = max(line.copies, requirement.copies)
            if NEED_STRENGTH[requirement.need] > NEED_STRENGTH[line.need]:
                line.need = requirement.need
    return list(merged.values())


def conditions_hold(requirement: Requirement, facts: dict[str, Any]) -> bool:
    """Every condition holds. ``agent`` not given counts as false; any other fact not given
    makes its condition fail. Values compare by JSON equality with no conversion."""
    for fact, expected in requirement.when.items():
        if fact in facts:
            actual = facts[fact]
        elif fact == "agent":
            actual = False
        else:
            return False
        if not _matches(actual, expected):
            return False
    return True


def _matches(actual: Any, expected: ConditionValue) -> bool:
    options = expected if isinstance(expected, tuple) else (expected,)
    return any(json_equal(actual, option) for option in options)


def _object_or_empty(value: Any, name: str) -> dict[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise RequestError(f"{name}: must be an object, got {describe(value)}")
    return value


def _validate_facts(items: tuple[Item, ...], facts: dict[str, Any]) -> None:
    for name, value in facts.items():
        if name == "applicant_type":
            if not isinstance(value, str) or value not in APPLICANT_TYPES:
                raise RequestError(
                    f'facts.applicant_type: must be "natural" or "legal", got {describe(value)}'
                )
            refusing = [item.code for item in items if value not in item.applicant_types]
            if refusing:
                raise RequestError(
                    f"facts.applicant_type: {', '.join(refusing)} does not accept "
                    f"applicant type {describe(value)}"
                )
        elif name == "agent":
            if not isinstance(value, bool):
                raise RequestError(f"facts.agent: must be true or false, got {describe(value)}")
        else:
            for item in items:
                field = item.field_named(name)
                if field is None:
                    continue  # facts no item of the target defines are ignored
                problem = value_misfit(field.type, field.choices, value)
                if problem:
                    raise RequestError(f"facts.{name}: {problem} (field of {item.code})")


def _validate_presented(
    catalogue: Catalogue, presented: dict[str, Any]
) -> dict[str, tuple[int, int]]:
    counts: dict[str, tuple[int, int]] = {}
    for material, entry in presented.items():
        if material not in catalogue.materials:
            raise RequestError(f"presented.{material}: unknown material {describe(material)}")
        if not isinstance(entry, dict):
            raise RequestError(
                f"presented.{material}: must be an object with original and/or copies, "
                f"got {describe(entry)}"
            )
        for key in entry:
            if key not in COUNT_KEYS:
                raise RequestError(
                    f"presented.{material}.{key}: unknown key (only original and copies)"
                )
        values = []
        for key in COUNT_KEYS:
            count = entry.get(key, 0)
            if not is_int(count) or count < 0:
                raise RequestError(
                    f"presented.{material}.{key}: must be a non-negative integer, "
                    f"got {describe(count)}"
                )
            values.append(int(count))
        counts[material] = (values[0], values[1])
    return counts
