"""The counter's decision on a case (Administrative Licensing Law, art. 32): accept, accept
with deferral, one-time notice of what is missing, or refuse, as one transition operation.

One function for every place a counter decides: at intake (after the case is created), on
a case received earlier (收件, decided within five working days), and when the applicant
comes back with the papers a one-time notice asked for (补正). Each passes the shared
completeness check's answer; this module turns it and the officer's choice into the
``transition`` operation (decision, check, limits fixed at acceptance), checked against
what the check allows. The state machine then judges the move from the case's state.

A matter no item of this centre covers has no check (``result`` None): the state machine
lets it be refused only (``UNLISTED_MOVES``), so that is the one decision offered.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from typing import Any, Literal

from counterdesk.domain.cases import Case, Operation, OperationKind, new_operation
from counterdesk.domain.cases.limits import acceptance_limits
from counterdesk.domain.cases.states import CaseState, Role, allowed_targets
from counterdesk.domain.cases.timelimit import NOTICE_DEADLINE_DAYS
from counterdesk.domain.catalogue import Catalogue, Target
from counterdesk.domain.checklist import CheckResult, calendar_for
from counterdesk.forms.paper import DocKind
from counterdesk.i18n import _

DEFAULT_SUPPLEMENT_DAYS = 10  # working days the applicant has to bring what is missing
DEFAULT_DEFERRAL_DAYS = 10  # working days to bring deferred materials
Outcome = Literal["accept", "accept_deferral", "notice", "refuse", "receive"]
OUTCOME_STATE = {
    "accept": CaseState.ACCEPTED,
    "accept_deferral": CaseState.ACCEPTED_DEFERRAL,
    "notice": CaseState.AWAITING_SUPPLEMENT,
    "refuse": CaseState.REFUSED,
}
OUTCOME_PAPERS: dict[str, tuple[DocKind, ...]] = {
    "accept": (DocKind.RECEIPT,),
    "accept_deferral": (DocKind.RECEIPT, DocKind.COMMITMENT),
    "notice": (DocKind.NOTICE,),
    "refuse": (DocKind.REFUSAL,),
    "receive": (DocKind.MATERIALS,),
}


class DecisionError(ValueError):
    """A decision that cannot be saved; ``problems`` maps an entry to its reason."""

    def __init__(self, message: str, problems: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.problems = problems or {}


@dataclass(frozen=True)
class DecisionInput:
    outcome: Outcome
    due: dt.date | None = None  # supplement or deferral deadline
    refusal_ground: str | None = None  # no_licence_needed / not_this_authority / other
    reason: str = ""
    competent_authority: str = ""
    commitment_signed: bool = False
    asked_for: str = ""  # a matter no item covers: what the applicant asked for


def outcomes_for(check_outcome: str, *, unlisted: bool = False) -> set[str]:
    """What the law lets the counter decide on a check's outcome (receive and refuse
    always; "" when there is no check yet). ``unlisted``: a matter no item of this centre
    covers, decided at once as the state machine allows (refusal only)."""
    if unlisted:
        moves = allowed_targets(CaseState.RECEIVED, Role.OFFICER, unlisted=True)
        return {outcome for outcome, state in OUTCOME_STATE.items() if state in moves}
    allowed = {"receive", "refuse"}
    if check_outcome == "complete":
        allowed.add("accept")
    elif check_outcome == "deferrable":
        allowed |= {"accept_deferral", "notice"}
    elif check_outcome == "incomplete":
        allowed.add("notice")
    return allowed


def notice_deadline(catalogue: Catalogue, received_on: dt.date) -> dt.date:
    """When the decision on papers received that day is due (art. 32: five working days)."""
    due, _provisional = calendar_for(catalogue.calendar).add_working_days(
        received_on, NOTICE_DEADLINE_DAYS
    )
    return due


def default_due(catalogue: Catalogue, today: dt.date, outcome: str) -> dt.date:
    days = DEFAULT_DEFERRAL_DAYS if outcome == "accept_deferral" else DEFAULT_SUPPLEMENT_DAYS
    due, _provisional = calendar_for(catalogue.calendar).add_working_days(today, days)
    return due


def outcome_refused(outcome: str, check_outcome: str, *, unlisted: bool = False) -> str:
    if unlisted:
        return _("No item of this centre covers the request: it can only be refused.")
    if outcome == "accept":
        return _("Not every required paper is here: accept is not possible.")
    if outcome == "accept_deferral":
        return _("Deferral needs every main paper present and only deferrable ones missing.")
    if outcome == "notice":
        return _("Nothing is missing: there is nothing to notify.")
    return _("This decision does not fit the check ({outcome}).").format(outcome=check_outcome)


def decision_changes(
    catalogue: Catalogue,
    target: Target | None,
    decision: DecisionInput,
    result: CheckResult | None,
    officer: str,
    now: dt.datetime,
) -> dict[str, Any]:
    """The case members a decision sets: the decision itself, the check's answer, and for an
    acceptance the time limits (fixed on the day of acceptance). ``target`` and ``result``
    None: a matter no item of this centre covers. Raises DecisionError."""
    unlisted = result is None
    check_outcome = result.outcome if result is not None else ""
    allowed = outcomes_for(check_outcome, unlisted=unlisted)
    if decision.outcome == "receive" or decision.outcome not in allowed:
        raise DecisionError(outcome_refused(decision.outcome, check_outcome, unlisted=unlisted))
    changes: dict[str, Any] = {
        "decision": _decision_doc(decision, result, officer, now),
        "check": result.to_json() if result is not None else None,
    }
    if decision.outcome in ("accept", "accept_deferral"):
        assert target is not None and result is not None  # the check allowed it
        changes["limits"] = acceptance_limits(catalogue, target, result, now.date())
    return changes


def decision_operation(
    case: Case,
    decision: DecisionInput,
    changes: dict[str, Any],
    officer: str,
    now: dt.datetime,
) -> tuple[Operation, dict[str, Any]]:
    """The decision as the case's ``transition`` operation, with its audit entry.
    ``changes``: ``decision_changes``'s answer, plus any member the caller sets with it
    (the papers received on a supplement)."""
    operation = new_operation(
        OperationKind.TRANSITION,
        case.id,
        officer,
        now,
        case.version,
        {
            "to": OUTCOME_STATE[decision.outcome].value,
            "reason": decision.reason,
            "changes": changes,
        },
    )
    return operation, {"actor": officer, "action": f"case.{decision.outcome}", "case_id": case.id}


def _decision_doc(
    decision: DecisionInput, result: CheckResult | None, officer: str, now: dt.datetime
) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "outcome": decision.outcome,
        "decided_at": now.isoformat(),
        "decided_by": officer,
        "reason": decision.reason.strip(),
    }
    if decision.outcome == "accept_deferral" and result is not None:
        if not decision.commitment_signed:
            raise DecisionError(
                _("The applicant must sign the deferral commitment first."),
                {"commitment": _("Required.")},
            )
        if decision.due is None:
            raise DecisionError(
                _("Give the date the deferred papers are due."), {"due": _("Required.")}
            )
        doc["deferred"] = [dataclasses.asdict(s) for s in result.deferred]
        doc["commitment_signed"] = True
        doc["due"] = decision.due.isoformat()
    elif decision.outcome == "notice" and result is not None:
        # Everything missing, in one go: what is deferrable too, since the applicant did
        # not commit to bring it later.
        doc["missing"] = [dataclasses.asdict(s) for s in (*result.missing, *result.deferred)]
        if decision.due is None:
            raise DecisionError(
                _("Give the date the missing papers are due."), {"due": _("Required.")}
            )
        doc["due"] = decision.due.isoformat()
    elif decision.outcome == "refuse":
        ground = decision.refusal_ground
        if ground not in ("no_licence_needed", "not_this_authority", "other"):
            raise DecisionError(_("Choose the ground of the refusal."), {"ground": _("Required.")})
        if not decision.reason.strip():
            raise DecisionError(_("A refusal needs its reason."), {"reason": _("Required.")})
        if ground == "not_this_authority" and not decision.competent_authority.strip():
            raise DecisionError(
                _("Name the authority that handles this matter."),
                {"competent_authority": _("Required.")},
            )
        doc["refusal_ground"] = ground
        doc["competent_authority"] = decision.competent_authority.strip()
    return doc
