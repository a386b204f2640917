"""出件 (issuance): who may take a decided case's result away, and what the hand-over record
must hold.

"Unified issuance" (统一窗口出件) hands the result to the applicant or to someone they sent,
or mails it. At the counter the collector's ID card is read and compared with the case:

- a person who applied collects with their own ID number;
- the agent named on the case (代办人) collects with theirs;
- anyone else needs the applicant's power of attorney (授权委托书): their name and a valid
  resident ID number are recorded, and the officer confirms the power of attorney was
  seen (the record's ``delegate``);
- an organisation has no ID card of its own: its agent or a delegate collects.

A mailed result needs the address, the courier company and the tracking number.

Written once: the issuance screen asks ``check_collector`` as the officer types, and
``apply_operation`` refuses a delivery whose record fails ``issuance_problem``, on the
counter and on the server alike.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Literal

from counterdesk.domain.cases.document import Agent, Applicant, Issuance
from counterdesk.domain.cases.states import CaseState
from counterdesk.domain.identity import normalise_id_number, validate_resident_id

CollectorKind = Literal["applicant", "agent", "delegate"]
# A decided case's result waits here; the counter hands it over from any of them.
ISSUABLE_STATES = frozenset({CaseState.APPROVED, CaseState.REJECTED, CaseState.READY_FOR_ISSUANCE})
_TRACKING = re.compile(r"^[A-Za-z0-9][A-Za-z0-9-]{5,39}$")


@dataclass(frozen=True)
class CollectorCheck:
    """The verdict on the person at the counter: who they are for this case, or why the
    result may not be handed to them (Chinese / English)."""

    kind: CollectorKind | None
    name: str = ""  # as recorded on the delivery receipt
    id_number: str = ""  # normalised
    reason: str = ""
    entry: Literal["", "id_number", "name", "power_of_attorney"] = ""  # what to correct

    @property
    def ok(self) -> bool:
        return self.kind is not None


def issuance_path(state: CaseState) -> list[CaseState]:
    """The moves from ``state`` to delivered: a department's result first waits for
    issuance (待出件), then is delivered (已送达). Empty when the case has no result to hand
    over."""
    if state in (CaseState.APPROVED, CaseState.REJECTED):
        return [CaseState.READY_FOR_ISSUANCE, CaseState.DELIVERED]
    if state is CaseState.READY_FOR_ISSUANCE:
        return [CaseState.DELIVERED]
    return []


def check_collector(
    applicant: Applicant,
    agent: Agent | None,
    id_number: str,
    on: dt.date,
    *,
    delegate_name: str = "",
    power_of_attorney: bool = False,
) -> CollectorCheck:
    """Who the person showing ``id_number`` is for this case.

    The applicant's or the agent's own number is enough; any other person is a delegate,
    who needs a valid resident ID number, a name and the power of attorney seen.
    """
    typed = normalise_id_number(id_number)
    if not typed:
        return CollectorCheck(
            None, reason="请输入领取人证件号码 / enter the collector's ID number", entry="id_number"
        )
    if applicant.type == "natural" and typed == normalise_id_number(applicant.id_number):
        return CollectorCheck("applicant", applicant.name, typed)
    if agent is not None and typed == normalise_id_number(agent.id_number):
        return CollectorCheck("agent", agent.name, typed)
    checked = validate_resident_id(typed, today=on)
    if not checked.ok:
        return CollectorCheck(
            None, id_number=checked.value, reason=checked.reason, entry="id_number"
        )
    if not power_of_attorney:
        if applicant.type == "legal" and agent is None:
            reason = (
                "单位的办件须由受托人凭授权委托书领取 / an organisation's result is collected "
                "by someone holding its power of attorney"
            )
        else:
            reason = (
                "该证件号码不是申请人或代办人的：他人领取须出示申请人的授权委托书 / this ID "
                "number is not the applicant's or the agent's: anyone else needs the "
                "applicant's power of attorney"
            )
        return CollectorCheck(
            None, id_number=checked.value, reason=reason, entry="power_of_attorney"
        )
    name = delegate_name.strip()
    if not name:
        return CollectorCheck(
            None,
            id_number=checked.value,
            reason="请填写受托领取人的姓名 / enter the name of the person collecting",
            entry="name",
        )
    return CollectorCheck("delegate", name, checked.value)


def check_mail(address: str, courier: str, tracking_number: str) -> dict[str, str]:
    """What is wrong with a mailing record, per entry (Chinese / English); empty when fine."""
    problems: dict[str, str] = {}
    if not address.strip():
        problems["address"] = "请填写邮寄地址 / enter the mailing address"
    if not courier.strip():
        problems["courier"] = "请填写快递公司 / enter the courier company"
    tracking = tracking_number.strip()
    if not tracking:
        problems["tracking_number"] = "请填写快递单号 / enter the tracking number"
    elif not _TRACKING.match(tracking):
        problems["tracking_number"] = (
            "快递单号应为6至40位字母、数字或短横线 / a tracking number has 6 to 40 letters, "
            "digits or dashes"
        )
    return problems


def issuance_problem(
    applicant: Applicant, agent: Agent | None, issuance: Issuance, on: dt.date
) -> str:
    """Why this hand-over record cannot deliver the case ("" when it can)."""
    if issuance.method == "mail":
        problems = check_mail(issuance.address, issuance.courier, issuance.tracking_number)
        return next(iter(problems.values()), "")
    verdict = check_collector(
        applicant,
        agent,
        issuance.collector_id,
        on,
        delegate_name=issuance.collector_name,
        power_of_attorney=issuance.delegate,
    )
    return verdict.reason
