"""The completeness check, rule by rule (shared/catalogue-format.md, "The check")."""

from __future__ import annotations

import datetime as dt

import pytest

from counterdesk.domain.catalogue import load_catalogue
from counterdesk.domain.checklist import RequestError, check_request
from tests.domain.catalogue_cases import MINI

TODAY = dt.date(2026, 11, 23)


@pytest.fixture(scope="module")
def catalogue():
    return load_catalogue(MINI)


def answer(catalogue, **request):
    return check_request(catalogue, request, TODAY).to_json()


def test_the_format_pages_example(catalogue) -> None:
    result = answer(
        catalogue,
        target="SCJG-001",
        facts={"applicant_type": "legal", "agent": False, "premises": "rented"},
        presented={"id_card": {"original": 1, "copies": 1}},
        accepted_on="2026-11-23",
    )
    assert result["outcome"] == "incomplete"
    assert [(line["material"], line["status"]) for line in result["checklist"]] == [
        ("id_card", "ok"),
        ("lease", "missing"),
        ("business_licence", "by_sharing"),
        ("fire_plan", "missing"),
        ("application_form", "missing"),
    ]
    assert result["checklist"][0] == {
        "material": "id_card",
        "name": "居民身份证",
        "need": "required",
        "original": 1,
        "copies": 1,
        "status": "ok",
    }
    assert result["missing"] == [{"material": "lease", "original": 0, "copies": 1}]
    assert result["deferred"] == [{"material": "fire_plan", "original": 0, "copies": 1}]
    assert result["by_sharing"] == ["business_licence"]
    assert (result["promised_by"], result["legal_by"]) == ("2026-11-24", "2026-12-14")
    assert result["calendar_provisional"] is False
    assert list(result) == [
        "target",
        "outcome",
        "checklist",
        "missing",
        "deferred",
        "by_sharing",
        "promised_by",
        "legal_by",
        "calendar_provisional",
    ]


def test_complete_and_deferrable_outcomes(catalogue) -> None:
    base = {"target": "SCJG-001", "facts": {"applicant_type": "legal", "premises": "owned"}}
    presented = {"id_card": {"original": 1, "copies": 1}}
    assert answer(catalogue, **base, presented=presented)["outcome"] == "deferrable"
    presented["fire_plan"] = {"copies": 1}
    assert answer(catalogue, **base, presented=presented)["outcome"] == "complete"


def test_missing_counts_are_shortfalls_never_below_zero(catalogue) -> None:
    result = answer(catalogue, target="SCJG-001", presented={"id_card": {"original": 3}})
    assert result["missing"][0] == {"material": "id_card", "original": 0, "copies": 1}


def test_optional_lines_never_count_as_missing(catalogue) -> None:
    result = answer(
        catalogue, target="SCJG-001", presented={"id_card": {"original": 1, "copies": 1}}
    )
    line = next(line for line in result["checklist"] if line["material"] == "application_form")
    assert line["status"] == "missing" and line["need"] == "optional"
    assert all(m["material"] != "application_form" for m in result["missing"])
    assert result["outcome"] == "complete"


def test_sharing_off_makes_shared_materials_needed(catalogue) -> None:
    result = answer(catalogue, target="SCJG-001", sharing=False)
    assert result["by_sharing"] == []
    assert {"material": "business_licence", "original": 0, "copies": 1} in result["missing"]


def test_shared_line_is_by_sharing_whatever_was_presented(catalogue) -> None:
    result = answer(catalogue, target="SCJG-001", presented={"business_licence": {"copies": 1}})
    assert result["checklist"][1]["status"] == "by_sharing"


def test_conditions(catalogue) -> None:
    def materials(**facts):
        return [
            line["material"]
            for line in answer(catalogue, target="SCJG-001", facts=facts)["checklist"]
        ]

    assert "lease" not in materials()  # a fact not given fails its condition
    assert "lease" in materials(premises="rented")
    assert "power_of_attorney" not in materials()  # agent not given counts as false
    assert "power_of_attorney" in materials(agent=True)
    assert "fire_plan" in materials(applicant_type="legal")
    assert "fire_plan" not in materials(applicant_type="natural")


def test_condition_lists_mean_one_of(catalogue) -> None:
    facts = {"applicant_type": "legal", "premises": "leased"}
    result = answer(catalogue, target="WGLJ-001", facts=facts)
    assert "lease" in [line["material"] for line in result["checklist"]]


def test_bundle_merges_lines(catalogue) -> None:
    result = answer(
        catalogue,
        target="B-KTV",
        facts={"applicant_type": "legal", "premises": "rented"},
    )
    lines = {line["material"]: line for line in result["checklist"]}
    order = [line["material"] for line in result["checklist"]]
    assert order == ["id_card", "lease", "business_licence", "fire_plan", "application_form"]
    # id_card: required (1,1) in the licence, deferrable (1,2) in the permit -> required, (1,2)
    assert (lines["id_card"]["need"], lines["id_card"]["original"], lines["id_card"]["copies"]) == (
        "required",
        1,
        2,
    )
    # lease: (0,1) and (1,0) -> (1,1); fire plan: deferrable and required -> required
    assert (lines["lease"]["original"], lines["lease"]["copies"]) == (1, 1)
    assert lines["fire_plan"]["need"] == "required"


def test_bundle_time_limits_are_the_largest(catalogue) -> None:
    result = check_request(
        catalogue,
        {"target": "B-KTV", "facts": {"applicant_type": "legal"}, "accepted_on": "2026-11-23"},
        TODAY,
    )
    assert (result.promised_days, result.legal_days) == (10, 20)


def test_accepted_on_defaults_to_today(catalogue) -> None:
    with_default = check_request(catalogue, {"target": "SCJG-001"}, TODAY)
    explicit = check_request(catalogue, {"target": "SCJG-001", "accepted_on": "2026-11-23"}, TODAY)
    assert with_default.promised_by == explicit.promised_by


def test_unknown_facts_and_materials_off_the_checklist_are_ignored(catalogue) -> None:
    result = answer(
        catalogue,
        target="WGLJ-001",
        facts={"applicant_type": "legal", "colour": "red", "staff": "not a number"},
        presented={"application_form": {"original": 5}},
    )
    assert result["target"] == "WGLJ-001"


@pytest.mark.parametrize("empty", [None, {}])
def test_empty_or_null_facts_and_presented(catalogue, empty) -> None:
    assert (
        answer(catalogue, target="SCJG-001", facts=empty, presented=empty)["outcome"]
        == "incomplete"
    )


BAD_REQUESTS = [
    ([], "the request must be a JSON object"),
    ({}, "target:"),
    ({"target": 5}, "target:"),
    ({"target": "NOPE"}, "target: unknown item or bundle"),
    ({"target": "SCJG-001", "presented": {"deed": {}}}, "presented.deed: unknown material"),
    (
        {"target": "SCJG-001", "presented": {"id_card": {"originals": 1}}},
        "presented.id_card.originals: unknown key",
    ),
    (
        {"target": "SCJG-001", "presented": {"id_card": {"original": -1}}},
        "presented.id_card.original: must be a non-negative integer",
    ),
    (
        {"target": "SCJG-001", "presented": {"id_card": {"copies": 1.0}}},
        "presented.id_card.copies: must be a non-negative integer",
    ),
    (
        {"target": "SCJG-001", "presented": {"id_card": {"copies": True}}},
        "presented.id_card.copies",
    ),
    ({"target": "SCJG-001", "presented": {"id_card": {"copies": "1"}}}, "presented.id_card.copies"),
    ({"target": "SCJG-001", "presented": {"id_card": 1}}, "presented.id_card: must be an object"),
    ({"target": "SCJG-001", "presented": []}, "presented: must be an object"),
    ({"target": "SCJG-001", "facts": []}, "facts: must be an object"),
    (
        {"target": "WGLJ-001", "facts": {"applicant_type": "natural"}},
        "facts.applicant_type: WGLJ-001 does not accept",
    ),
    (
        {"target": "B-KTV", "facts": {"applicant_type": "natural"}},
        "facts.applicant_type: WGLJ-001 does not accept",
    ),
    (
        {"target": "SCJG-001", "facts": {"applicant_type": "company"}},
        "facts.applicant_type: must be",
    ),
    ({"target": "SCJG-001", "facts": {"agent": "yes"}}, "facts.agent: must be true or false"),
    ({"target": "SCJG-001", "facts": {"agent": None}}, "facts.agent"),
    ({"target": "SCJG-001", "sharing": "false"}, "sharing: must be true or false"),
    ({"target": "SCJG-001", "sharing": None}, "sharing: must be true or false"),
    ({"target": "SCJG-001", "facts": {"premises": "leased"}}, "facts.premises: must be one of"),
    ({"target": "B-KTV", "facts": {"premises": "leased"}}, "facts.premises: must be one of"),
    ({"target": "SCJG-001", "facts": {"staff": "3"}}, "facts.staff: must be a number"),
    ({"target": "SCJG-001", "facts": {"staff": True}}, "facts.staff: must be a number"),
    ({"target": "SCJG-001", "facts": {"opening": "2026-02-30"}}, "facts.opening: must be a date"),
    ({"target": "SCJG-001", "facts": {"chain": 1}}, "facts.chain: must be true or false"),
    ({"target": "SCJG-001", "accepted_on": "20261123"}, "accepted_on: must be a date"),
    ({"target": "SCJG-001", "accepted_on": "2026-02-30"}, "accepted_on: must be a date"),
    ({"target": "SCJG-001", "accepted_on": None}, "accepted_on: must be a date"),
]


@pytest.mark.parametrize(("request_", "reason"), BAD_REQUESTS, ids=[r for _, r in BAD_REQUESTS])
def test_bad_requests_are_refused_with_a_reason(catalogue, request_, reason) -> None:
    with pytest.raises(RequestError) as caught:
        check_request(catalogue, request_, TODAY)
    assert str(caught.value).startswith(reason), str(caught.value)
    assert "\n" not in str(caught.value)


def test_numbers_compare_as_json_numbers_and_bools_never_equal_numbers() -> None:
    from counterdesk.domain.jsonread import json_equal

    assert json_equal(1, 1) and not json_equal(True, 1) and not json_equal(1, True)
    assert json_equal(True, True) and not json_equal("1", 1)
    from decimal import Decimal

    assert json_equal(1, Decimal("1.0"))


def test_dates_past_the_shipped_calendar_are_provisional(catalogue) -> None:
    result = answer(catalogue, target="SCJG-001", accepted_on="2026-12-30")
    assert result["promised_by"] == "2026-12-31" and result["legal_by"] == "2027-01-20"
    assert result["calendar_provisional"] is True


def test_the_catalogue_calendar_covers_later_years() -> None:
    import json

    from counterdesk.domain.catalogue import parse_catalogue
    from tests.domain.catalogue_cases import mini

    doc = mini()
    doc["calendar"] = {"years": [2027], "holidays": ["2027-01-01"]}
    catalogue = parse_catalogue(json.dumps(doc).encode())
    result = check_request(
        catalogue, {"target": "SCJG-001", "accepted_on": "2026-12-31"}, TODAY
    ).to_json()
    assert result["promised_by"] == "2027-01-04"  # Friday 1 January is a holiday
    assert result["calendar_provisional"] is False


def test_zero_days_is_the_day_of_acceptance_even_on_a_rest_day() -> None:
    import json

    from counterdesk.domain.catalogue import parse_catalogue
    from tests.domain.catalogue_cases import mini

    doc = mini()
    doc["items"][0]["promised_days"] = 0
    catalogue = parse_catalogue(json.dumps(doc).encode())
    result = check_request(catalogue, {"target": "SCJG-001", "accepted_on": "2026-11-22"}, TODAY)
    assert result.promised_by.isoformat() == "2026-11-22"
