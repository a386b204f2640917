"""The scenario loader: strict like the catalogue's, every problem with its JSON path."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

from counterdesk.domain.training import generate_scenario, scenario_to_json
from counterdesk.domain.training.loader import ScenarioError, parse_scenario
from tests.training.conftest import ID_NUMBER, encode, load, problems_of, small_document


def broken(edit: Callable[[dict[str, Any]], None]) -> list[str]:
    doc = small_document()
    edit(doc)
    return problems_of(doc)


def test_the_small_document_is_valid() -> None:
    scenario = load(small_document())
    assert scenario.date == dt.date(2026, 11, 23)
    assert scenario.applicant.id_card_valid_until == dt.date(2030, 1, 1)
    assert scenario.papers[0].copies == 0  # an absent count is 0
    assert scenario.willing_to_commit and scenario.sharing and scenario.counter_copies


def test_not_json_is_one_problem_at_the_root() -> None:
    assert problems_of(b"{") == [
        "$: not valid JSON: Expecting property name enclosed in double quotes at line 1 column 2"
    ]


@pytest.mark.parametrize(
    ("edit", "expected"),
    [
        (
            lambda d: d.update(format="counterdesk-scenario/2"),
            'format: must be "counterdesk-scenario/1", got "counterdesk-scenario/2"',
        ),
        (lambda d: d.update(copys=1), "copys: unknown key (extensions must begin with x_)"),
        (lambda d: d.pop("title_en"), "title_en: required key is missing"),
        (
            lambda d: d.update(id="Small One"),
            'id: scenario id "Small One" must match ^[a-z0-9][a-z0-9-]*$',
        ),
        (
            lambda d: d.update(level="expert"),
            'level: must be one of "beginner", "intermediate", "exam", got "expert"',
        ),
        (
            lambda d: d.update(date="2026-02-30"),
            'date: must be a date written YYYY-MM-DD naming a real day, got "2026-02-30"',
        ),
        (
            lambda d: d["papers"][1].update(copys=1),
            "papers[1].copys: unknown key (extensions must begin with x_)",
        ),
        (
            lambda d: d["papers"][1].update(copies=1.0),
            "papers[1].copies: must be a non-negative integer, got 1.0",
        ),
        (
            lambda d: d["papers"][0].update(original=0),
            "papers[0]: needs at least one original or one copy (original + copies >= 1)",
        ),
        (
            lambda d: d["papers"][1].update(flaw="torn"),
            'papers[1].flaw: must be one of "expired", "wrong_person", "illegible", "wrong_document", "unsigned", got "torn"',
        ),
        (
            lambda d: d["papers"][1].update(material="ID-card"),
            'papers[1].material: material id "ID-card" must match ^[a-z][a-z0-9_]*$',
        ),
        (lambda d: d["situation"].pop("en"), "situation.en: required key is missing"),
        (
            lambda d: d["facts"].update(area=[1]),
            "facts.area: must be a string, number or bool, got a list",
        ),
        (lambda d: d["facts"].update(agent="no"), 'facts.agent: must be true or false, got "no"'),
        (
            lambda d: d["expected"].update(outcome="receive_only"),
            'expected.outcome: must be one of "accept", "accept_deferral", "notice", "refuse", got "receive_only"',
        ),
        (
            lambda d: d["expected"].update(papers=["receipt", "refusal"]),
            'expected.papers: the outcome accept prints "receipt" (besides materials and form)',
        ),
        (
            lambda d: d["expected"].update(papers=["certificate"]),
            'expected.papers[0]: must be one of "receipt", "notice", "commitment", "refusal", "materials", "form", "delivery", got "certificate"',
        ),
        (
            lambda d: d["expected"].update(missing=[{"material": "id_card", "copies": 1}]),
            "expected.missing: must list what is missing when, and only when, the outcome is notice",
        ),
        (
            lambda d: d["expected"].update(outcome="notice", papers=["notice"]),
            "expected.missing: must list what is missing when, and only when, the outcome is notice",
        ),
        (
            lambda d: d["expected"].update(target=None),
            "expected.target: may be null only when the outcome is refuse",
        ),
        (
            lambda d: d["expected"].update(outcome="refuse", papers=["refusal"]),
            "expected.refusal: is required when, and only when, the outcome is refuse",
        ),
        (
            lambda d: d.update(hints=[{"step": "luck", "zh": "好", "en": "ok"}]),
            'hints[0].step: must be one of "target", "applicant", "facts", "papers", "decision", "print", got "luck"',
        ),
        (lambda d: d.update(sharing="yes"), 'sharing: must be true or false, got "yes"'),
    ],
)
def test_each_mistake_is_reported_at_its_path(
    edit: Callable[[dict[str, Any]], None], expected: str
) -> None:
    assert expected in broken(edit)


def test_extensions_are_kept_out_of_the_way() -> None:
    doc = small_document()
    doc["x_author"] = "培训组"
    doc["applicant"]["x_note"] = {"anything": [1, 2]}
    doc["papers"][0]["x_colour"] = "blue"
    assert problems_of(doc) == []


def test_a_repeated_key_is_an_error_even_when_the_last_value_is_fine() -> None:
    text = (
        encode(small_document())
        .decode()
        .replace('"level": "beginner"', '"level": "exam", "level": "beginner"')
    )
    assert "level: key repeated in the same object" in problems_of(text.encode())


def test_every_problem_is_reported_at_once() -> None:
    def edit(d: dict[str, Any]) -> None:
        d["level"] = "expert"
        d["papers"][0]["copys"] = 1
        d["expected"]["outcome"] = "maybe"

    assert [p.split(":")[0] for p in broken(edit)] == [
        "level",
        "papers[0].copys",
        "expected.outcome",
    ]


def test_the_error_names_its_source() -> None:
    with pytest.raises(ScenarioError) as caught:
        parse_scenario(b"[]", "scenarios/99-bad.json")
    assert str(caught.value) == "scenarios/99-bad.json: $: must be an object, got a list"


# ----- what must hold between the parts ------------------------------------------------------


def test_the_persona_id_number_must_be_valid() -> None:
    wrong = ID_NUMBER[:-1] + "0"
    problems = broken(lambda d: d["applicant"].update(id_number=wrong))
    assert problems == [
        "applicant.id_number: 校验位不符：按前17位应为 6，实为 0（可能有数字输错） / check digit "
        "mismatch: the first 17 digits give 6, the number ends in 0 (a digit may be mistyped)"
    ]


def test_a_birth_date_after_the_scenario_day_is_refused() -> None:
    problems = broken(lambda d: d.update(date="1980-01-01"))
    assert problems and problems[0].startswith("applicant.id_number: 出生日期 1981-05-06 晚于今天")


def test_the_phone_must_be_a_phone() -> None:
    assert broken(lambda d: d["applicant"].update(phone="12345"))[0].startswith("applicant.phone:")


def test_facts_must_describe_the_persona() -> None:
    assert broken(lambda d: d["facts"].update(applicant_type="legal")) == [
        "facts.applicant_type: must match applicant.type (natural)"
    ]
    assert broken(lambda d: d["facts"].update(agent=True)) == [
        "facts.agent: must be true when, and only when, an agent is given"
    ]


def test_an_organisation_needs_its_contact_and_may_lack_a_code() -> None:
    def organisation(d: dict[str, Any]) -> None:
        d["applicant"] = {"type": "legal", "name": "某公司（筹）", "phone": "0573-82051688"}
        d["facts"]["applicant_type"] = "legal"

    assert broken(organisation) == [
        "applicant: an organisation needs contact_name and contact_id_number"
    ]


def test_a_person_needs_an_id_number() -> None:
    assert "applicant.id_number: required key is missing (a person has an ID number)" in broken(
        lambda d: d["applicant"].pop("id_number")
    )


def test_an_expired_id_card_must_lie_on_the_desk_as_expired() -> None:
    expired_card = broken(lambda d: d["applicant"].update(id_card_valid_until="2026-10-31"))
    assert expired_card == [
        'papers[1].flaw: the applicant ID card expired on 2026-10-31: its flaw must be "expired"'
    ]
    flaw_without_date = broken(lambda d: d["papers"][1].update(flaw="expired"))
    assert flaw_without_date == [
        "applicant.id_card_valid_until: must be a date before 2026-11-23 when the id_card paper is expired"
    ]


def test_a_slip_must_name_a_field_fact_and_differ_from_it() -> None:
    assert broken(lambda d: d.update(slips={"agent": True})) == [
        "slips.agent: must name one of the item's field facts"
    ]
    assert broken(lambda d: d.update(slips={"applicant_id_number": ID_NUMBER})) == [
        "slips.applicant_id_number: is the same as the fact: a slip must differ"
    ]


def test_refusal_rules() -> None:
    def refuse(d: dict[str, Any]) -> None:
        d["expected"] = {
            "target": None,
            "outcome": "refuse",
            "papers": ["refusal"],
            "refusal": {"ground": "not_this_authority", "reason": {"zh": "不是", "en": "no"}},
        }

    assert broken(refuse) == [
        "expected.refusal.competent_authority: required when the ground is not_this_authority",
        "expected.refusal.asked_for: required when no target is given",
    ]


def test_a_generated_scenario_survives_the_round_trip(catalogue) -> None:
    scenario = generate_scenario(catalogue, 11, "exam")
    assert load(scenario_to_json(scenario)) == scenario
