"""The case document an intake makes from its draft: who applied (and their agent), the
item or bundle with its fields and the papers received, or, for a matter no item of this
centre covers, what the applicant asked for. Entries are taken as the domain's validators
normalise them (``intake_entries``); ``intake.submit`` checks them first.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from counterdesk.domain.cases.states import CaseState
from counterdesk.domain.catalogue import Item, Target
from counterdesk.domain.identity import validate_phone, validate_resident_id, validate_uscc
from counterdesk.services.drafts import IntakeDraft
from counterdesk.services.intake_entries import effective_fields, field_value, target_fields

if TYPE_CHECKING:
    from counterdesk.services.intake import Assessment, IntakeContext


def unlisted_document(
    ctx: IntakeContext,
    draft: IntakeDraft,
    target: dict[str, str],
    number: dict[str, Any],
    now: dt.datetime,
    today: dt.date,
) -> dict[str, Any]:
    """The case of a matter no item covers: who applied and what they asked for."""
    return {
        **_people_and_numbers(ctx, draft, number, now, today),
        "target": target,
        "catalogue_version": ctx.catalogue.version,
        "fields": {},
        "received": {},
        "sharing": False,
        "check": None,
    }


def case_document(
    ctx: IntakeContext,
    draft: IntakeDraft,
    target: Target,
    assessment: Assessment,
    number: dict[str, Any],
    now: dt.datetime,
    today: dt.date,
) -> dict[str, Any]:
    """The case of an item or bundle: its fields as typed values, the papers received and
    the check's answer at intake."""
    catalogue = ctx.catalogue
    fields: dict[str, Any] = {}
    values = effective_fields(catalogue, draft)
    for form_field in target_fields(catalogue, target):
        value, _problem = field_value(form_field, values.get(form_field.key, ""), today)
        if value is not None:
            fields[form_field.key] = value
    return {
        **_people_and_numbers(ctx, draft, number, now, today),
        "target": {
            "kind": "item" if isinstance(target, Item) else "bundle",
            "code": target.code,
            "name": target.name,
            "name_en": target.name_en,
        },
        "catalogue_version": catalogue.version,
        "fields": fields,
        "received": {
            material: {
                "original": counts.get("original", 0),
                "copies": counts.get("copies", 0),
                "made_at_counter": counts.get("made_at_counter", 0),
            }
            for material, counts in draft.received.items()
        },
        "sharing": assessment.sharing,
        "check": assessment.result.to_json() if assessment.result else None,
    }


def _people_and_numbers(
    ctx: IntakeContext,
    draft: IntakeDraft,
    number: dict[str, Any],
    now: dt.datetime,
    today: dt.date,
) -> dict[str, Any]:
    """The members every new case has: who applied (and their agent), where, its number,
    and who received it when."""
    legal = draft.applicant_type == "legal"
    id_check = (
        validate_uscc(draft.id_number)
        if legal
        else validate_resident_id(draft.id_number, today=today)
    )
    phone = validate_phone(draft.phone).value if draft.phone.strip() else ""
    agent = None
    if draft.has_agent:
        agent = {
            "name": draft.agent_name.strip(),
            "id_number": validate_resident_id(draft.agent_id, today=today).value,
            "phone": validate_phone(draft.agent_phone).value if draft.agent_phone.strip() else "",
        }
    numbers = (
        {"provisional": number["number"]}
        if number["provisional"]
        else {"official": number["number"]}
    )
    return {
        "id": draft.id,
        "centre": ctx.centre,
        "counter": ctx.counter,
        "training": ctx.training,
        "applicant": {
            "type": draft.applicant_type,
            "name": draft.name.strip(),
            "id_kind": "uscc" if legal else "resident_id",
            "id_number": id_check.value,
            "phone": phone,
            "address": draft.address.strip(),
            "contact_name": draft.contact_name.strip(),
        },
        "agent": agent,
        "numbers": numbers,
        "state": CaseState.RECEIVED.value,
        "assignee": ctx.officer,
        "received_by": ctx.officer,
        "received_at": now.isoformat(),
    }
