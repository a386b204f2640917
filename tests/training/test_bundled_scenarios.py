"""The bundled scenarios: each one's written answer agrees with the shared check on its own
papers and facts, so a scenario can never teach a wrong handling; together they cover every
outcome and the stories the project started from."""

from __future__ import annotations

import dataclasses
from collections import Counter

import pytest

from counterdesk.domain.checklist import Shortfall
from counterdesk.domain.training import (
    OUTCOMES,
    bundled_scenarios,
    expected_handling,
    perfect_handling,
    scenario_problems,
    score,
)
from counterdesk.domain.training.consistency import valid_counts

BUNDLED = bundled_scenarios()


def test_there_are_at_least_twenty_with_distinct_ids() -> None:
    ids = [s.id for s in BUNDLED]
    assert len(ids) >= 20
    assert len(set(ids)) == len(ids)


@pytest.mark.parametrize("scenario", BUNDLED, ids=lambda s: s.id)
def test_the_written_answer_agrees_with_the_shared_check(scenario, catalogue) -> None:
    assert scenario_problems(scenario, catalogue) == []
    computed = expected_handling(scenario, catalogue)
    written = scenario.expected
    assert computed.outcome == written.outcome
    assert set(computed.missing) == set(written.missing)
    assert set(computed.deferred) == set(written.deferred)
    assert set(computed.papers) == set(written.papers) - {"materials", "form"}


@pytest.mark.parametrize("scenario", BUNDLED, ids=lambda s: s.id)
def test_the_right_handling_scores_full_marks(scenario, catalogue) -> None:
    result = score(scenario, perfect_handling(scenario, catalogue), catalogue)
    assert (result.points, result.mistakes, result.passed) == (100, (), True)


def test_every_outcome_and_refusal_ground_is_practised() -> None:
    outcomes = Counter(s.expected.outcome for s in BUNDLED)
    assert set(outcomes) == set(OUTCOMES)
    grounds = {s.expected.refusal.ground for s in BUNDLED if s.expected.refusal}
    assert grounds == {"no_licence_needed", "not_this_authority", "other"}
    assert {s.level for s in BUNDLED} == {"beginner", "intermediate", "exam"}


def test_the_stories_are_all_there() -> None:
    targets = {s.expected.target for s in BUNDLED}
    # karaoke bar, restaurant, housing fund Hangzhou -> Jiaxing, property transfer, newborn,
    # company deregistration, migrant children's school entry
    assert {
        "B-KTV",
        "B-RESTAURANT",
        "GJJ-ZY-001",
        "BDC-DJ-001",
        "B-NEWBORN",
        "B-COMPANY-EXIT",
        "B-SCHOOL",
    } <= targets
    by_id = {s.id: s for s in BUNDLED}
    agent = by_id["agent-company-no-attorney"]
    assert agent.facts["agent"] is True
    assert agent.expected.missing == (Shortfall("power_of_attorney", 1, 0),)
    wrong_place = by_id["trademark-not-this-authority"].expected.refusal
    assert wrong_place and wrong_place.competent_authority and wrong_place.competent_authority.zh
    assert by_id["vegetables-no-licence-needed"].expected.refusal.ground == "no_licence_needed"
    expired = by_id["expired-id-card"]
    assert [p.flaw for p in expired.papers if p.material == "id_card"] == ["expired"]
    assert "id_card" not in valid_counts(expired)  # the card on the desk does not count
    assert any(s.expected.outcome == "accept_deferral" for s in BUNDLED)
    assert any(
        s.expected.outcome == "accept" and not any(p.flaw for p in s.papers) for s in BUNDLED
    )


def test_a_flawed_paper_changes_the_outcome(scenarios, catalogue) -> None:
    """Without its flaw, the expired card would have made the application complete."""
    expired = scenarios["expired-id-card"]
    mended = dataclasses.replace(
        expired,
        papers=tuple(dataclasses.replace(p, flaw=None) for p in expired.papers),
        applicant=dataclasses.replace(expired.applicant, id_card_valid_until=None),
    )
    assert expected_handling(mended, catalogue).outcome == "accept"


# ----- the consistency check catches scenarios that would teach a wrong handling ----------------


def test_a_wrong_outcome_is_caught(scenarios, catalogue) -> None:
    scenario = scenarios["expired-id-card"]
    wrong = dataclasses.replace(
        scenario,
        expected=dataclasses.replace(
            scenario.expected, outcome="accept", missing=(), papers=("receipt",)
        ),
    )
    assert scenario_problems(wrong, catalogue) == [
        "expected.outcome: is accept, but the check on the papers that count says notice",
        "expected.missing: should be id_card (1 original, 1 copies), not empty",
    ]


def test_an_incomplete_missing_list_is_caught(scenarios, catalogue) -> None:
    scenario = scenarios["home-sale-bundle-notice"]
    short = dataclasses.replace(
        scenario,
        expected=dataclasses.replace(scenario.expected, missing=scenario.expected.missing[:1]),
    )
    assert scenario_problems(short, catalogue) == [
        "expected.missing: should be house_sale_contract (1 original, 0 copies), bank_card (1 "
        "original, 0 copies), not house_sale_contract (1 original, 0 copies)"
    ]


def test_unknown_codes_materials_and_facts_are_caught(scenarios, catalogue) -> None:
    scenario = scenarios["gjj-transfer-hangzhou-jiaxing"]
    unknown_target = dataclasses.replace(
        scenario, expected=dataclasses.replace(scenario.expected, target="GJJ-ZY-999")
    )
    assert scenario_problems(unknown_target, catalogue) == [
        'expected.target: unknown item or bundle "GJJ-ZY-999"'
    ]
    papers = (*scenario.papers, dataclasses.replace(scenario.papers[0], material="deed"))
    assert scenario_problems(dataclasses.replace(scenario, papers=papers), catalogue) == [
        'papers[3].material: unknown material "deed"'
    ]
    facts = {k: v for k, v in scenario.facts.items() if k != "origin_centre"}
    facts["premises"] = "owned"
    assert scenario_problems(dataclasses.replace(scenario, facts=facts), catalogue) == [
        "facts.premises: is not a field of the target",
        "facts.origin_centre: required field of GJJ-ZY-001 is missing",
    ]


def test_a_fact_that_does_not_fit_its_field_is_caught(scenarios, catalogue) -> None:
    scenario = scenarios["food-licence-deferral"]
    facts = {**scenario.facts, "operation_type": "takeaway"}
    problems = scenario_problems(dataclasses.replace(scenario, facts=facts), catalogue)
    assert problems == [
        'facts.operation_type: must be one of "catering", "food_retail", "unit_canteen", '
        'got "takeaway" (field of SCJG-SP-001)'
    ]


def test_a_refusal_of_something_the_centre_does_is_caught(scenarios, catalogue) -> None:
    scenario = scenarios["trademark-not-this-authority"]
    refusal = dataclasses.replace(
        scenario.expected.refusal,
        asked_for=dataclasses.replace(scenario.expected.refusal.asked_for, zh="居住证申领"),
    )
    wrong = dataclasses.replace(
        scenario, expected=dataclasses.replace(scenario.expected, refusal=refusal)
    )
    assert scenario_problems(wrong, catalogue) == [
        'expected.refusal.asked_for: "居住证申领" is this centre\'s item GAJ-JZ-001 (居住证申领): it cannot be refused so'
    ]


def test_a_refusal_of_a_catalogue_item_needs_another_legal_ground(scenarios, catalogue) -> None:
    scenario = scenarios["marriage-under-age"]
    refusal = dataclasses.replace(scenario.expected.refusal, ground="no_licence_needed")
    wrong = dataclasses.replace(
        scenario, expected=dataclasses.replace(scenario.expected, refusal=refusal)
    )
    assert scenario_problems(wrong, catalogue) == [
        "expected.refusal.ground: an item of this centre was asked for: only ground other can refuse it"
    ]


def test_counter_copies_count_only_when_the_counter_may_copy(scenarios, catalogue) -> None:
    scenario = scenarios["residence-permit-counter-copies"]
    handling = expected_handling(scenario, catalogue)
    assert handling.counter_copies == {"id_card": 1, "lease_contract": 1}
    no_copier = dataclasses.replace(scenario, counter_copies=False)
    assert expected_handling(no_copier, catalogue).missing == (
        Shortfall("id_card", 0, 1),
        Shortfall("lease_contract", 0, 1),
    )


@pytest.mark.parametrize("scenario", BUNDLED, ids=lambda s: s.id)
def test_the_desk_can_show_what_the_trainee_must_judge(scenario, catalogue) -> None:
    """Training mode shows each paper's note, never its flaw: a flawed paper must say
    what can be seen on it, and each paper must be one the catalogue can name."""
    for paper in scenario.papers:
        assert paper.material in catalogue.materials
        if paper.flaw is not None:
            assert paper.note is not None and paper.note.zh and paper.note.en, paper.material
    written = scenario.expected
    if written.target is not None:  # done on the intake: the item takes this applicant
        items = catalogue.items_of(catalogue.target(written.target))
        assert all(scenario.applicant.type in item.applicant_types for item in items)
