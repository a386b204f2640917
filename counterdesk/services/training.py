"""Training mode's sandbox: a second set of counter services on a store of its own, the
scenario a trainee is working on, and the scoring of what they did.

The sandbox is a ``CounterServices`` like the live one, opened on ``training/`` under the
counter's data folder (its own encrypted store, data key and print jobs; the officers, the
sign-in and the catalogue are the live ones). Its store takes practice cases only and the
live store refuses them (``training_store``); it has no sync engine, so no practice case
can reach the live outbox or the server's case routes. Every screen works on it unchanged:
the App hands screens made in training mode these services instead of the live ones.

A ``ScenarioRun`` is one exercise: the scenario, guided or exam mode, when it started and
the keys pressed. When the trainee's intake is saved, ``finish_with_case`` reads the case
back from the sandbox and the domain's scorer judges it (the shared completeness check,
never a second copy of the rules); the result is kept in the sandbox and sent to the
server (``training_results``).
"""

from __future__ import annotations

import datetime as dt
import logging
import secrets
import shutil
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from typing import Any

from counterdesk.domain.cases.unlisted import UNLISTED_KIND
from counterdesk.domain.checklist import Shortfall
from counterdesk.domain.training import (
    Handling,
    Received,
    Scenario,
    Score,
    TrainingResult,
    bundled_scenarios,
    generate_scenario,
    score,
    training_result,
)
from counterdesk.domain.training.mistakes import EXAM_SECONDS
from counterdesk.domain.training.model import OUTCOME_PAPERS, Hint
from counterdesk.services import local_store
from counterdesk.services.counter import CounterServices
from counterdesk.services.drafts import DraftKeeper
from counterdesk.services.training_results import (
    ResultBook,
    ResultUploader,
    TrainingConnectivity,
    transport_call,
)

log = logging.getLogger(__name__)

TRAINING_FOLDER = "training"
MODES = ("guided", "exam")
PRINT_JOBS_FOLDER = "print-jobs"


@cache
def scenarios() -> tuple[Scenario, ...]:
    """The bundled scenarios, read once (they are immutable)."""
    return bundled_scenarios()


@dataclass
class ScenarioRun:
    """One exercise under way: its clock and the keys pressed since it began."""

    scenario: Scenario
    mode: str  # guided (hints shown) or exam
    started_at: dt.datetime
    keys: int = 0

    def __post_init__(self) -> None:
        if self.mode not in MODES:
            raise ValueError(f"mode must be guided or exam, got {self.mode!r}")

    def count_key(self) -> None:
        self.keys += 1

    def seconds(self, now: dt.datetime) -> float:
        return max(0.0, (now - self.started_at).total_seconds())

    @property
    def time_limit(self) -> int | None:
        """Exam scenarios are timed (the scorer's limit), whatever the mode."""
        return EXAM_SECONDS if self.scenario.level == "exam" else None

    def time_left(self, now: dt.datetime) -> float | None:
        limit = self.time_limit
        return None if limit is None else limit - self.seconds(now)

    def hints(self, steps: Iterable[str]) -> list[Hint]:
        """Guided mode's hints for these steps of the intake, in order; none in exam mode."""
        if self.mode != "guided":
            return []
        wanted = tuple(steps)
        return [h for step in wanted for h in self.scenario.hints if h.step == step]


@dataclass(frozen=True)
class Finished:
    """An exercise judged: the record kept and sent, and the scorer's full answer."""

    scenario: Scenario
    result: TrainingResult
    score: Score
    handling: Handling


def handling_of_case(
    document: dict[str, Any], printed: Iterable[str], seconds: float, keys: int
) -> Handling:
    """What the trainee did, read from the practice case their intake saved (a matter no
    item covers, refused with no item chosen, has no target)."""
    from counterdesk.domain.cases import Case

    case = Case.model_validate(document)
    decision = case.decision
    outcome = decision.outcome if decision is not None else "receive"
    facts: dict[str, Any] = {
        "applicant_type": case.applicant.type,
        "agent": case.agent is not None,
        **{key: value for key, value in case.fields.items() if value is not None},
    }

    def shortfalls(entries: Iterable[Any]) -> tuple[Shortfall, ...]:
        return tuple(Shortfall(s.material, s.original, s.copies) for s in entries)

    return Handling(
        target=None if case.target.kind == UNLISTED_KIND else case.target.code,
        outcome=outcome,
        facts=facts,
        received={
            material: Received(got.original, got.copies, got.made_at_counter)
            for material, got in case.received.items()
        },
        missing=shortfalls(decision.missing) if decision else (),
        deferred=shortfalls(decision.deferred) if decision else (),
        refusal_ground=decision.refusal_ground if decision else None,
        competent_authority=decision.competent_authority if decision else "",
        printed=tuple(dict.fromkeys(printed)),
        seconds=seconds,
        keys=keys,
    )


class TrainingSandbox:
    """The sandbox services, the results kept and sent, and the exercise under way."""

    def __init__(
        self,
        live: CounterServices,
        services: CounterServices,
        book: ResultBook,
        uploader: ResultUploader | None,
    ) -> None:
        self.live = live
        self.services = services
        self.book = book
        self.uploader = uploader
        self.run: ScenarioRun | None = None
        self._lock = threading.Lock()

    # Opening, resetting, closing (all blocking)

    @classmethod
    def open(cls, live: CounterServices) -> TrainingSandbox:
        """Open (or make) the sandbox under the live counter's data folder. Blocking."""
        services = _open_services(live, live.data_dir / TRAINING_FOLDER)
        book = ResultBook(services.store)
        uploader = None
        sync = live.sync
        if sync is not None:
            uploader = ResultUploader(book, transport_call(sync), live.clock.now, lambda: sync.user)
        sandbox = cls(live, services, book, uploader)
        services.connectivity = sandbox._connectivity()
        sandbox.signed_in()
        if uploader is not None:
            uploader.start()
        return sandbox

    def signed_in(self) -> None:
        """Training mode entered by whoever is signed in now: their results go with their
        sign-in, which may be newer than the engine's copy of it (a trainee's counter
        never starts the live sync). Blocking (keyring)."""
        if self.live.sync is not None:
            self.live.sync.tokens.reload()
        if self.uploader is not None:
            self.uploader.wake()

    def _connectivity(self) -> TrainingConnectivity:
        return TrainingConnectivity(
            self.live.connectivity, self.book, self.uploader, self._sharing_today
        )

    def _sharing_today(self) -> bool:
        run = self.run
        return run.scenario.sharing if run is not None else True

    def reset(self) -> None:
        """Wipe the sandbox (practice cases, drafts, print jobs) and start it afresh; the
        trainees' results are kept. Blocking."""
        with self._lock:
            self.run = None
            kept = len(self.book.entries())
            folder = self.services.data_dir
            self.services.close()
            for name in (local_store.STORE_FOLDER, PRINT_JOBS_FOLDER):
                shutil.rmtree(folder / name, ignore_errors=True)
            fresh = _open_services(self.live, folder)
            self.book.use_store(fresh.store)  # the results, in the new store
            fresh.connectivity = self._connectivity()
            self.services = fresh
        log.info("training sandbox reset (%d results kept)", kept)

    def close(self) -> None:
        if self.uploader is not None:
            self.uploader.close()
        self.services.close()

    # Scenarios and runs

    def practice(self, level: str, seed: int | None = None) -> Scenario:
        """A random practice scenario from the catalogue, happening today."""
        chosen = secrets.randbelow(1_000_000) if seed is None else seed
        return generate_scenario(
            self.services.catalogue, chosen, level, day=self.services.clock.today()
        )

    def start(self, scenario: Scenario, mode: str) -> ScenarioRun:
        self.run = ScenarioRun(scenario, mode, self.services.clock.now())
        return self.run

    def abandon(self, draft_id: str = "") -> None:
        """The trainee gave up the exercise: its unfinished intake goes. Blocking."""
        self.run = None
        if draft_id:
            self.services.drafts.discard(draft_id)

    def finish_with_case(self, case_id: str, trainee: str) -> Finished:
        """Score the practice case the trainee's intake saved. Blocking (store)."""
        run = self._current()
        document = self.services.store.get(case_id)
        if document is None:
            raise LookupError(f"practice case {case_id} is not in the sandbox")
        decided = (document.get("decision") or {}).get("outcome") or "receive"
        printed = [*OUTCOME_PAPERS.get(decided, ()), *self._printed(case_id, document)]
        now = self.services.clock.now()
        handling = handling_of_case(document, printed, run.seconds(now), run.keys)
        return self._finish(run, handling, trainee, now)

    def _current(self) -> ScenarioRun:
        if self.run is None:
            raise RuntimeError("no exercise is under way")
        return self.run

    def _printed(self, case_id: str, document: dict[str, Any]) -> list[str]:
        """Papers sent to the printer for the case, and prints recorded on it."""
        queued = [job.doc for job in self.services.printer.queue.jobs() if job.case_id == case_id]
        recorded = [
            str(p.get("doc", "")).removeprefix("export:") for p in document.get("prints", [])
        ]
        return [*queued, *recorded]

    def _finish(
        self, run: ScenarioRun, handling: Handling, trainee: str, now: dt.datetime
    ) -> Finished:
        catalogue = self.services.catalogue
        judged = score(run.scenario, handling, catalogue, accepted_on=now.date())
        result = training_result(
            trainee, run.scenario, handling, judged, mode=run.mode, finished_at=now
        )
        self.book.add(result)
        self.run = None
        if self.uploader is not None:
            self.uploader.wake()
        return Finished(run.scenario, result, judged, handling)

    # Results

    def best_scores(self, trainee: str) -> dict[str, tuple[int, int, bool]]:
        """Per scenario id: the best score, the number of tries, whether any passed."""
        best: dict[str, tuple[int, int, bool]] = {}
        for record in self.book.of(trainee):
            old = best.get(record["scenario_id"], (0, 0, False))
            best[record["scenario_id"]] = (
                max(old[0], int(record["score"])),
                old[1] + 1,
                old[2] or bool(record["passed"]),
            )
        return best


def _open_services(live: CounterServices, folder: Any) -> CounterServices:
    """The sandbox's CounterServices on ``folder``: its own store (practice cases only),
    data key and drafts; the live officers, sign-in, clock and catalogue."""

    def now() -> dt.datetime:
        return live.clock.now().astimezone(dt.UTC)

    store = local_store.open_local_store(live.settings, data_dir=folder, now=now, training=True)
    try:
        key = local_store.load_key(live.settings, folder)
        assert key is not None  # open_local_store made it
        services = CounterServices(
            settings=live.settings,
            clock=live.clock,
            data_dir=folder,
            store=store,
            officers=live.officers,
            sign_in=live.sign_in,
            connectivity=live.connectivity,  # replaced by the sandbox's own at once
            drafts=DraftKeeper(store),
            data_key=key,
            printer_backend=live.printer_backend,
            sync=None,  # practice cases go nowhere
            training=True,
            officer_names=live.officer_names,
        )
        services._catalogue = live.load_catalogue()
    except BaseException:
        store.close()
        raise
    return services


__all__ = [
    "MODES",
    "Finished",
    "ScenarioRun",
    "TrainingSandbox",
    "handling_of_case",
    "scenarios",
]
