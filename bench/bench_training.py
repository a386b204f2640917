"""Figures of training mode (issue 10): how soon a trainee's debrief can show, and what
opening the sandbox costs.

- training_score_ms_p95: the scorer (shared check on the papers that count and on the
  trainee's records, every judge) over every bundled scenario, each with its right
  handling and with each recorded paper left out in turn (varied inputs, no cache).
- training_generate_ms_median: one random practice scenario from the bundled catalogue
  (its expected handling computed by the check), over many seeds and every level.
- training_sandbox_open_ms_median: opening the sandbox next to an open counter (its own
  encrypted store and key, the live catalogue shared), each time on a fresh folder.
- training_finish_ms_median: from a saved practice case to the scored result kept in the
  sandbox (store read, scoring, the result written durably), over the bundled scenarios
  that have an item.
"""

from __future__ import annotations

import dataclasses
import os
import shutil
import statistics
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "bench" / ".work" / "training"


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]


def _ms(start: float) -> float:
    return (time.perf_counter() - start) * 1000


def run() -> dict[str, object]:
    shutil.rmtree(WORK, ignore_errors=True)
    WORK.mkdir(parents=True)
    for name in ("CONFIG", "DATA", "CACHE", "LOG"):
        os.environ[f"COUNTERDESK_{name}_DIR"] = str(WORK / name.lower())
    from counterdesk.domain.catalogue import bundled_catalogue_path, load_catalogue
    from counterdesk.domain.training import (
        LEVELS,
        bundled_scenarios,
        generate_scenario,
        perfect_handling,
        score,
    )

    catalogue = load_catalogue(bundled_catalogue_path())
    scenarios = bundled_scenarios()
    figures: dict[str, object] = {}

    timings = []
    for scenario in scenarios:
        right = perfect_handling(scenario, catalogue)
        variants = [right] + [
            dataclasses.replace(
                right, received={m: r for m, r in right.received.items() if m != left_out}
            )
            for left_out in right.received
        ]
        for handling in variants:
            t0 = time.perf_counter()
            score(scenario, handling, catalogue)
            timings.append(_ms(t0))
    figures["training_score_ms_p95"] = round(p95(timings), 2)
    figures["training_score_runs"] = len(timings)

    timings = []
    for seed in range(60):
        for level in LEVELS:
            t0 = time.perf_counter()
            generate_scenario(catalogue, seed, level)
            timings.append(_ms(t0))
    figures["training_generate_ms_median"] = round(statistics.median(timings), 2)

    figures |= _sandbox_figures(scenarios, catalogue)
    return figures


def _sandbox_figures(scenarios: tuple, catalogue: object) -> dict[str, object]:
    import datetime as dt

    from counterdesk.domain.clock import CHINA_TZ, FixedClock
    from counterdesk.domain.training import perfect_handling
    from counterdesk.services import intake
    from counterdesk.services.counter import open_counter
    from counterdesk.services.session import Officer
    from counterdesk.services.training import TrainingSandbox
    from counterdesk.settings import Settings

    clock = FixedClock(dt.datetime(2026, 11, 23, 9, 0, tzinfo=CHINA_TZ))
    settings = Settings(key_storage="file")
    live = open_counter(settings, clock, data_dir=WORK / "counter")
    live.load_catalogue()
    opens, finishes = [], []
    try:
        for round_ in range(5):
            live.data_dir = WORK / f"counter-{round_}"  # a fresh sandbox folder each time
            t0 = time.perf_counter()
            sandbox = TrainingSandbox.open(live)
            opens.append(_ms(t0))
            if round_ < 4:
                sandbox.close()
        officer = Officer("bench.trainee", "", role="trainee")
        context = sandbox.services.intake_context(officer)
        for scenario in (s for s in scenarios if s.expected.target):
            handling = perfect_handling(scenario, catalogue)  # type: ignore[arg-type]
            draft = _draft_of(scenario, handling, clock.now())
            assessment = intake.assess(context.catalogue, draft, clock.today(), scenario.sharing)
            decision = intake.DecisionInput(
                handling.outcome,  # type: ignore[arg-type]
                due=intake.default_due(context.catalogue, clock.today(), handling.outcome),
                refusal_ground=handling.refusal_ground,
                reason="bench",
                commitment_signed=True,
            )
            ctx = dataclasses.replace(context, sharing_available=scenario.sharing)
            if assessment.result is None:
                continue
            saved = intake.submit(ctx, draft, decision)
            sandbox.start(scenario, "guided")
            t0 = time.perf_counter()
            sandbox.finish_with_case(saved.case.id, officer.username)
            finishes.append(_ms(t0))
        sandbox.close()
    finally:
        live.close()
    return {
        "training_sandbox_open_ms_median": round(statistics.median(opens), 1),
        "training_finish_ms_median": round(statistics.median(finishes), 1),
        "training_finish_runs": len(finishes),
    }


def _draft_of(scenario, handling, now):  # type: ignore[no-untyped-def]
    """The intake draft a trainee doing the right handling would leave."""
    from counterdesk.services.drafts import IntakeDraft

    person = scenario.applicant
    draft = IntakeDraft.new("bench.trainee", now)
    draft.target = handling.target
    draft.applicant_type = person.type
    draft.name, draft.id_number, draft.phone = person.name, person.id_number, person.phone
    draft.contact_name = person.contact_name
    if scenario.agent is not None:
        draft.has_agent = True
        agent = scenario.agent
        draft.agent_name, draft.agent_id, draft.agent_phone = (
            agent.name,
            agent.id_number,
            agent.phone,
        )
    for key, value in handling.facts.items():
        if key not in ("applicant_type", "agent"):
            draft.fields[key] = "y" if value is True else "n" if value is False else str(value)
            draft.edited_fields.append(key)
    draft.received = {
        material: {
            "original": got.original,
            "copies": got.copies,
            "made_at_counter": got.made_at_counter,
        }
        for material, got in handling.received.items()
    }
    return draft


if __name__ == "__main__":
    print(run())
