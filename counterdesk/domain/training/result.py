"""A finished exercise: the record a counter keeps and the body it sends to the server's
``POST /training/results``.

The server's schema (``counterdesk_server/schemas/training.py``, ``TrainingResultIn``) is
generic: ``exercise``, ``score``, ``max_score``, ``passed``, a free ``details`` object, an
aware ``device_time`` and an ``idempotency_key``; the trainee is whoever is signed in. So
the counter's own record (``to_json``) names things as the debrief does, and
``to_server_json`` maps it onto that schema, with mode, time, keys and mistakes in
``details``.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field
from typing import Any, Final

from counterdesk.domain.training.handling import Handling
from counterdesk.domain.training.model import Scenario
from counterdesk.domain.training.scorer import Mistake, Score

RESULT_FORMAT: Final = "counterdesk-training-result/1"
MODES = ("guided", "exam")


@dataclass(frozen=True)
class TrainingResult:
    trainee: str
    scenario_id: str
    scenario_title: str
    level: str
    mode: str  # "guided" (hints shown) or "exam"
    points: int
    max_points: int
    passed: bool
    mistakes: tuple[Mistake, ...]
    seconds: float
    keys: int
    finished_at: dt.datetime  # aware: the counter's clock when the trainee finished
    target: str | None = None  # what the trainee chose, for the supervisor's list
    outcome: str = ""
    idempotency_key: str = field(default_factory=lambda: f"training-{uuid.uuid4().hex}")

    def __post_init__(self) -> None:
        if self.mode not in MODES:
            raise ValueError(f"mode must be guided or exam, got {self.mode!r}")
        if self.finished_at.tzinfo is None:
            raise ValueError("finished_at needs a time zone (the server refuses naive times)")

    def to_json(self) -> dict[str, Any]:
        return {
            "format": RESULT_FORMAT,
            "trainee": self.trainee,
            "scenario_id": self.scenario_id,
            "scenario_title": self.scenario_title,
            "level": self.level,
            "mode": self.mode,
            "score": self.points,
            "max_score": self.max_points,
            "passed": self.passed,
            "mistakes": [m.to_json() for m in self.mistakes],
            "seconds": self.seconds,
            "keys": self.keys,
            "target": self.target,
            "outcome": self.outcome,
            "finished_at": self.finished_at.isoformat(),
            "idempotency_key": self.idempotency_key,
        }

    def to_server_json(self) -> dict[str, Any]:
        """The body of ``POST /training/results`` (``TrainingResultIn``)."""
        return {
            "idempotency_key": self.idempotency_key,
            "exercise": self.scenario_id,
            "score": self.points,
            "max_score": self.max_points,
            "passed": self.passed,
            "details": {
                "scenario_title": self.scenario_title,
                "level": self.level,
                "mode": self.mode,
                "seconds": self.seconds,
                "keys": self.keys,
                "target": self.target,
                "outcome": self.outcome,
                "mistakes": [m.to_json() for m in self.mistakes],
            },
            "device_time": self.finished_at.isoformat(),
        }


def training_result(
    trainee: str,
    scenario: Scenario,
    handling: Handling,
    score: Score,
    *,
    mode: str,
    finished_at: dt.datetime,
) -> TrainingResult:
    """The record of ``trainee`` finishing ``scenario`` with ``handling``, scored ``score``."""
    return TrainingResult(
        trainee=trainee,
        scenario_id=scenario.id,
        scenario_title=scenario.title,
        level=scenario.level,
        mode=mode,
        points=score.points,
        max_points=score.max_points,
        passed=score.passed,
        mistakes=score.mistakes,
        seconds=handling.seconds,
        keys=handling.keys,
        finished_at=finished_at,
        target=handling.target,
        outcome=handling.outcome,
    )
