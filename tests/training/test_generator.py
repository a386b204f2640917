"""Generated practice scenarios: the same seed gives the same scenario, and every one is a
valid scenario whose answer the shared check agrees with."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from counterdesk.domain.identity import validate_resident_id
from counterdesk.domain.training import (
    LEVELS,
    generate_scenario,
    parse_scenario,
    perfect_handling,
    scenario_problems,
    scenario_to_json,
    score,
)

SETTINGS = settings(
    max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@SETTINGS
@given(seed=st.integers(min_value=-(10**9), max_value=10**9), level=st.sampled_from(LEVELS))
def test_every_generated_scenario_is_valid_and_agrees_with_the_check(
    catalogue, seed, level
) -> None:
    scenario = generate_scenario(catalogue, seed, level)
    data = json.dumps(scenario_to_json(scenario), ensure_ascii=False).encode()
    reread = parse_scenario(data)  # the strict loader takes it
    assert reread == scenario
    assert scenario_problems(reread, catalogue) == []
    assert score(reread, perfect_handling(reread, catalogue), catalogue).points == 100


@SETTINGS
@given(seed=st.integers(min_value=0, max_value=10**6), level=st.sampled_from(LEVELS))
def test_the_same_seed_gives_the_same_scenario(catalogue, seed, level) -> None:
    assert generate_scenario(catalogue, seed, level) == generate_scenario(catalogue, seed, level)


def test_different_seeds_give_different_scenarios(catalogue) -> None:
    ids = {json.dumps(scenario_to_json(generate_scenario(catalogue, s, "exam"))) for s in range(20)}
    assert len(ids) == 20


def test_personas_have_valid_id_numbers_and_expiry_fits_the_papers(catalogue) -> None:
    for seed in range(200):
        scenario = generate_scenario(catalogue, seed, "exam")
        applicant = scenario.applicant
        number = applicant.id_number if applicant.type == "natural" else applicant.contact_id_number
        assert validate_resident_id(number, today=scenario.date).ok
        expired = any(p.material == "id_card" and p.flaw == "expired" for p in scenario.papers)
        assert (applicant.id_card_valid_until < scenario.date) == expired


def test_the_levels_differ_in_difficulty(catalogue) -> None:
    def share(level: str, what) -> float:
        runs = [generate_scenario(catalogue, seed, level) for seed in range(150)]
        return sum(1 for s in runs if what(s)) / len(runs)

    flawed = lambda s: any(p.flaw for p in s.papers)  # noqa: E731
    assert share("beginner", flawed) == 0
    assert share("exam", flawed) > share("intermediate", flawed) > 0
    assert share("beginner", lambda s: s.expected.outcome == "refuse") == 0
    assert share("exam", lambda s: s.expected.outcome == "refuse") > 0
    for level in LEVELS:
        outcomes = {
            generate_scenario(catalogue, seed, level).expected.outcome for seed in range(150)
        }
        assert {"accept", "accept_deferral", "notice"} <= outcomes


def test_the_day_moves_the_whole_story(catalogue) -> None:
    later = generate_scenario(catalogue, 5, "intermediate", day=dt.date(2026, 3, 2))
    assert later.date == dt.date(2026, 3, 2)
    assert scenario_problems(later, catalogue) == []


def test_an_unknown_level_is_refused(catalogue) -> None:
    with pytest.raises(ValueError, match="level must be one of"):
        generate_scenario(catalogue, 1, "expert")
