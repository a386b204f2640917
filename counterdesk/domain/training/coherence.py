"""What must hold between the parts of a scenario, whatever the catalogue: the persona's
identifiers are valid, the facts describe the persona, slips differ from the truth, and an
ID card past its date lies on the desk as an expired paper (and only then).

Reported with JSON paths by the loader, after the shapes are known to be right.
"""

from __future__ import annotations

import datetime as dt

from counterdesk.domain.identity import (
    Validated,
    validate_phone,
    validate_resident_id,
    validate_uscc,
)
from counterdesk.domain.jsonread import json_equal
from counterdesk.domain.training.model import Scenario


def coherence_problems(scenario: Scenario) -> list[str]:
    problems: list[str] = []

    def report(path: str, message: str) -> None:
        problems.append(f"{path}: {message}")

    def checked(verdict: Validated, path: str) -> None:
        if not verdict.ok:
            report(path, verdict.reason)

    applicant, agent, day = scenario.applicant, scenario.agent, scenario.date
    if applicant.type == "natural":
        checked(validate_resident_id(applicant.id_number, today=day), "applicant.id_number")
        for key in ("contact_name", "contact_id_number"):
            if getattr(applicant, key):
                report(f"applicant.{key}", "only an organisation has a contact")
    else:
        if applicant.id_number:  # none yet for an organisation being registered
            checked(validate_uscc(applicant.id_number), "applicant.id_number")
        if not applicant.contact_name or not applicant.contact_id_number:
            report("applicant", "an organisation needs contact_name and contact_id_number")
        else:
            checked(
                validate_resident_id(applicant.contact_id_number, today=day),
                "applicant.contact_id_number",
            )
    checked(validate_phone(applicant.phone), "applicant.phone")
    if agent is not None:
        checked(validate_resident_id(agent.id_number, today=day), "agent.id_number")
        checked(validate_phone(agent.phone), "agent.phone")
    facts = scenario.facts
    if facts["applicant_type"] != applicant.type:
        report("facts.applicant_type", f"must match applicant.type ({applicant.type})")
    if facts.get("agent", False) != (agent is not None):
        report("facts.agent", "must be true when, and only when, an agent is given")
    for name, slip in scenario.slips.items():
        if name in ("applicant_type", "agent") or name not in facts:
            report(f"slips.{name}", "must name one of the item's field facts")
        elif json_equal(slip, facts[name]):
            report(f"slips.{name}", "is the same as the fact: a slip must differ")
    problems += _expiry(scenario, "id_card", applicant.id_card_valid_until, "applicant")
    agent_until = agent.id_card_valid_until if agent else None
    problems += _expiry(scenario, "agent_id_card", agent_until, "agent")
    return problems


def _expiry(scenario: Scenario, material: str, valid_until: dt.date | None, who: str) -> list[str]:
    problems: list[str] = []
    expired = valid_until is not None and valid_until < scenario.date
    for index, paper in enumerate(scenario.papers):
        if paper.material != material:
            continue
        # A "wrong_person" card is someone else's: its date is not the persona's.
        if expired and paper.flaw not in ("expired", "wrong_person"):
            problems.append(
                f"papers[{index}].flaw: the {who} ID card expired on {valid_until}: "
                'its flaw must be "expired"'
            )
        if paper.flaw == "expired" and not expired:
            problems.append(
                f"{who}.id_card_valid_until: must be a date before {scenario.date} "
                f"when the {material} paper is expired"
            )
    return problems
