"""What a counter does to a case after intake, as operations saved in one batch with their
audit entries: the common ground of the supplement, the issuance and the case view, and
the two plain moves, withdrawal (撤件) and termination (终止).

Every change is the shared ``apply_operation`` on the case as this counter holds it, saved
with its outbox operation and audit entry at once, so it works offline and syncs later.
The case is read and saved under the counter's case lock and the store's own lock, so a
sync landing in between cannot overwrite it (docs/sync.md, "Limits").
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from counterdesk.domain.cases import (
    Case,
    CaseState,
    Operation,
    OperationError,
    OperationKind,
    Role,
    apply_operation,
    new_operation,
)
from counterdesk.domain.clock import Clock
from counterdesk.forms.paper import DocKind
from counterdesk.i18n import _, bilingual
from offline import Store

if TYPE_CHECKING:
    from counterdesk.domain.catalogue import Catalogue
    from counterdesk.services.counter import CounterServices
    from counterdesk.services.session import Officer


class CaseActionError(ValueError):
    """An action that cannot be saved, in the officer's words; nothing was saved.
    ``problems`` maps an entry of the screen to its reason."""

    def __init__(self, message: str, problems: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.problems = problems or {}


@dataclass
class CaseContext:
    """Who acts, on which store, with which catalogue and clock."""

    store: Store
    clock: Clock
    officer: str
    catalogue: Callable[[], Catalogue]
    role: Role = Role.OFFICER
    lock: threading.Lock = field(default_factory=threading.Lock)
    saved: Callable[[], None] | None = None  # operations for the server were saved


def context_of(services: CounterServices, officer: Officer) -> CaseContext:
    try:
        role = Role(officer.role)
    except ValueError:
        role = Role.OFFICER
    return CaseContext(
        store=services.store,
        clock=services.clock,
        officer=officer.username,
        catalogue=lambda: services.catalogue,
        role=role if role in (Role.OFFICER, Role.SUPERVISOR, Role.TRAINEE) else Role.OFFICER,
        lock=services.case_lock,
        saved=services.saved,
    )


@dataclass(frozen=True)
class SavedCase:
    """A case after an action, and the papers the action prints."""

    case: Case
    papers: tuple[DocKind, ...] = ()


@contextmanager
def writing(ctx: CaseContext) -> Iterator[None]:
    """One writer of cases at a time: this counter's screens and its sync engine."""
    from offline.sync import store_lock  # the engine's lock (loads httpx: once, on first use)

    with ctx.lock, store_lock(ctx.store):
        yield


def current_case(ctx: CaseContext, case_id: str, fallback: dict[str, Any] | None = None) -> Case:
    """The case as this counter holds it; ``fallback``: the server's copy of a case found
    there and not kept here (it is kept here once an action is saved on it)."""
    document = ctx.store.get(case_id) or fallback
    if document is None:
        raise CaseActionError(_("This case is no longer here."))
    return Case.model_validate(document)


def keep_here(ctx: CaseContext, case_id: str, fallback: dict[str, Any] | None = None) -> Case:
    """The case, kept on this counter from now on if it was only the server's copy (a
    paper printed for it is then recorded on it, and syncs like any change)."""
    with writing(ctx):
        document = ctx.store.get(case_id)
        if document is None and fallback is not None:
            ctx.store.save_batch(cases=[fallback])
            document = fallback
    if document is None:
        raise CaseActionError(_("This case is no longer here."))
    return Case.model_validate(document)


def apply_all(ctx: CaseContext, case: Case, operations: Sequence[Operation]) -> Case:
    """Each operation in turn, as the server will apply them; OperationError in words."""
    for operation in operations:
        try:
            case = apply_operation(case, operation, ctx.role)
        except OperationError as exc:
            raise CaseActionError(bilingual(str(exc))) from exc
    return case


def save(
    ctx: CaseContext,
    case: Case,
    operations: Sequence[Operation],
    audit: Sequence[dict[str, Any]],
) -> None:
    """The case, its operations and their audit entries in one durable batch."""
    ctx.store.save_batch(
        cases=[case.to_json()],
        operations=[op.to_json() for op in operations],
        audit_entries=list(audit),
    )
    if ctx.saved is not None:
        ctx.saved()


def transition(
    ctx: CaseContext, case: Case, to: CaseState, reason: str = "", **payload: Any
) -> Operation:
    return new_operation(
        OperationKind.TRANSITION,
        case.id,
        ctx.officer,
        ctx.clock.now(),
        case.version,
        {"to": to.value, "reason": reason, **payload},
    )


def withdraw(
    ctx: CaseContext, case_id: str, reason: str, fallback: dict[str, Any] | None = None
) -> SavedCase:
    """撤件: the applicant takes the application back; the reason is recorded."""
    return _move(ctx, case_id, CaseState.WITHDRAWN, reason, "case.withdraw", fallback)


def terminate(
    ctx: CaseContext, case_id: str, reason: str, fallback: dict[str, Any] | None = None
) -> SavedCase:
    """终止: the deferral commitment lapsed (the domain says when that may be)."""
    return _move(ctx, case_id, CaseState.TERMINATED, reason, "case.terminate", fallback)


def _move(
    ctx: CaseContext,
    case_id: str,
    to: CaseState,
    reason: str,
    action: str,
    fallback: dict[str, Any] | None,
) -> SavedCase:
    reason = reason.strip()
    if not reason:
        raise CaseActionError(_("Give the reason."), {"reason": _("Required.")})
    with writing(ctx):
        case = current_case(ctx, case_id, fallback)
        operation = transition(ctx, case, to, reason)
        case = apply_all(ctx, case, [operation])
        entry = {"actor": ctx.officer, "action": action, "case_id": case.id}  # no free text
        save(ctx, case, [operation], [entry])
    return SavedCase(case)
