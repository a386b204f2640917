"""Training mode's back office: the department's decision on an accepted practice case, so
that a trainee can go on to hand the result over on the real issuance screen.

Practice cases never reach the server, so no department ever decides them. Here the trainee
plays the department for one case: approve or reject with a text, as the one shared
operation the server applies for a back office (``domain.cases.department``), applied with
``Role.DEPARTMENT`` by the shared ``apply_operation`` (the state machine says when the
department may decide, and takes a deferral case under review first). The decided case is
saved as a sync would bring it: the case and an audit entry, no outbox operation (the
counter never sends a department's decision).

It works on the sandbox only: the services must be training mode's and their store the
sandbox's (``SandboxStore``), and the case a practice case; the sandbox store refuses a
live case anyway. No live screen offers it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from counterdesk import i18n
from counterdesk.domain.cases.department import (
    department_decision,
    department_path,
    review_operation,
)
from counterdesk.domain.cases.states import CaseState, Role
from counterdesk.i18n import _
from counterdesk.services.case_actions import (
    CaseActionError,
    CaseContext,
    apply_all,
    current_case,
    save,
    writing,
)
from counterdesk.services.training_store import SandboxStore

if TYPE_CHECKING:
    from counterdesk.domain.cases import Case, Operation
    from counterdesk.services.counter import CounterServices

BACK_OFFICE = "training-back-office"  # who decided, on a practice case's record


class BackOfficeError(CaseActionError):
    """The sandbox back office cannot decide this (nothing was saved)."""


def is_sandbox(services: CounterServices) -> bool:
    return services.training and isinstance(services.store, SandboxStore)


def can_decide_state(state: str) -> bool:
    """Whether the department could decide a case in this state now (accepted, with
    deferral, or under review: the state machine's word)."""
    try:
        return bool(department_path(CaseState(state), True))
    except ValueError:
        return False


def decide_as_department(
    services: CounterServices, case_id: str, approve: bool, text: str, trainee: str
) -> Case:
    """Approve or reject the practice case ``case_id`` as its department would; returns
    the case, now approved or rejected. Raises BackOfficeError. Blocking (store)."""
    if not is_sandbox(services):
        raise BackOfficeError(_("The back office decides practice cases only, in training mode."))
    text = text.strip()
    if not text:
        raise BackOfficeError(
            _("Give the department's decision in words."), {"text": _("Required.")}
        )
    ctx = CaseContext(
        store=services.store,
        clock=services.clock,
        officer=BACK_OFFICE,
        catalogue=lambda: services.catalogue,
        role=Role.DEPARTMENT,
        lock=services.case_lock,
    )
    with writing(ctx):
        case = current_case(ctx, case_id)
        if not case.training:
            raise BackOfficeError(
                _("The back office decides practice cases only, in training mode.")
            )
        path = department_path(case.state, approve)
        if not path:
            raise BackOfficeError(
                _("The department decides accepted cases only; this one is {state}.").format(
                    state=case.state.label_zh if i18n.current() == "zh" else case.state.label_en
                )
            )
        at = services.clock.now()
        operations: list[Operation] = []
        for step in path:
            version = case.version + len(operations)
            if step is CaseState.UNDER_REVIEW:
                operations.append(review_operation(case.id, BACK_OFFICE, at, version))
            else:
                operations.append(
                    department_decision(case.id, BACK_OFFICE, at, version, approve, text)
                )
        case = apply_all(ctx, case, operations)
        audit = {"actor": trainee, "action": "case.department_decision", "case_id": case.id}
        save(ctx, case, [], [audit])  # as a sync brings it: nothing for the outbox
    return case
