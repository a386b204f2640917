"""The scorer: full marks for the right handling; each known wrong handling loses the
right points under the right mistake code, with the rule that applied."""

from __future__ import annotations

import dataclasses

import pytest

from counterdesk.domain.checklist import Shortfall
from counterdesk.domain.training import (
    RULES,
    Handling,
    Received,
    perfect_handling,
    score,
)
from counterdesk.domain.training.mistakes import CATEGORY_CAPS, EXAM_SECONDS
from counterdesk.domain.training.scorer import _OUTCOME_MISTAKES


@pytest.fixture
def judge(scenarios, catalogue):
    """judge(scenario id, **changes to the perfect handling) -> (points, [(code, points)])"""

    def run(scenario_id: str, **changes):
        scenario = scenarios[scenario_id]
        handling = dataclasses.replace(perfect_handling(scenario, catalogue), **changes)
        result = score(scenario, handling, catalogue)
        return result.points, [(m.code, m.points) for m in result.mistakes], result

    return run


def received(scenarios, catalogue, scenario_id: str, **marks: Received) -> dict[str, Received]:
    base = dict(perfect_handling(scenarios[scenario_id], catalogue).received)
    base.update(marks)
    return base


# ----- the item or bundle -------------------------------------------------------------------


def test_the_wrong_item_costs_thirty(judge) -> None:
    points, mistakes, result = judge("gjj-transfer-hangzhou-jiaxing", target="GJJ-TQ-001")
    assert (points, mistakes) == (70, [("wrong_target", 30)])
    assert "住房公积金异地转移接续（GJJ-ZY-001）" in result.mistakes[0].detail_zh
    assert result.mistakes[0].rule_en.startswith("Choose the item the applicant really needs")


def test_one_item_of_the_bundle_costs_fifteen(judge) -> None:
    assert judge("restaurant-one-thing", target="SCJG-GT-001")[:2] == (85, [("part_of_bundle", 15)])


def test_a_bundle_for_one_item_costs_ten(judge) -> None:
    assert judge("food-licence-deferral", target="B-RESTAURANT")[:2] == (
        90,
        [("needless_bundle", 10)],
    )


def test_no_item_chosen_is_the_wrong_item(judge) -> None:
    assert judge("gjj-transfer-hangzhou-jiaxing", target=None)[1] == [("wrong_target", 30)]


# ----- the facts ------------------------------------------------------------------------------


def test_copying_the_slip_from_the_form(judge, scenarios) -> None:
    facts = {**scenarios["newborn-one-thing-slip"].facts, "birth_date": "2026-11-01"}
    points, mistakes, result = judge("newborn-one-thing-slip", facts=facts)
    assert (points, mistakes) == (95, [("copied_slip", 5)])
    assert "第三十二条" in result.mistakes[0].rule_zh


def test_a_wrong_fact_and_the_cap_on_facts(judge, scenarios) -> None:
    facts = dict(scenarios["newborn-one-thing-slip"].facts)
    assert judge("newborn-one-thing-slip", facts={**facts, "birth_date": "2026-11-11"})[1] == [
        ("wrong_fact", 5)
    ]
    many = {**facts, "birth_date": "2026-11-11", "settle_with": "father", "parents_married": False}
    assert judge("newborn-one-thing-slip", facts=many)[:2] == (
        90,
        [("wrong_fact", 5), ("wrong_fact", 5), ("wrong_fact", 0)],
    )


def test_identifiers_compare_as_typed_at_the_counter(judge, scenarios) -> None:
    facts = dict(scenarios["gjj-transfer-hangzhou-jiaxing"].facts)
    spaced = facts["applicant_id_number"]
    spaced = f"{spaced[:6]} {spaced[6:14]} {spaced[14:]}"
    assert (
        judge("gjj-transfer-hangzhou-jiaxing", facts={**facts, "applicant_id_number": spaced})[0]
        == 100
    )


def test_forgetting_the_agent_flag(judge, scenarios) -> None:
    facts = {**scenarios["agent-convenience-store"].facts, "agent": False}
    assert judge("agent-convenience-store", facts=facts)[1] == [("wrong_fact", 5)]


# ----- the papers received ----------------------------------------------------------------------


def test_counting_the_expired_id_card_and_accepting(judge, scenarios, catalogue) -> None:
    marks = received(scenarios, catalogue, "expired-id-card", id_card=Received(1, 1))
    points, mistakes, result = judge(
        "expired-id-card", received=marks, outcome="accept", missing=(), printed=("receipt",)
    )
    assert (points, mistakes) == (50, [("counted_flawed_paper", 10), ("accepted_incomplete", 40)])
    assert not result.passed
    assert "expired" in result.mistakes[0].detail_en
    # The debrief can tell: the trainee's own records said complete, the valid papers did not.
    assert result.trainee_check.outcome == "complete"
    assert "complete" in result.mistakes[1].detail_en


def test_counting_an_illegible_copy_but_not_a_fresh_counter_copy(
    judge, scenarios, catalogue
) -> None:
    sid = "licence-replacement-illegible-copy"
    assert judge(sid, received=received(scenarios, catalogue, sid, id_card=Received(1, 1)))[1] == [
        ("counted_flawed_paper", 10)
    ]
    assert (
        judge(sid, received=received(scenarios, catalogue, sid, id_card=Received(1, 1, 1)))[0]
        == 100
    )


def test_recording_a_paper_never_brought(judge, scenarios, catalogue) -> None:
    marks = received(
        scenarios, catalogue, "gjj-transfer-hangzhou-jiaxing", marriage_certificate=Received(0, 1)
    )
    assert judge("gjj-transfer-hangzhou-jiaxing", received=marks)[1] == [
        ("counted_absent_paper", 10)
    ]


def test_a_paper_brought_but_not_recorded(judge, scenarios, catalogue) -> None:
    marks = received(scenarios, catalogue, "gjj-transfer-hangzhou-jiaxing")
    del marks["labour_contract"]
    assert judge("gjj-transfer-hangzhou-jiaxing", received=marks)[:2] == (
        97,
        [("uncounted_paper", 3)],
    )


def test_the_counter_copy_not_made(judge, scenarios, catalogue) -> None:
    sid = "residence-permit-counter-copies"
    marks = received(scenarios, catalogue, sid, id_card=Received(1, 0))
    assert judge(sid, received=marks)[1] == [("copy_not_made", 3)]


# ----- the decision ----------------------------------------------------------------------------


def test_accepting_what_needs_a_notice(judge) -> None:
    points, mistakes, result = judge(
        "company-exit-notice", outcome="accept", missing=(), printed=("receipt",)
    )
    assert (points, mistakes) == (60, [("accepted_incomplete", 40)])
    assert result.mistakes[0].serious and not result.passed


def test_accepting_outright_what_needs_a_commitment(judge) -> None:
    assert judge("karaoke-bar-deferral", outcome="accept", deferred=(), printed=("receipt",))[
        :2
    ] == (
        75,
        [("accepted_without_commitment", 25)],
    )


def test_deferring_a_required_paper(judge) -> None:
    points, mistakes, _ = judge(
        "expired-id-card",
        outcome="accept_deferral",
        missing=(),
        deferred=(Shortfall("id_card", 1, 1),),
        printed=("receipt", "commitment"),
    )
    assert (points, mistakes) == (70, [("deferred_required_paper", 30)])


def test_deferring_when_the_applicant_will_not_sign(judge) -> None:
    assert judge(
        "employer-fund-deferral-declined",
        outcome="accept_deferral",
        missing=(),
        deferred=(Shortfall("staff_list", 0, 1),),
        printed=("receipt", "commitment"),
    )[1] == [("deferral_not_agreed", 15)]


def test_a_notice_when_deferral_was_possible(judge) -> None:
    deferred = (Shortfall("equipment_layout", 0, 1), Shortfall("food_safety_rules", 0, 1))
    assert judge(
        "food-licence-deferral",
        outcome="notice",
        missing=deferred,
        deferred=(),
        printed=("notice",),
    )[1] == [("deferral_not_offered", 10)]


def test_a_needless_notice_and_a_needless_deferral(judge) -> None:
    notice = judge("gjj-transfer-hangzhou-jiaxing", outcome="notice", printed=("notice",))
    assert notice[:2] == (80, [("needless_notice", 20)])
    assert notice[2].passed  # a costly slip, not a serious one
    deferral = judge(
        "gjj-transfer-hangzhou-jiaxing",
        outcome="accept_deferral",
        printed=("receipt", "commitment"),
    )
    assert deferral[1] == [("needless_deferral", 10)]


def test_refusing_a_proper_application(judge) -> None:
    assert judge(
        "gjj-transfer-hangzhou-jiaxing",
        outcome="refuse",
        refusal_ground="other",
        printed=("refusal",),
    )[:2] == (60, [("wrongful_refusal", 40)])


def test_only_receiving_what_could_be_decided(judge) -> None:
    assert judge("gjj-transfer-hangzhou-jiaxing", outcome="receive", printed=("materials",))[
        :2
    ] == (
        90,
        [("decision_not_made", 10)],
    )


def test_not_refusing_a_matter_of_another_authority(judge) -> None:
    sid = "trademark-not-this-authority"
    assert judge(sid, target="SCJG-GT-001", outcome="accept", printed=("receipt",))[1] == [
        ("accepted_should_refuse", 40)
    ]
    assert judge(sid, outcome="notice", missing=(Shortfall("id_card", 0, 1),), printed=("notice",))[
        1
    ] == [("notice_should_refuse", 25)]
    assert judge(sid, outcome="receive", printed=("materials",))[1] == [
        ("received_should_refuse", 20)
    ]


# ----- the lists and the refusal -------------------------------------------------------------------


def test_the_notice_must_list_everything_missing(judge) -> None:
    one = (Shortfall("house_sale_contract", 1, 0),)
    points, mistakes, result = judge("home-sale-bundle-notice", missing=one)
    assert (points, mistakes) == (95, [("notice_missing_material", 5)])
    assert result.mistakes[0].material == "bank_card"
    assert "一次性告知" in result.mistakes[0].rule_zh


def test_the_notice_lists_only_what_is_missing_with_the_right_counts(judge) -> None:
    listed = (
        Shortfall("house_sale_contract", 1, 1),
        Shortfall("bank_card", 1, 0),
        Shortfall("id_card", 1, 1),
    )
    assert judge("home-sale-bundle-notice", missing=listed)[1] == [
        ("notice_wrong_count", 2),
        ("notice_extra_material", 3),
    ]


def test_the_commitment_must_name_every_deferred_paper(judge) -> None:
    assert judge("food-licence-deferral", deferred=(Shortfall("food_safety_rules", 0, 1),))[1] == [
        ("deferred_missing_material", 5)
    ]


def test_the_refusal_ground_and_the_competent_authority(judge) -> None:
    sid = "trademark-not-this-authority"
    assert judge(sid, refusal_ground="no_licence_needed")[1] == [("wrong_refusal_ground", 10)]
    assert judge(sid, competent_authority="")[1] == [("authority_not_named", 5)]
    assert judge(sid, competent_authority="市场监督管理局")[1] == [("authority_not_named", 5)]
    assert judge(sid, competent_authority="国家知识产权局商标局")[0] == 100
    assert (
        judge("driving-licence-not-this-authority", competent_authority="交警支队 车管所")[0] == 100
    )
    assert judge("vegetables-no-licence-needed", competent_authority="")[0] == 100


def test_an_underage_marriage_is_refused_on_another_ground(judge) -> None:
    assert judge("marriage-under-age", outcome="accept", refusal_ground=None, printed=("receipt",))[
        1
    ] == [("accepted_should_refuse", 40)]


# ----- papers printed and time -------------------------------------------------------------------


def test_papers_follow_the_trainees_own_decision(judge) -> None:
    assert judge("karaoke-bar-deferral", printed=("receipt",))[1] == [("paper_not_printed", 5)]
    assert judge("gjj-transfer-hangzhou-jiaxing", printed=("receipt", "refusal"))[1] == [
        ("wrong_paper_printed", 5)
    ]
    assert (
        judge("gjj-transfer-hangzhou-jiaxing", printed=("form", "receipt", "materials"))[0] == 100
    )


def test_time_and_keys_are_recorded_and_only_exams_have_a_limit(judge) -> None:
    points, mistakes, result = judge("home-sale-bundle-notice", seconds=EXAM_SECONDS + 1, keys=212)
    assert (points, mistakes) == (95, [("over_time", 5)])
    assert (result.seconds, result.keys) == (EXAM_SECONDS + 1, 212)
    assert judge("gjj-transfer-hangzhou-jiaxing", seconds=5000)[0] == 100


def test_the_score_never_goes_below_zero(scenarios, catalogue) -> None:
    handling = Handling(
        target="B-KTV",
        outcome="refuse",
        facts={"applicant_type": "legal", "agent": True},
        received={"deed_tax_declaration": Received(3, 3)},
        refusal_ground="other",
        printed=("receipt", "notice"),
        seconds=9999,
    )
    result = score(scenarios["expired-id-card"], handling, catalogue)
    assert result.points == 0
    assert sum(m.points for m in result.mistakes) >= 100
    # Each category lost at most its cap.
    for category, cap in CATEGORY_CAPS.items():
        assert sum(m.points for m in result.mistakes if m.category == category) <= cap


def test_an_unknown_outcome_is_refused(scenarios, catalogue) -> None:
    handling = dataclasses.replace(
        perfect_handling(scenarios["expired-id-card"], catalogue), outcome="maybe"
    )
    with pytest.raises(ValueError, match="outcome must be one of"):
        score(scenarios["expired-id-card"], handling, catalogue)


# ----- the rules table ----------------------------------------------------------------------------


def test_every_mistake_has_its_rule_in_both_languages() -> None:
    for code, rule in RULES.items():
        assert rule.category in CATEGORY_CAPS, code
        assert 0 < rule.points <= CATEGORY_CAPS[rule.category], code
        assert rule.zh.strip() and rule.en.strip(), code
    assert set(_OUTCOME_MISTAKES.values()) <= set(RULES)
