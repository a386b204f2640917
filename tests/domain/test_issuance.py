"""Who may collect a result (the applicant, the agent, a delegate with a power of attorney),
what a mailing record needs, and that a delivery whose record fails is refused by the one
``apply_operation`` the counter and the server share."""

from __future__ import annotations

import datetime as dt

import pytest

from counterdesk.domain.cases import Agent, Applicant, CaseState, OperationError
from counterdesk.domain.cases.issuance import check_collector, check_mail, issuance_path
from tests.domain.case_factory import T0, created, moved

TODAY = T0.date()
PERSON = Applicant(
    type="natural", name="王小明", id_kind="resident_id", id_number="330402199001011237"
)
COMPANY = Applicant(
    type="legal", name="嘉兴欢唱娱乐有限公司", id_kind="uscc", id_number="91330402MA2B3C4D53"
)
AGENT = Agent(name="李代办", id_number="330402198506150014")
DELEGATE_ID = "330402198808080021"


def test_the_applicant_collects_with_their_own_id_however_it_is_typed() -> None:
    verdict = check_collector(PERSON, None, " 3304 0219 9001 0112 37 ", TODAY)
    assert verdict.ok and verdict.kind == "applicant" and verdict.name == "王小明"
    assert verdict.id_number == "330402199001011237"


def test_the_agent_collects_with_theirs() -> None:
    verdict = check_collector(PERSON, AGENT, AGENT.id_number, TODAY)
    assert verdict.kind == "agent" and verdict.name == "李代办"


def test_anyone_else_is_refused_with_the_reason_unless_they_hold_a_power_of_attorney() -> None:
    refused = check_collector(PERSON, AGENT, DELEGATE_ID, TODAY)
    assert not refused.ok
    assert "授权委托书" in refused.reason and "power of attorney" in refused.reason
    no_name = check_collector(PERSON, AGENT, DELEGATE_ID, TODAY, power_of_attorney=True)
    assert not no_name.ok and "name" in no_name.reason
    delegate = check_collector(
        PERSON, AGENT, DELEGATE_ID, TODAY, delegate_name="赵受托", power_of_attorney=True
    )
    assert delegate.kind == "delegate" and delegate.name == "赵受托"


def test_a_mistyped_id_number_is_told_as_such_not_as_a_stranger() -> None:
    verdict = check_collector(PERSON, None, "330402199001011238", TODAY)
    assert not verdict.ok and "check digit" in verdict.reason


def test_an_organisation_is_collected_for_by_its_agent_or_a_delegate() -> None:
    assert check_collector(COMPANY, AGENT, AGENT.id_number, TODAY).kind == "agent"
    # Its credit code is no ID card.
    assert not check_collector(COMPANY, None, COMPANY.id_number, TODAY).ok
    alone = check_collector(COMPANY, None, DELEGATE_ID, TODAY)
    assert not alone.ok and "organisation" in alone.reason
    assert (
        check_collector(
            COMPANY, None, DELEGATE_ID, TODAY, delegate_name="赵受托", power_of_attorney=True
        ).kind
        == "delegate"
    )


def test_a_mailing_needs_address_courier_and_a_plausible_tracking_number() -> None:
    assert check_mail("嘉兴市南湖区1号", "顺丰速运", "SF1234567890") == {}
    problems = check_mail("", " ", "12")
    assert set(problems) == {"address", "courier", "tracking_number"}


def test_the_path_to_delivery_passes_through_ready_for_issuance() -> None:
    assert issuance_path(CaseState.APPROVED) == [
        CaseState.READY_FOR_ISSUANCE,
        CaseState.DELIVERED,
    ]
    assert issuance_path(CaseState.READY_FOR_ISSUANCE) == [CaseState.DELIVERED]
    assert issuance_path(CaseState.ACCEPTED) == []


def _ready():
    case = moved(created(), "accepted")
    result = {"approved": True, "text": "准予", "decided_at": T0.isoformat(), "decided_by": "d"}
    from counterdesk.domain.cases import Role

    case = moved(case, "approved", role=Role.DEPARTMENT, department_result=result)
    return moved(case, "ready_for_issuance")


def _pickup(collector_id: str, **extra: object) -> dict:
    return {
        "method": "pickup",
        "collector_name": "某人",
        "collector_id": collector_id,
        "delivered_at": T0.isoformat(),
        "delivered_by": "officer1",
        **extra,
    }


def test_apply_operation_refuses_a_delivery_to_a_stranger_on_counter_and_server_alike() -> None:
    case = _ready()
    with pytest.raises(OperationError, match="power of attorney"):
        moved(case, "delivered", issuance=_pickup(DELEGATE_ID))
    delivered = moved(case, "delivered", issuance=_pickup(DELEGATE_ID, delegate=True))
    assert delivered.state is CaseState.DELIVERED and delivered.issuance is not None
    assert moved(case, "delivered", issuance=_pickup("330402199001011237")).issuance


def test_apply_operation_refuses_a_mailing_without_a_tracking_number() -> None:
    mail = {
        "method": "mail",
        "address": "嘉兴市南湖区1号",
        "courier": "EMS",
        "tracking_number": "",
        "delivered_at": (T0 + dt.timedelta(days=1)).isoformat(),
        "delivered_by": "officer1",
    }
    with pytest.raises(OperationError, match="tracking number"):
        moved(_ready(), "delivered", issuance=mail)
