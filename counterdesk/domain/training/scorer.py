"""Scoring a trainee's handling of a scenario, for the debrief screen and the server.

The right answer is ``expected_handling`` (the shared completeness check on the papers that
count); the trainee's own records go through the same check so the debrief can say whether
a wrong decision came from miscounting papers or from misreading the check. Nothing here
restates a completeness rule. Each mistake carries its code, the points it cost and the rule
that applied (``mistakes.RULES``); a category never loses more than its cap, so one
misunderstanding is not punished again and again.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from counterdesk.domain.catalogue.model import Bundle, Catalogue
from counterdesk.domain.checklist import CheckResult, RequestError, evaluate
from counterdesk.domain.training.consistency import ExpectedHandling, expected_handling
from counterdesk.domain.training.handling import Handling
from counterdesk.domain.training.judges import (
    Found,
    Names,
    judge_facts,
    judge_lists,
    judge_papers,
    judge_received,
)
from counterdesk.domain.training.mistakes import (
    CATEGORY_CAPS,
    EXAM_SECONDS,
    MAX_POINTS,
    PASS_MARK,
    RULES,
)
from counterdesk.domain.training.model import (
    CHECK_LABELS,
    OUTCOME_LABELS,
    TRAINEE_OUTCOMES,
    Scenario,
)


@dataclass(frozen=True)
class Mistake:
    code: str
    category: str
    points: int  # points actually lost, after the category's cap
    serious: bool
    rule_zh: str
    rule_en: str
    detail_zh: str
    detail_en: str
    material: str = ""

    def to_json(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass(frozen=True)
class Score:
    points: int
    mistakes: tuple[Mistake, ...]
    seconds: float
    keys: int
    expected: ExpectedHandling
    trainee_check: CheckResult | None  # the check on what the trainee recorded
    max_points: int = MAX_POINTS

    @property
    def passed(self) -> bool:
        """A pass needs the pass mark and no serious mistake (nothing wrongly accepted)."""
        return self.points >= PASS_MARK and not any(m.serious for m in self.mistakes)


# (expected outcome, trainee's outcome) -> mistake
_OUTCOME_MISTAKES = {
    ("notice", "accept"): "accepted_incomplete",
    ("notice", "accept_deferral"): "deferred_required_paper",
    ("accept", "notice"): "needless_notice",
    ("accept", "accept_deferral"): "needless_deferral",
    ("accept_deferral", "accept"): "accepted_without_commitment",
    ("accept_deferral", "notice"): "deferral_not_offered",
    ("refuse", "accept"): "accepted_should_refuse",
    ("refuse", "accept_deferral"): "accepted_should_refuse",
    ("refuse", "notice"): "notice_should_refuse",
    ("refuse", "receive"): "received_should_refuse",
}


def score(
    scenario: Scenario,
    handling: Handling,
    catalogue: Catalogue,
    accepted_on: dt.date | None = None,
) -> Score:
    """Judge ``handling`` against what the shared check says about ``scenario``; ValueError
    for an outcome that is not a counter decision."""
    if handling.outcome not in TRAINEE_OUTCOMES:
        raise ValueError(f"outcome must be one of {', '.join(TRAINEE_OUTCOMES)}")
    expected = expected_handling(scenario, catalogue, accepted_on)
    names = Names(catalogue)
    trainee_check = _trainee_check(scenario, handling, catalogue, expected, accepted_on)
    found: list[Found] = []
    if expected.target is not None:
        found += _target(expected.target, handling.target, catalogue, names)
        found += judge_facts(scenario, handling, catalogue)
        found += judge_received(scenario, handling, expected, names)
    found += _outcome(scenario, handling, expected, trainee_check)
    if handling.outcome == expected.outcome:
        found += judge_lists(handling, expected, names)
    found += judge_papers(handling)
    if scenario.level == "exam" and handling.seconds > EXAM_SECONDS:
        found.append(
            ("over_time", f"用时{handling.seconds:.0f}秒", f"took {handling.seconds:.0f} s", "")
        )
    mistakes = _capped(found)
    lost = sum(m.points for m in mistakes)
    return Score(
        max(0, MAX_POINTS - lost),
        mistakes,
        handling.seconds,
        handling.keys,
        expected,
        trainee_check,
    )


def _capped(found: list[Found]) -> tuple[Mistake, ...]:
    left = dict(CATEGORY_CAPS)
    mistakes: list[Mistake] = []
    for code, detail_zh, detail_en, material in found:
        rule = RULES[code]
        points = min(rule.points, left[rule.category])
        left[rule.category] -= points
        mistakes.append(
            Mistake(
                code,
                rule.category,
                points,
                rule.serious,
                rule.zh,
                rule.en,
                detail_zh,
                detail_en,
                material,
            )
        )
    return tuple(mistakes)


def _target(expected: str, chosen: str | None, catalogue: Catalogue, names: Names) -> list[Found]:
    if chosen == expected:
        return []
    want, got = catalogue.target(expected), catalogue.target(chosen) if chosen else None
    if isinstance(want, Bundle) and chosen in want.items:
        code = "part_of_bundle"
    elif isinstance(got, Bundle) and expected in got.items:
        code = "needless_bundle"
    else:
        code = "wrong_target"
    (got_zh, got_en), (want_zh, want_en) = names.target(chosen), names.target(expected)
    return [
        (
            code,
            f"选择了{got_zh}，应为{want_zh}",
            f"chose {got_en}; the applicant needs {want_en}",
            "",
        )
    ]


def _trainee_check(
    scenario: Scenario,
    handling: Handling,
    catalogue: Catalogue,
    expected: ExpectedHandling,
    accepted_on: dt.date | None,
) -> CheckResult | None:
    """The shared check on what the trainee recorded, against the right target and facts."""
    if expected.target is None:
        return None
    presented = {
        m: {"original": r.original, "copies": r.copies} for m, r in handling.received.items()
    }
    try:
        return evaluate(
            catalogue,
            expected.target,
            dict(scenario.facts),
            presented,
            scenario.sharing,
            accepted_on or scenario.date,
        )
    except RequestError:
        return None  # e.g. a material the catalogue does not know: nothing to explain with


def _outcome(
    scenario: Scenario, handling: Handling, expected: ExpectedHandling, own: CheckResult | None
) -> list[Found]:
    want, got = expected.outcome, handling.outcome
    if want == got:
        return []
    deferrable_only = expected.check is not None and expected.check.outcome == "deferrable"
    if got == "refuse":
        code = "wrongful_refusal"
    elif got == "receive" and want != "refuse":
        code = "decision_not_made"
    elif want == "notice" and deferrable_only:
        # Only deferrable papers are missing but the applicant would not sign.
        code = "deferral_not_agreed" if got == "accept_deferral" else "accepted_without_commitment"
    else:
        code = _OUTCOME_MISTAKES[(want, got)]
    (got_zh, got_en), (want_zh, want_en) = OUTCOME_LABELS[got], OUTCOME_LABELS[want]
    detail_zh = f"决定为“{got_zh}”，应为“{want_zh}”"
    detail_en = f"decided: {got_en}; the right decision: {want_en}"
    if own is not None and expected.check is not None and own.outcome != expected.check.outcome:
        (own_zh, own_en), (real_zh, real_en) = (
            CHECK_LABELS[own.outcome],
            CHECK_LABELS[expected.check.outcome],
        )
        detail_zh += f"。按您登记的材料核验为“{own_zh}”，按有效材料实为“{real_zh}”"
        detail_en += (
            f". The check on the papers you recorded said {own_en}; "
            f"on the papers that count, {real_en}"
        )
    return [(code, detail_zh, detail_en, "")]
