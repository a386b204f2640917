"""A matter no item of this centre covers: created received, then refused, and nothing else,
whatever operation or role tries; and the department's decision, the one operation the
server and the training sandbox's back office both send."""

from __future__ import annotations

import datetime as dt

import pytest

from counterdesk.domain.cases import (
    Case,
    CaseState,
    OperationError,
    OperationKind,
    Role,
    allowed_targets,
    apply_operation,
    new_operation,
)
from counterdesk.domain.cases.department import department_decision, department_path
from counterdesk.domain.cases.unlisted import UNLISTED_CODE, is_unlisted, unlisted_target
from tests.domain.case_factory import T0, case_document, created, moved

ASKED = "注册商标“南湖春”"
REFUSAL = {
    "outcome": "refuse",
    "refusal_ground": "not_this_authority",
    "reason": "商标注册由国家知识产权局受理",
    "competent_authority": "国家知识产权局",
    "decided_at": T0.isoformat(),
    "decided_by": "officer1",
}


def unlisted_case(**overrides) -> Case:
    return created(target=unlisted_target(ASKED), **overrides)


def refused(case: Case) -> Case:
    return moved(
        case, "refused", reason="商标注册由国家知识产权局受理", changes={"decision": REFUSAL}
    )


def test_an_unlisted_matter_is_created_received_and_refused() -> None:
    case = refused(unlisted_case())
    assert case.state is CaseState.REFUSED
    assert (case.target.kind, case.target.code, case.target.name) == ("unlisted", "UNLISTED", ASKED)
    assert is_unlisted(case.to_json()["target"])
    assert [entry.state_to for entry in case.timeline] == [CaseState.RECEIVED, CaseState.REFUSED]


@pytest.mark.parametrize(
    "to", ["accepted", "accepted_deferral", "awaiting_supplement", "withdrawn"]
)
def test_an_unlisted_matter_can_only_be_refused(to: str) -> None:
    case = unlisted_case()
    with pytest.raises(OperationError, match="can only be refused"):
        moved(case, to, reason="申请人撤回")


@pytest.mark.parametrize("to", ["under_review", "approved", "ready_for_issuance", "delivered"])
def test_an_unlisted_matter_never_reaches_the_department_or_issuance(to: str) -> None:
    case = unlisted_case()
    for role in (Role.OFFICER, Role.DEPARTMENT, Role.ADMIN):
        with pytest.raises(OperationError):
            moved(case, to, role=role, reason="x")
    with pytest.raises(OperationError):
        moved(refused(case), to, role=Role.DEPARTMENT, reason="x")


def test_the_state_machine_offers_an_unlisted_matter_refusal_only() -> None:
    for role in (Role.OFFICER, Role.SUPERVISOR, Role.TRAINEE):
        assert allowed_targets(CaseState.RECEIVED, role, unlisted=True) == [CaseState.REFUSED]
        assert CaseState.ACCEPTED in allowed_targets(CaseState.RECEIVED, role)
    for state in CaseState:
        if state is not CaseState.RECEIVED:
            assert allowed_targets(state, Role.ADMIN, unlisted=True) == []


@pytest.mark.parametrize("state", ["refused", "accepted"])
def test_an_unlisted_case_is_created_received(state: str) -> None:
    with pytest.raises(OperationError, match="created received"):
        unlisted_case(state=state)


def test_an_unlisted_case_cannot_be_given_what_only_an_item_has() -> None:
    case = unlisted_case()
    limits = {
        "accepted_on": "2026-11-23",
        "promised_days": 1,
        "legal_days": 15,
        "promised_by": "2026-11-24",
        "legal_by": "2026-12-14",
        "fee": 0,
    }
    for changes in ({"limits": limits}, {"fields": {"premises": "rented"}}):
        op = new_operation(
            OperationKind.UPDATE_FIELDS, case.id, "officer1", T0, case.version, {"changes": changes}
        )
        with pytest.raises(OperationError, match="holds no"):
            apply_operation(case, op, Role.OFFICER)
    accepting = {**REFUSAL, "outcome": "accept"}
    with pytest.raises(OperationError, match="can only be refused"):
        moved(case, "refused", reason="x", changes={"decision": accepting})
    with pytest.raises(OperationError, match="holds no received"):
        unlisted_case(received={"id_card": {"original": 1}})


def test_a_refused_unlisted_case_still_records_its_prints() -> None:
    case = refused(unlisted_case())
    op = new_operation(
        OperationKind.RECORD_PRINT, case.id, "officer1", T0, case.version, {"doc": "refusal"}
    )
    assert [p.doc for p in apply_operation(case, op, Role.OFFICER).prints] == ["refusal"]


@pytest.mark.parametrize(
    ("target", "problem"),
    [
        ({"kind": "item", "code": UNLISTED_CODE, "name": "x"}, "only for"),
        ({"kind": "unlisted", "code": "SCJG-001", "name": "x"}, "only for"),
        ({"kind": "unlisted", "code": UNLISTED_CODE, "name": "  "}, "asked for"),
    ],
)
def test_the_unlisted_code_and_kind_go_together(target: dict, problem: str) -> None:
    op = new_operation(
        OperationKind.CREATE, "case-1", "officer1", T0, 0, case_document(target=target)
    )
    with pytest.raises(OperationError, match=problem):
        apply_operation(None, op, Role.OFFICER)


def test_what_was_asked_for_is_required() -> None:
    with pytest.raises(ValueError, match="asked for"):
        unlisted_target("   ")
    assert unlisted_target("  驾驶证\n换证 ")["name"] == "驾驶证 换证"


# The department's decision


def test_the_department_decides_where_the_state_machine_lets_it() -> None:
    assert department_path(CaseState.ACCEPTED, True) == [CaseState.APPROVED]
    assert department_path(CaseState.UNDER_REVIEW, False) == [CaseState.REJECTED]
    assert department_path(CaseState.ACCEPTED_DEFERRAL, True) == [
        CaseState.UNDER_REVIEW,
        CaseState.APPROVED,
    ]
    for state in (CaseState.RECEIVED, CaseState.AWAITING_SUPPLEMENT, CaseState.REFUSED):
        assert department_path(state, True) == []


def test_the_department_decision_records_its_result() -> None:
    case = moved(created(), "accepted")
    at = T0 + dt.timedelta(days=2)
    op = department_decision(case.id, "scjg", at, case.version, False, "经营范围不符")
    rejected = apply_operation(case, op, Role.DEPARTMENT)
    assert rejected.state is CaseState.REJECTED
    result = rejected.department_result
    assert result is not None and (result.approved, result.text, result.decided_by) == (
        False,
        "经营范围不符",
        "scjg",
    )
    with pytest.raises(OperationError, match="role officer"):
        apply_operation(case, op, Role.OFFICER)
    empty = department_decision(case.id, "scjg", at, case.version, False, "")
    with pytest.raises(OperationError, match="reason"):
        apply_operation(case, empty, Role.DEPARTMENT)
