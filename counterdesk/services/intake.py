"""An intake, from the first key to the saved case: the draft the screen edits, what the
check says about it, and submitting the counter's decision.

The screen only edits an ``IntakeDraft`` and shows what this module says about it; every
rule is the domain's: identifiers (``identity``), the completeness check (``checklist``),
the case document, its operations and state machine (``cases``). ``submit`` turns a draft
and a decision into a case, its operations (create, then the decision's transition) and
audit entries, saved in one atomic batch with the draft discarded, and says which papers
the outcome needs. With no item chosen, the one decision is a refusal of a matter no item
of this centre covers (``_submit_unlisted``: the applicant and what they asked for, no
checklist). Drafts are kept in the encrypted store on every change
(``DraftKeeper``), so nothing typed is lost when validation fails, the officer switches
screens, or the program is closed or killed.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from contextlib import nullcontext
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from counterdesk.domain.cases import (
    Case,
    OperationKind,
    Role,
    apply_operation,
    new_operation,
)
from counterdesk.domain.cases.unlisted import unlisted_target
from counterdesk.domain.catalogue import Catalogue
from counterdesk.domain.checklist import CheckResult, RequestError, evaluate
from counterdesk.domain.clock import Clock
from counterdesk.forms.paper import DocKind
from counterdesk.i18n import _
from counterdesk.services.decision import (
    DEFAULT_DEFERRAL_DAYS,
    DEFAULT_SUPPLEMENT_DAYS,
    OUTCOME_PAPERS,
    OUTCOME_STATE,
    DecisionError,
    DecisionInput,
    Outcome,
    decision_changes,
    decision_operation,
    default_due,
    notice_deadline,
    outcome_refused,
    outcomes_for,
)
from counterdesk.services.drafts import IntakeDraft
from counterdesk.services.intake_document import case_document, unlisted_document
from counterdesk.services.intake_entries import (
    FROM_APPLICANT,
    applicant_problems,
    applicant_types,
    copied_fields,
    effective_fields,
    entry_problems,
    facts_of,
    field_problems,
    field_value,
    items_of,
    organisation_code_needed,
    target_fields,
)
from offline import Store

if TYPE_CHECKING:
    from counterdesk.services.attachments import AttachmentDesk

# A failed intake submit is a failed decision, or a problem with the entries before it.
IntakeError = DecisionError


def presented_of(draft: IntakeDraft) -> dict[str, dict[str, int]]:
    return {
        material: {"original": counts.get("original", 0), "copies": counts.get("copies", 0)}
        for material, counts in draft.received.items()
    }


@dataclass(frozen=True)
class Assessment:
    """What the check says about the draft now, or why it cannot say."""

    result: CheckResult | None
    problem: str = ""
    sharing: bool = False

    @property
    def outcome(self) -> str:
        return self.result.outcome if self.result else ""


def assess(
    catalogue: Catalogue, draft: IntakeDraft, today: dt.date, sharing_available: bool
) -> Assessment:
    """The shared completeness check on the draft as it stands."""
    if not draft.target:
        return Assessment(None)
    sharing = sharing_available and draft.sharing
    try:
        result = evaluate(
            catalogue,
            draft.target,
            facts_of(catalogue, draft, today),
            presented_of(draft),
            sharing,
            today,
        )
    except RequestError as exc:
        return Assessment(None, str(exc), sharing)
    return Assessment(result, "", sharing)


# --- Counting papers at the counter -------------------------------------------------------


class PapersReceived(Protocol):
    """What the counting below edits: an intake's draft, or a supplement's recheck."""

    received: dict[str, dict[str, int]]


def _counts(draft: PapersReceived, material: str) -> dict[str, int]:
    return dict(draft.received.get(material, {}))


def _store(draft: PapersReceived, material: str, counts: dict[str, int]) -> None:
    counts = {key: max(0, value) for key, value in counts.items()}
    if any(counts.values()):
        draft.received[material] = counts
    else:
        draft.received.pop(material, None)


def mark_present(draft: PapersReceived, material: str, original: int, copies: int) -> None:
    """The applicant handed over what the line asks for (at least)."""
    counts = _counts(draft, material)
    counts["original"] = max(counts.get("original", 0), original)
    counts["copies"] = max(counts.get("copies", 0), copies)
    _store(draft, material, counts)


def toggle_present(draft: PapersReceived, material: str, original: int, copies: int) -> None:
    counts = _counts(draft, material)
    if counts.get("original", 0) >= original and counts.get("copies", 0) >= copies and counts:
        draft.received.pop(material, None)
    else:
        mark_present(draft, material, original, copies)


def mark_all_present(draft: PapersReceived, assessment: Assessment) -> None:
    if assessment.result is None:
        return
    for line in assessment.result.checklist:
        if line.status != "by_sharing":
            mark_present(draft, line.material, line.original, line.copies)


def adjust(draft: PapersReceived, material: str, what: str, delta: int) -> None:
    counts = _counts(draft, material)
    counts[what] = counts.get(what, 0) + delta
    if what == "copies" and counts.get("made_at_counter", 0) > counts["copies"]:
        counts["made_at_counter"] = max(0, counts["copies"])
    _store(draft, material, counts)


def copy_made_at_counter(draft: PapersReceived, material: str) -> None:
    """The applicant brought no copy: the counter made (or scanned) one."""
    counts = _counts(draft, material)
    counts["copies"] = counts.get("copies", 0) + 1
    counts["made_at_counter"] = counts.get("made_at_counter", 0) + 1
    _store(draft, material, counts)


# --- The decision -------------------------------------------------------------------------


def edit_line(
    counted: PapersReceived,
    assessment: Assessment,
    edit: str,
    material: str,
    original: int,
    copies: int,
) -> None:
    """A checklist key (``ChecklistTable.LineEdited``) applied to the papers counted, at
    intake and at a supplement alike: ``all``, ``toggle``, ``made_at_counter``, or
    ``original+`` / ``original-`` / ``copies+`` / ``copies-``."""
    if edit == "all":
        mark_all_present(counted, assessment)
    elif edit == "toggle":
        toggle_present(counted, material, original, copies)
    elif edit == "made_at_counter":
        copy_made_at_counter(counted, material)
    else:
        what, sign = edit[:-1], edit[-1]
        adjust(counted, material, what, 1 if sign == "+" else -1)


def allowed_outcomes(assessment: Assessment, *, unlisted: bool = False) -> set[str]:
    """What the law lets the counter decide on this check (receive and refuse always);
    ``unlisted``: no item chosen, a matter no item of this centre covers (refuse only)."""
    return outcomes_for(assessment.outcome, unlisted=unlisted)


@dataclass(frozen=True)
class SubmittedCase:
    case: Case
    papers: tuple[DocKind, ...]


@dataclass
class IntakeContext:
    """What a submit needs besides the draft: the store, the catalogue and who/where."""

    store: Store
    catalogue: Catalogue
    clock: Clock
    officer: str
    counter: str = ""
    centre: str = ""
    sharing_available: bool = False
    lock: threading.Lock = field(default_factory=threading.Lock)  # one case writer at a time
    training: bool = False  # a practice case (training mode's sandbox store only)
    attachments: AttachmentDesk | None = None  # scanned pages become the case's attachments


def submit(ctx: IntakeContext, draft: IntakeDraft, decision: DecisionInput) -> SubmittedCase:
    """Validate, build the case and its operations, save them with their audit entries and
    the draft's removal in one batch. Raises IntakeError (nothing saved). Blocking."""
    now = ctx.clock.now()
    today = now.date()
    catalogue = ctx.catalogue
    if not draft.target:
        return _submit_unlisted(ctx, draft, decision)
    target = catalogue.target(draft.target)
    if target is None:
        raise IntakeError(_("Choose the item or bundle first."), {"target": _("Required.")})
    problems = {
        **applicant_problems(
            draft, today, required=True, code_needed=organisation_code_needed(catalogue, draft)
        ),
        **field_problems(catalogue, draft, today, required=True),
    }
    if draft.applicant_type not in applicant_types(catalogue, target):
        problems["applicant_type"] = _("This item does not take this kind of applicant.")
    if problems:
        raise IntakeError(_("Some entries need attention before the decision."), problems)
    assessment = assess(catalogue, draft, today, ctx.sharing_available)
    if assessment.result is None:
        raise IntakeError(assessment.problem or _("The check cannot be made."))
    result = assessment.result
    if decision.outcome not in allowed_outcomes(assessment):
        raise IntakeError(outcome_refused(decision.outcome, result.outcome))
    changes = (
        decision_changes(catalogue, target, decision, result, ctx.officer, now)
        if decision.outcome != "receive"
        else None
    )
    scans = ctx.attachments if not ctx.training else None  # practice cases carry none

    def document(number: dict[str, Any]) -> dict[str, Any]:
        return case_document(ctx, draft, target, assessment, number, now, today)

    return _save(ctx, draft, decision, now, document, changes, scans)


def _submit_unlisted(
    ctx: IntakeContext, draft: IntakeDraft, decision: DecisionInput
) -> SubmittedCase:
    """A matter no item of this centre covers: the applicant's entries, what they asked
    for, and a refusal (the only decision the state machine allows it); no checklist, no
    fields, no scans."""
    now = ctx.clock.now()
    today = now.date()
    if decision.outcome not in allowed_outcomes(Assessment(None), unlisted=True):
        raise IntakeError(
            outcome_refused(decision.outcome, "", unlisted=True), {"target": _("Required.")}
        )
    try:
        target = unlisted_target(decision.asked_for)
    except ValueError as exc:
        raise IntakeError(
            _("Say what the applicant asked for."), {"asked_for": _("Required.")}
        ) from exc
    problems = applicant_problems(draft, today, required=True, code_needed=True)
    if problems:
        raise IntakeError(_("Some entries need attention before the decision."), problems)
    changes = decision_changes(ctx.catalogue, None, decision, None, ctx.officer, now)

    def document(number: dict[str, Any]) -> dict[str, Any]:
        return unlisted_document(ctx, draft, target, number, now, today)

    return _save(ctx, draft, decision, now, document, changes, None)


def _save(
    ctx: IntakeContext,
    draft: IntakeDraft,
    decision: DecisionInput,
    now: dt.datetime,
    document_for: Callable[[dict[str, Any]], dict[str, Any]],
    changes: dict[str, Any] | None,
    scans: AttachmentDesk | None,
) -> SubmittedCase:
    """The case (numbered now), its create and decision operations, scans and audit
    entries, and the draft's removal, in one batch."""
    with ctx.lock:
        number = ctx.store.next_number(provisional_prefix(ctx.store))
        document = document_for(number)
        if scans is not None:
            scans.count_pages(document)
        create = new_operation(OperationKind.CREATE, draft.id, ctx.officer, now, 0, document)
        case = apply_operation(None, create, Role.OFFICER)
        operations = [create]
        audit = [{"actor": ctx.officer, "action": "case.create", "case_id": case.id}]
        if changes is not None:
            transition, entry = decision_operation(case, decision, changes, ctx.officer, now)
            case = apply_operation(case, transition, Role.OFFICER)
            operations.append(transition)
            audit.append(entry)
        pending = scans.prepare(case, ctx.officer, now) if scans is not None else None
        if pending is not None:
            case = pending.case
            operations += pending.operations
            audit += pending.audit
        try:
            with scans.batch_settings(pending) if scans else nullcontext({}) as settings:
                ctx.store.save_batch(
                    cases=[case.to_json()],
                    operations=[op.to_json() for op in operations],
                    audit_entries=audit,
                    discard_drafts=[draft.id],
                    settings=settings,
                )
        except BaseException:
            if scans is not None:
                scans.abandon(pending)
            raise
        if scans is not None:
            scans.finished(pending)
    return SubmittedCase(case, OUTCOME_PAPERS[decision.outcome])


def provisional_prefix(store: Store) -> str:
    """Provisional numbers name the store that issued them, so two counters never clash."""
    return f"P-{store.store_id[:4].upper()}-"


__all__ = [  # the entries' and the decision's rules, with the intake's, for the screen
    "DEFAULT_DEFERRAL_DAYS",
    "DEFAULT_SUPPLEMENT_DAYS",
    "OUTCOME_PAPERS",
    "OUTCOME_STATE",
    "DecisionInput",
    "Outcome",
    "default_due",
    "notice_deadline",
    "FROM_APPLICANT",
    "applicant_problems",
    "applicant_types",
    "copied_fields",
    "effective_fields",
    "entry_problems",
    "facts_of",
    "field_problems",
    "field_value",
    "items_of",
    "target_fields",
]
