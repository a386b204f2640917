"""A scenario back to its JSON document, so generated practice scenarios can be saved,
shown as JSON, and read again by the same strict loader as the bundled ones."""

from __future__ import annotations

import dataclasses
from decimal import Decimal
from typing import Any

from counterdesk.domain.checklist import Shortfall
from counterdesk.domain.training.model import (
    FORMAT_ID,
    Bilingual,
    Expected,
    Refusal,
    Scenario,
)


def scenario_to_json(scenario: Scenario) -> dict[str, Any]:
    """The document ``parse_scenario`` reads back to an equal scenario."""
    applicant = scenario.applicant
    doc: dict[str, Any] = {
        "format": FORMAT_ID,
        "id": scenario.id,
        "title": scenario.title,
        "title_en": scenario.title_en,
        "level": scenario.level,
        "date": scenario.date.isoformat(),
        "source": scenario.source,
        "applicant": _without_empty(
            {
                "type": applicant.type,
                "name": applicant.name,
                "id_number": applicant.id_number,
                "phone": applicant.phone,
                "id_card_valid_until": _date(applicant.id_card_valid_until),
                "contact_name": applicant.contact_name,
                "contact_id_number": applicant.contact_id_number,
            }
        ),
        "agent": None,
        "situation": _text(scenario.situation),
        "request": _text(scenario.request),
        "willing_to_commit": scenario.willing_to_commit,
        "sharing": scenario.sharing,
        "counter_copies": scenario.counter_copies,
        "papers": [
            _without_empty(
                {
                    "material": p.material,
                    "original": p.original,
                    "copies": p.copies,
                    "flaw": p.flaw,
                    "note": _text(p.note) if p.note else None,
                }
            )
            for p in scenario.papers
        ],
        "facts": {k: _plain(v) for k, v in scenario.facts.items()},
        "slips": {k: _plain(v) for k, v in scenario.slips.items()},
        "expected": expected_to_json(scenario.expected),
        "hints": [dataclasses.asdict(h) for h in scenario.hints],
    }
    if scenario.agent is not None:
        agent = scenario.agent
        doc["agent"] = _without_empty(
            {
                "name": agent.name,
                "id_number": agent.id_number,
                "phone": agent.phone,
                "id_card_valid_until": _date(agent.id_card_valid_until),
            }
        )
    return doc


def expected_to_json(expected: Expected) -> dict[str, Any]:
    return {
        "target": expected.target,
        "outcome": expected.outcome,
        "missing": [shortfall_json(s) for s in expected.missing],
        "deferred": [shortfall_json(s) for s in expected.deferred],
        "refusal": _refusal(expected.refusal) if expected.refusal else None,
        "papers": list(expected.papers),
    }


def shortfall_json(shortfall: Shortfall) -> dict[str, Any]:
    return {
        "material": shortfall.material,
        "original": shortfall.original,
        "copies": shortfall.copies,
    }


def _refusal(refusal: Refusal) -> dict[str, Any]:
    doc: dict[str, Any] = {"ground": refusal.ground, "reason": _text(refusal.reason)}
    if refusal.competent_authority is not None:
        authority = refusal.competent_authority
        doc["competent_authority"] = {
            "zh": authority.zh,
            "en": authority.en,
            "aliases": list(authority.aliases),
        }
    if refusal.asked_for is not None:
        doc["asked_for"] = _text(refusal.asked_for)
    return doc


def _text(text: Bilingual) -> dict[str, str]:
    return {"zh": text.zh, "en": text.en}


def _date(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def _plain(value: Any) -> Any:
    """Decimal (how the reader keeps numbers with a fraction) back to a JSON number."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def _without_empty(doc: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in doc.items() if v not in (None, "")}
