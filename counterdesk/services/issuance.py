"""出件: handing a decided case's result over at the counter, or mailing it, and printing the
delivery receipt (送达回执).

Who may collect is the domain's rule (``domain/cases/issuance.py``), asked as the officer
types and again by ``apply_operation`` when the delivery is saved. A department's result
first waits for issuance (approved or rejected, then 待出件) and is then delivered: both
moves are saved in one batch with the hand-over record, offline too.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from counterdesk.domain.cases import Case
from counterdesk.domain.cases.issuance import (
    CollectorCheck,
    check_collector,
    check_mail,
    issuance_path,
)
from counterdesk.forms.paper import DocKind
from counterdesk.i18n import _, bilingual
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


@dataclass(frozen=True)
class HandOver:
    """What the officer entered on the issuance screen."""

    method: Literal["pickup", "mail"] = "pickup"
    collector_id: str = ""
    delegate: bool = False  # someone the applicant sent
    delegate_name: str = ""
    power_of_attorney: bool = False  # the officer saw the applicant's power of attorney
    address: str = ""
    courier: str = ""
    tracking_number: str = ""


def mailing_address(case: Case) -> str:
    """Where a mailed result goes unless the officer types another address."""
    return case.delivery.address or case.applicant.address


def collector(case: Case, hand_over: HandOver, today: Any) -> CollectorCheck:
    return check_collector(
        case.applicant,
        case.agent,
        hand_over.collector_id,
        today,
        delegate_name=hand_over.delegate_name if hand_over.delegate else "",
        power_of_attorney=hand_over.delegate and hand_over.power_of_attorney,
    )


def problems(case: Case, hand_over: HandOver, today: Any) -> dict[str, str]:
    """What stops the hand-over, per entry of the screen, in the officer's language."""
    if not issuance_path(case.state):
        return {"case": _("This case has no result to hand over.")}
    if hand_over.method == "mail":
        found = check_mail(hand_over.address, hand_over.courier, hand_over.tracking_number)
        return {entry: bilingual(reason) for entry, reason in found.items()}
    verdict = collector(case, hand_over, today)
    if verdict.ok:
        return {}
    if verdict.entry == "name":
        return {"delegate_name": bilingual(verdict.reason)}
    if verdict.entry == "power_of_attorney" and hand_over.delegate:
        return {"power_of_attorney": _("Confirm that you saw the power of attorney.")}
    return {"collector_id": bilingual(verdict.reason)}


def issue(
    ctx: CaseContext, case_id: str, hand_over: HandOver, fallback: dict[str, Any] | None = None
) -> SavedCase:
    """Deliver the result (ready for issuance first, when it is not yet) with the hand-over
    record; the delivery receipt is to be printed. Raises CaseActionError."""
    now = ctx.clock.now()
    with writing(ctx):
        case = current_case(ctx, case_id, fallback)
        found = problems(case, hand_over, now.date())
        if found:
            raise CaseActionError(next(iter(found.values())), found)
        record: dict[str, Any] = {
            "method": hand_over.method,
            "delivered_at": now.isoformat(),
            "delivered_by": ctx.officer,
        }
        if hand_over.method == "pickup":
            verdict = collector(case, hand_over, now.date())
            record |= {
                "collector_name": verdict.name,
                "collector_id": verdict.id_number,
                "delegate": verdict.kind == "delegate",
            }
        else:
            record |= {
                "address": hand_over.address.strip(),
                "courier": hand_over.courier.strip(),
                "tracking_number": hand_over.tracking_number.strip(),
            }
        operations = []
        path = issuance_path(case.state)
        for step in path:
            extra = {"issuance": record} if step is path[-1] else {}
            operation = transition(ctx, case, step, **extra)
            case = apply_all(ctx, case, [operation])
            operations.append(operation)
        entry = {
            "actor": ctx.officer,
            "action": "case.deliver",
            "case_id": case.id,
            "method": hand_over.method,
        }
        save(ctx, case, operations, [entry])
    return SavedCase(case, (DocKind.DELIVERY,))
