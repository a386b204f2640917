"""What a careful officer does with a scenario, worked out by the shared completeness check,
and whether the scenario's written answer agrees with it.

A scenario's author writes the expected handling by hand, for trainers to read; here it is
recomputed from the scenario's own papers and facts with ``checklist.evaluate`` (the one
copy of the rules), so a scenario whose written answer the check contradicts is an error,
not a trap for trainees.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from counterdesk.domain.catalogue.model import Catalogue, Item
from counterdesk.domain.checklist import CheckResult, RequestError, Shortfall, evaluate
from counterdesk.domain.identity import validate_phone, validate_resident_id, validate_uscc
from counterdesk.domain.jsonread import describe, json_equal
from counterdesk.domain.training.model import OUTCOME_PAPERS, Refusal, Scenario

Counts = dict[str, dict[str, int]]


@dataclass(frozen=True)
class ExpectedHandling:
    """The right handling of a scenario, with the check that decided it.

    ``presented`` is what the officer should record as received: the unflawed papers, plus
    ``counter_copies`` (copies the counter makes of an original the applicant brought).
    """

    target: str | None
    outcome: str
    missing: tuple[Shortfall, ...]
    deferred: tuple[Shortfall, ...]
    papers: tuple[str, ...]
    refusal: Refusal | None
    presented: Counts = field(default_factory=dict)
    counter_copies: dict[str, int] = field(default_factory=dict)
    check: CheckResult | None = None


def valid_counts(scenario: Scenario) -> Counts:
    """Originals and copies per material on the desk that count: flawed papers never do."""
    counts: Counts = {}
    for paper in scenario.papers:
        if paper.flaw is None:
            entry = counts.setdefault(paper.material, {"original": 0, "copies": 0})
            entry["original"] += paper.original
            entry["copies"] += paper.copies
    return counts


def flawed_counts(scenario: Scenario) -> Counts:
    counts: Counts = {}
    for paper in scenario.papers:
        if paper.flaw is not None:
            entry = counts.setdefault(paper.material, {"original": 0, "copies": 0})
            entry["original"] += paper.original
            entry["copies"] += paper.copies
    return counts


def expected_handling(
    scenario: Scenario, catalogue: Catalogue, accepted_on: dt.date | None = None
) -> ExpectedHandling:
    """What the shared check says about the papers that count; RequestError when the
    scenario's target or facts do not fit the catalogue (``scenario_problems`` says why)."""
    written = scenario.expected
    if written.target is None:
        return ExpectedHandling(None, "refuse", (), (), OUTCOME_PAPERS["refuse"], written.refusal)
    day = accepted_on or scenario.date
    presented = valid_counts(scenario)
    check = evaluate(
        catalogue, written.target, dict(scenario.facts), presented, scenario.sharing, day
    )
    made: dict[str, int] = {}
    if scenario.counter_copies:
        # An original on the desk lets the counter make the copies itself (domain.md).
        for line in check.checklist:
            have = presented.get(line.material, {"original": 0, "copies": 0})
            if line.status == "missing" and have["original"] >= 1 and have["copies"] < line.copies:
                made[line.material] = line.copies - have["copies"]
                presented[line.material] = {**have, "copies": line.copies}
        if made:
            check = evaluate(
                catalogue, written.target, dict(scenario.facts), presented, scenario.sharing, day
            )
    missing: tuple[Shortfall, ...]
    deferred: tuple[Shortfall, ...]
    if written.outcome == "refuse" and written.refusal is not None:
        # A refusal on another legal ground is the author's call; the check is kept for
        # the debrief (what the papers would have said).
        outcome, missing, deferred = "refuse", (), ()
    elif check.outcome == "complete":
        outcome, missing, deferred = "accept", (), ()
    elif check.outcome == "deferrable" and scenario.willing_to_commit:
        outcome, missing, deferred = "accept_deferral", (), check.deferred
    else:
        # The one-time notice lists everything, the deferrable papers too, since the
        # applicant has not committed to bring them later (as the intake does).
        outcome, missing, deferred = "notice", (*check.missing, *check.deferred), ()
    return ExpectedHandling(
        written.target,
        outcome,
        tuple(missing),
        tuple(deferred),
        OUTCOME_PAPERS[outcome],
        written.refusal if outcome == "refuse" else None,
        presented,
        made,
        check,
    )


def scenario_problems(scenario: Scenario, catalogue: Catalogue) -> list[str]:
    """Everything in ``scenario`` that does not fit ``catalogue`` or the check, with paths."""
    problems: list[str] = []

    def report(path: str, message: str) -> None:
        problems.append(f"{path}: {message}")

    for index, paper in enumerate(scenario.papers):
        if paper.material not in catalogue.materials:
            report(f"papers[{index}].material", f"unknown material {describe(paper.material)}")
    written = scenario.expected
    for name, entries in (("missing", written.missing), ("deferred", written.deferred)):
        for index, entry in enumerate(entries):
            if entry.material not in catalogue.materials:
                report(
                    f"expected.{name}[{index}].material",
                    f"unknown material {describe(entry.material)}",
                )
    if written.target is None:
        _refusal_problems(scenario, catalogue, report)
        return problems
    target = catalogue.target(written.target)
    if target is None:
        report("expected.target", f"unknown item or bundle {describe(written.target)}")
        return problems
    items = catalogue.items_of(target)
    _fact_problems(scenario, items, report)
    if problems:
        return problems
    try:
        handling = expected_handling(scenario, catalogue)
    except RequestError as exc:
        problems.append(str(exc))  # the check's messages begin with their own path
        return problems
    if written.outcome == "refuse":
        if written.refusal is not None and written.refusal.ground != "other":
            report(
                "expected.refusal.ground",
                "an item of this centre was asked for: only ground other can refuse it",
            )
        return problems
    if handling.outcome != written.outcome:
        report(
            "expected.outcome",
            f"is {written.outcome}, but the check on the papers that count says {handling.outcome}",
        )
    for name, wrote, computed in (
        ("missing", written.missing, handling.missing),
        ("deferred", written.deferred, handling.deferred),
    ):
        if _by_material(wrote) != _by_material(computed):
            report(
                f"expected.{name}",
                f"should be {_listed(computed) or 'empty'}, not {_listed(wrote) or 'empty'}",
            )
    return problems


def _fact_problems(scenario: Scenario, items: tuple[Item, ...], report: Any) -> None:
    fields = {f.key: f for item in items for f in item.fields}
    for name in scenario.facts:
        if name not in ("applicant_type", "agent") and name not in fields:
            report(f"facts.{name}", "is not a field of the target")
    for item in items:
        if scenario.applicant.type not in item.applicant_types:
            report(
                "applicant.type",
                f"{item.code} does not accept a {scenario.applicant.type} applicant",
            )
        for form_field in item.fields:
            if form_field.required and form_field.key not in scenario.facts:
                report(f"facts.{form_field.key}", f"required field of {item.code} is missing")
    for name, form_field in fields.items():
        value = scenario.facts.get(name)
        if not isinstance(value, str):
            continue
        verdict = None
        if form_field.type == "id_number":
            verdict = validate_resident_id(value, today=scenario.date)
        elif form_field.type == "uscc":
            verdict = validate_uscc(value)
        elif form_field.type == "phone":
            verdict = validate_phone(value)
        if verdict is not None and not verdict.ok:
            report(f"facts.{name}", verdict.reason)
    applicant = scenario.applicant
    own = {"natural": "applicant_id_number", "legal": "uscc"}[applicant.type]
    if (
        applicant.id_number
        and own in scenario.facts
        and not json_equal(scenario.facts[own], applicant.id_number)
    ):
        report(f"facts.{own}", "must be the applicant's own number (applicant.id_number)")
    phones = [applicant.phone] + ([scenario.agent.phone] if scenario.agent else [])
    phone = scenario.facts.get("contact_phone")
    if phone is not None and phone not in phones:
        report("facts.contact_phone", "must be the applicant's or the agent's phone")
    for name in scenario.slips:
        if name not in fields:
            report(f"slips.{name}", "is not a field of the target")


def _refusal_problems(scenario: Scenario, catalogue: Catalogue, report: Any) -> None:
    """A refusal without a target: the matter must really be missing from the catalogue."""
    refusal = scenario.expected.refusal
    asked = refusal.asked_for.zh if refusal and refusal.asked_for else ""
    if not asked:
        return
    for code, name in catalogue_matches(catalogue, asked):
        report(
            "expected.refusal.asked_for",
            f"{describe(asked)} is this centre's item {code} ({name}): it cannot be refused so",
        )


def catalogue_matches(catalogue: Catalogue, asked: str) -> list[tuple[str, str]]:
    """Items and bundles whose Chinese name contains ``asked`` or is contained in it."""
    names = [(i.code, i.name) for i in catalogue.items.values()]
    names += [(b.code, b.name) for b in catalogue.bundles.values()]
    return [(code, name) for code, name in names if asked in name or name in asked]


def _by_material(entries: tuple[Shortfall, ...]) -> dict[str, tuple[int, int]]:
    return {s.material: (s.original, s.copies) for s in entries}


def _listed(entries: tuple[Shortfall, ...]) -> str:
    return ", ".join(f"{s.material} ({s.original} original, {s.copies} copies)" for s in entries)
