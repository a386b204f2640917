"""The entries of an intake as typed, and what is wrong with them: the applicant's and
agent's identifiers (``identity``), the item's own fields by their catalogue type, and the
facts the completeness check evaluates. Pure: no store, no screen.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation
from typing import Any

from counterdesk.domain.catalogue import Catalogue, FormField, Item, Target
from counterdesk.domain.identity import validate_phone, validate_resident_id, validate_uscc
from counterdesk.i18n import _, bilingual
from counterdesk.services.drafts import IntakeDraft

# Item fields that repeat the applicant's own data: filled from it until edited.
FROM_APPLICANT = {
    "applicant_id_number": ("natural", "id_number"),
    "uscc": ("legal", "id_number"),
    "contact_phone": (None, "phone"),
}


def items_of(catalogue: Catalogue, draft: IntakeDraft) -> tuple[Item, ...]:
    target = catalogue.target(draft.target) if draft.target else None
    return catalogue.items_of(target) if target is not None else ()


def target_fields(catalogue: Catalogue, target: Target | None) -> list[FormField]:
    """The target's own fields; for a bundle each key once, as its first item defines it."""
    if target is None:
        return []
    seen: dict[str, FormField] = {}
    for item in catalogue.items_of(target):
        for form_field in item.fields:
            seen.setdefault(form_field.key, form_field)
    return list(seen.values())


def applicant_types(catalogue: Catalogue, target: Target | None) -> tuple[str, ...]:
    """The applicant types every item of the target accepts."""
    if target is None:
        return ("natural", "legal")
    items = catalogue.items_of(target)
    return tuple(
        t for t in ("natural", "legal") if all(t in item.applicant_types for item in items)
    )


def field_value(form_field: FormField, raw: str, today: dt.date) -> tuple[Any, str]:
    """The typed value of a field as the check and the case want it, and the problem with
    the text ("" when none). Empty text is (None, "")."""
    text = raw.strip()
    if not text:
        return None, ""
    kind = form_field.type
    if kind == "number":
        try:
            number = Decimal(text.replace(",", ""))
        except InvalidOperation:
            return None, _("Must be a number.")
        return (int(number) if number == number.to_integral_value() else float(number)), ""
    if kind == "bool":
        lowered = text.lower()
        if lowered in ("y", "yes", "true", "1", "是", "有"):
            return True, ""
        if lowered in ("n", "no", "false", "0", "否", "无"):
            return False, ""
        return None, _("Yes or no: type y or n.")
    if kind == "choice":
        return _choice(form_field.choices, text)
    if kind == "date":
        return _date(text)
    if kind == "id_number":
        checked = validate_resident_id(text, today=today)
        return (checked.value, "") if checked.ok else (None, bilingual(checked.reason))
    if kind == "uscc":
        checked = validate_uscc(text)
        return (checked.value, "") if checked.ok else (None, bilingual(checked.reason))
    if kind == "phone":
        checked = validate_phone(text)
        return (checked.value, "") if checked.ok else (None, bilingual(checked.reason))
    return text, ""


def _choice(choices: tuple[str, ...], text: str) -> tuple[Any, str]:
    if text in choices:
        return text, ""
    if text.isdigit() and 1 <= int(text) <= len(choices):
        return choices[int(text) - 1], ""
    starting = [c for c in choices if c.lower().startswith(text.lower())]
    if len(starting) == 1:
        return starting[0], ""
    listed = " ".join(f"{n}={c}" for n, c in enumerate(choices, 1))
    return None, _("One of: {choices}").format(choices=listed)


def _date(text: str) -> tuple[Any, str]:
    digits = re.sub(r"[年月日./-]", "-", text).strip("-")
    if re.fullmatch(r"\d{8}", digits):
        digits = f"{digits[:4]}-{digits[4:6]}-{digits[6:]}"
    try:
        return dt.date.fromisoformat(digits).isoformat(), ""
    except ValueError:
        return None, _("A date: YYYY-MM-DD.")


def effective_fields(catalogue: Catalogue, draft: IntakeDraft) -> dict[str, str]:
    """The fields' text, with fields that repeat the applicant's data filled from it
    unless the officer typed something else there."""
    target = catalogue.target(draft.target) if draft.target else None
    values = dict(draft.fields)
    for form_field in target_fields(catalogue, target):
        source = FROM_APPLICANT.get(form_field.key)
        if source is None or form_field.key in draft.edited_fields:
            continue
        applicant_type, attribute = source
        if applicant_type in (None, draft.applicant_type):
            values[form_field.key] = getattr(draft, attribute)
    return values


def copied_fields(catalogue: Catalogue, draft: IntakeDraft) -> set[str]:
    """Item fields currently filled from the applicant's data (their problems are the
    applicant's, shown there)."""
    target = catalogue.target(draft.target) if draft.target else None
    copied = set()
    for form_field in target_fields(catalogue, target):
        source = FROM_APPLICANT.get(form_field.key)
        if source and form_field.key not in draft.edited_fields:
            if source[0] in (None, draft.applicant_type):
                copied.add(form_field.key)
    return copied


def field_problems(
    catalogue: Catalogue, draft: IntakeDraft, today: dt.date, *, required: bool
) -> dict[str, str]:
    """Problems with the item's fields; with ``required``, empty required fields too."""
    target = catalogue.target(draft.target) if draft.target else None
    values = effective_fields(catalogue, draft)
    copied = copied_fields(catalogue, draft)
    problems: dict[str, str] = {}
    for form_field in target_fields(catalogue, target):
        if form_field.key in copied:
            continue  # the applicant's own entry says what is wrong
        value, problem = field_value(form_field, values.get(form_field.key, ""), today)
        if problem:
            problems[form_field.key] = problem
        elif required and form_field.required and value is None:
            problems[form_field.key] = _("Required.")
    return problems


def organisation_code_needed(catalogue: Catalogue | None, draft: IntakeDraft) -> bool:
    """An organisation's unified social credit code is asked for when an item of the
    target has a credit-code field; one being registered (a new company) has no code yet
    and may leave it empty (typed, it is still checked)."""
    target = catalogue.target(draft.target) if catalogue is not None and draft.target else None
    if catalogue is None or target is None:
        return True
    return any(f.type == "uscc" for item in catalogue.items_of(target) for f in item.fields)


def applicant_problems(
    draft: IntakeDraft, today: dt.date, *, required: bool, code_needed: bool = True
) -> dict[str, str]:
    """Problems with the applicant's and agent's data, keyed by draft attribute."""
    problems: dict[str, str] = {}

    def check(attribute: str, text: str, validator: Any, needed: bool) -> None:
        if not text.strip():
            if required and needed:
                problems[attribute] = _("Required.")
            return
        checked = validator(text)
        if not checked.ok:
            problems[attribute] = bilingual(checked.reason)

    if required and not draft.name.strip():
        problems["name"] = _("Required.")
    if draft.applicant_type == "legal":
        check("id_number", draft.id_number, validate_uscc, code_needed)
        if required and not draft.contact_name.strip():
            problems["contact_name"] = _("Required.")
    else:
        check("id_number", draft.id_number, lambda t: validate_resident_id(t, today=today), True)
    check("phone", draft.phone, validate_phone, True)
    if draft.has_agent:
        if required and not draft.agent_name.strip():
            problems["agent_name"] = _("Required.")
        check("agent_id", draft.agent_id, lambda t: validate_resident_id(t, today=today), True)
        check("agent_phone", draft.agent_phone, validate_phone, False)
    return problems


def entry_problems(
    catalogue: Catalogue | None, draft: IntakeDraft, today: dt.date, *, required: bool
) -> dict[str, str]:
    """Every entry's problem, keyed as the screen names its inputs: the draft's attribute
    for the applicant and agent, ``field-KEY`` for the item's own fields."""
    code_needed = organisation_code_needed(catalogue, draft)
    problems = applicant_problems(draft, today, required=required, code_needed=code_needed)
    if catalogue is not None:
        found = field_problems(catalogue, draft, today, required=required)
        problems |= {f"field-{key}": reason for key, reason in found.items()}
    return problems


def facts_of(catalogue: Catalogue, draft: IntakeDraft, today: dt.date) -> dict[str, Any]:
    facts: dict[str, Any] = {"applicant_type": draft.applicant_type, "agent": draft.has_agent}
    target = catalogue.target(draft.target) if draft.target else None
    values = effective_fields(catalogue, draft)
    for form_field in target_fields(catalogue, target):
        value, problem = field_value(form_field, values.get(form_field.key, ""), today)
        if value is not None and not problem:
            facts[form_field.key] = value
    return facts
