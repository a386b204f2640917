"""Coming back to a case's papers: deciding a case received earlier (收件, within five working
days), the applicant's supplement (补正) against the one-time notice, and the deferred
papers a commitment promised (容缺).

The officer ticks what is on the counter now, starting from what the case already holds;
the shared check (``checklist.evaluate``) is asked again on the result, and the decision
is the very one intake makes (``services/decision.py``): complete, the case is accepted
and its promised limit runs from today (the clock restarts); still short, a new one-time
notice of what remains is issued and printed; or it is refused. A deferral is fulfilled
when the check is complete: the case goes on as accepted, on the limits fixed when it was
first accepted.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from counterdesk import i18n
from counterdesk.domain.cases import Case, CaseState, Role, allowed_targets
from counterdesk.domain.catalogue import Catalogue
from counterdesk.domain.checklist import RequestError, evaluate
from counterdesk.forms.paper import DocKind
from counterdesk.i18n import _
from counterdesk.services.case_actions import (
    CaseActionError,
    CaseContext,
    SavedCase,
    apply_all,
    current_case,
    save,
    transition,
    writing,
)
from counterdesk.services.decision import (
    OUTCOME_PAPERS,
    OUTCOME_STATE,
    DecisionError,
    DecisionInput,
    decision_changes,
    decision_operation,
    outcome_refused,
    outcomes_for,
)
from counterdesk.services.intake import Assessment

# Which return to the counter a case is waiting for, by its state.
KINDS = {
    CaseState.RECEIVED: "decide",
    CaseState.AWAITING_SUPPLEMENT: "supplement",
    CaseState.ACCEPTED_DEFERRAL: "deferral",
}
FULFIL = "fulfil"  # the deferred papers are all here
FULFILLED_REASON = "容缺材料已补齐 / deferred papers brought"  # kept on the timeline


def kind_of(state: CaseState) -> str | None:
    return KINDS.get(state)


@dataclass
class Recheck:
    """The papers of a case as the officer ticks them now (the intake's counting rules
    apply: ``services.intake.mark_present`` and the others take a Recheck too)."""

    case: Case
    kind: str
    received: dict[str, dict[str, int]] = field(default_factory=dict)
    sharing: bool = False
    fallback: dict[str, Any] | None = None  # the server's copy, for a case not kept here

    @classmethod
    def start(
        cls, case: Case, sharing_available: bool, fallback: dict[str, Any] | None = None
    ) -> Recheck:
        kind = kind_of(case.state)
        if kind is None:
            raise CaseActionError(_("This case is not waiting for papers or a decision."))
        received = {
            material: {k: v for k, v in got.model_dump().items() if v}
            for material, got in case.received.items()
        }
        # Papers fetched by data sharing when the case was received stay fetched.
        sharing = case.sharing or sharing_available
        return cls(case, kind, {m: c for m, c in received.items() if c}, sharing, fallback)

    @property
    def asked(self) -> dict[str, dict[str, int]]:
        """What the one-time notice (or the commitment) listed, per material."""
        decision = self.case.decision
        if decision is None or self.kind == "decide":
            return {}
        lines = decision.missing if self.kind == "supplement" else decision.deferred
        return {s.material: {"original": s.original, "copies": s.copies} for s in lines}


def assess(catalogue: Catalogue, recheck: Recheck, today: dt.date) -> Assessment:
    """The shared check on the case's papers as they stand now."""
    presented = {
        material: {"original": counts.get("original", 0), "copies": counts.get("copies", 0)}
        for material, counts in recheck.received.items()
    }
    case = recheck.case
    try:
        result = evaluate(
            catalogue, case.target.code, case.facts, presented, recheck.sharing, today
        )
    except RequestError as exc:
        return Assessment(None, str(exc), recheck.sharing)
    return Assessment(result, "", recheck.sharing)


def allowed(recheck: Recheck, assessment: Assessment) -> set[str]:
    """The decisions the check and the state machine allow now (for an officer)."""
    if assessment.result is None:
        return set()
    if recheck.kind == "deferral":
        return {FULFIL} if assessment.outcome == "complete" else set()
    targets = set(allowed_targets(recheck.case.state, Role.OFFICER))
    return {
        outcome
        for outcome in outcomes_for(assessment.outcome) - {"receive"}
        if OUTCOME_STATE[outcome] in targets
    }


def decide(ctx: CaseContext, recheck: Recheck, decision: DecisionInput) -> SavedCase:
    """The counter's decision on the case as the papers stand (accept, defer, a new notice
    of what remains, refuse), saved with the papers received. Raises CaseActionError."""
    if recheck.kind == "deferral":
        raise CaseActionError(_("A deferral is fulfilled, not decided again."))
    now = ctx.clock.now()
    catalogue = ctx.catalogue()
    with writing(ctx):
        case = _unchanged(ctx, recheck)
        target = catalogue.target(case.target.code)
        assessment = assess(catalogue, recheck, now.date())
        if target is None or assessment.result is None:
            raise CaseActionError(assessment.problem or _("The check cannot be made."))
        if decision.outcome not in allowed(recheck, assessment):
            raise CaseActionError(outcome_refused(decision.outcome, assessment.outcome))
        try:
            changes = decision_changes(
                catalogue, target, decision, assessment.result, ctx.officer, now
            )
        except DecisionError as exc:
            raise CaseActionError(str(exc), exc.problems) from exc
        changes["received"] = _received_doc(recheck.received)
        changes["sharing"] = assessment.sharing
        operation, entry = decision_operation(case, decision, changes, ctx.officer, now)
        case = apply_all(ctx, case, [operation])
        save(ctx, case, [operation], [{**entry, "step": recheck.kind}])
    return SavedCase(case, OUTCOME_PAPERS[decision.outcome])


def fulfil(ctx: CaseContext, recheck: Recheck) -> SavedCase:
    """The deferred papers arrived: accepted, on the limits fixed at the first acceptance.
    The materials slip records what was handed over."""
    now = ctx.clock.now()
    catalogue = ctx.catalogue()
    with writing(ctx):
        case = _unchanged(ctx, recheck)
        assessment = assess(catalogue, recheck, now.date())
        if assessment.result is None:
            raise CaseActionError(assessment.problem or _("The check cannot be made."))
        if assessment.outcome != "complete":
            raise CaseActionError(_("Some deferred papers are still missing."))
        changes = {
            "received": _received_doc(recheck.received),
            "check": assessment.result.to_json(),
            "sharing": assessment.sharing,
        }
        operation = transition(ctx, case, CaseState.ACCEPTED, FULFILLED_REASON, changes=changes)
        case = apply_all(ctx, case, [operation])
        entry = {"actor": ctx.officer, "action": "case.deferral_fulfilled", "case_id": case.id}
        save(ctx, case, [operation], [entry])
    return SavedCase(case, (DocKind.MATERIALS,))


def _unchanged(ctx: CaseContext, recheck: Recheck) -> Case:
    """The case as saved now; refused if it moved on since the officer opened it (a sync
    brought another counter's decision)."""
    case = current_case(ctx, recheck.case.id, recheck.fallback)
    if case.state is not recheck.case.state:
        raise CaseActionError(
            _("The case changed meanwhile (now: {state}). Open it again.").format(
                state=case.state.label_zh if i18n.current() == "zh" else case.state.label_en
            )
        )
    return case


def _received_doc(received: dict[str, dict[str, int]]) -> dict[str, dict[str, int]]:
    keys = ("original", "copies", "made_at_counter", "pages")
    return {
        material: {key: counts.get(key, 0) for key in keys}
        for material, counts in received.items()
        if any(counts.get(key, 0) for key in keys)
    }
