"""Training mode's core: scenarios (read strictly, bundled or generated), the handling the
shared completeness check expects, and the scorer that judges a trainee against it.

Pure domain code: the training screens call it; it reads nothing but packaged scenarios.
"""

from __future__ import annotations

from counterdesk.domain.training.consistency import (
    ExpectedHandling,
    expected_handling,
    scenario_problems,
)
from counterdesk.domain.training.generator import generate_scenario
from counterdesk.domain.training.handling import Handling, Received, perfect_handling
from counterdesk.domain.training.loader import (
    ScenarioError,
    bundled_scenarios,
    parse_scenario,
    validate_scenario,
)
from counterdesk.domain.training.mistakes import MAX_POINTS, PASS_MARK, RULES, Rule
from counterdesk.domain.training.model import (
    FLAWS,
    LEVELS,
    OUTCOME_PAPERS,
    OUTCOMES,
    TRAINEE_OUTCOMES,
    Scenario,
)
from counterdesk.domain.training.result import TrainingResult, training_result
from counterdesk.domain.training.scorer import Mistake, Score, score
from counterdesk.domain.training.writer import scenario_to_json

__all__ = [
    "FLAWS",
    "LEVELS",
    "MAX_POINTS",
    "OUTCOMES",
    "OUTCOME_PAPERS",
    "PASS_MARK",
    "RULES",
    "TRAINEE_OUTCOMES",
    "ExpectedHandling",
    "Handling",
    "Mistake",
    "Received",
    "Rule",
    "Scenario",
    "ScenarioError",
    "Score",
    "TrainingResult",
    "bundled_scenarios",
    "expected_handling",
    "generate_scenario",
    "parse_scenario",
    "perfect_handling",
    "scenario_problems",
    "scenario_to_json",
    "score",
    "training_result",
    "validate_scenario",
]
