"""Shared fixtures for the training tests: the bundled catalogue and scenarios, and a
small valid scenario document that loader tests break one part at a time."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest

from counterdesk.domain.catalogue import Catalogue, bundled_catalogue_path, load_catalogue
from counterdesk.domain.training import Scenario, bundled_scenarios
from counterdesk.domain.training.loader import ScenarioError, parse_scenario

# A valid resident ID number (Nanhu, born 1981-05-06) and a phone, for hand-built documents.
ID_NUMBER = "330402198105062206"
PHONE = "13957362211"


@pytest.fixture(scope="session")
def catalogue() -> Catalogue:
    return load_catalogue(bundled_catalogue_path())


@pytest.fixture(scope="session")
def scenarios() -> dict[str, Scenario]:
    return {s.id: s for s in bundled_scenarios()}


def small_document() -> dict[str, Any]:
    """A social security card application with everything on the desk."""
    return copy.deepcopy(
        {
            "format": "counterdesk-scenario/1",
            "id": "small",
            "title": "办社保卡",
            "title_en": "A social security card",
            "level": "beginner",
            "date": "2026-11-23",
            "applicant": {
                "type": "natural",
                "name": "彭丽",
                "id_number": ID_NUMBER,
                "phone": PHONE,
                "id_card_valid_until": "2030-01-01",
            },
            "situation": {"zh": "彭丽来办社保卡。", "en": "Peng Li applies for a card."},
            "request": {"zh": "我来办社保卡。", "en": "I'm here for a card."},
            "papers": [
                {"material": "ss_card_form", "original": 1},
                {"material": "id_card", "original": 1, "copies": 1},
            ],
            "facts": {
                "applicant_type": "natural",
                "agent": False,
                "applicant_id_number": ID_NUMBER,
                "holder_is_minor": False,
                "contact_phone": PHONE,
            },
            "expected": {"target": "RSJ-SK-001", "outcome": "accept", "papers": ["receipt"]},
        }
    )


def encode(doc: Any) -> bytes:
    return json.dumps(doc, ensure_ascii=False).encode()


def load(doc: Any) -> Scenario:
    return parse_scenario(encode(doc))


def problems_of(doc: Any) -> list[str]:
    data = doc if isinstance(doc, bytes) else encode(doc)
    try:
        parse_scenario(data)
    except ScenarioError as exc:
        return exc.problems
    return []
