"""The case document, its state machine and the operations that change it."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from counterdesk.domain.cases import (
    OPEN_STATES,
    TERMINAL_STATES,
    TRANSITIONS,
    Case,
    CaseState,
    OperationError,
    OperationKind,
    Role,
    allowed_targets,
    apply_operation,
    case_json_schema,
    new_operation,
    operation_json_schema,
)
from tests.domain.case_factory import T0, case_document, created, moved


def test_create_starts_the_timeline_at_version_1() -> None:
    case = created()
    assert case.state is CaseState.RECEIVED and case.version == 1
    assert [(e.state_from, e.state_to) for e in case.timeline] == [(None, CaseState.RECEIVED)]
    assert case.number == ""


def test_a_case_round_trips_through_json() -> None:
    case = created()
    assert Case.model_validate(case.to_json()) == case


def test_unknown_keys_are_refused_with_their_path() -> None:
    doc = case_document()
    doc["applicant"]["nmae"] = "x"
    op = new_operation(OperationKind.CREATE, "case-1", "officer1", T0, 0, doc)
    with pytest.raises(OperationError, match="applicant.nmae"):
        apply_operation(None, op, Role.OFFICER)


def test_creating_twice_is_refused() -> None:
    case = created()
    op = new_operation(OperationKind.CREATE, "case-1", "officer1", T0, 0, case_document())
    with pytest.raises(OperationError, match="already exists"):
        apply_operation(case, op, Role.OFFICER)


def test_happy_path_to_delivery() -> None:
    case = created()
    case = moved(case, "accepted")
    case = moved(case, "under_review", role=Role.DEPARTMENT)
    result = {
        "approved": True,
        "text": "准予登记",
        "decided_at": T0.isoformat(),
        "decided_by": "scjg",
    }
    case = moved(case, "approved", role=Role.DEPARTMENT, department_result=result)
    case = moved(case, "ready_for_issuance", role=Role.DEPARTMENT)
    issuance = {
        "method": "pickup",
        "collector_name": "王小明",
        "collector_id": "330402199001011237",
        "delivered_at": T0.isoformat(),
        "delivered_by": "officer1",
    }
    case = moved(case, "delivered", issuance=issuance)
    assert case.state is CaseState.DELIVERED and case.version == 6
    assert case.department_result is not None and case.department_result.approved
    assert len(case.timeline) == 6


def test_delivery_needs_the_issuance_record() -> None:
    case = moved(moved(created(), "accepted"), "under_review", role=Role.DEPARTMENT)
    case = moved(case, "rejected", role=Role.DEPARTMENT, reason="不符合条件")
    case = moved(case, "ready_for_issuance")
    with pytest.raises(OperationError, match="issuance"):
        moved(case, "delivered")


def test_roles_are_enforced() -> None:
    case = moved(created(), "accepted")
    with pytest.raises(OperationError, match="role officer"):
        moved(case, "approved")  # only the department decides
    with pytest.raises(OperationError, match="cannot go from"):
        moved(created(), "delivered")


def test_refusal_withdrawal_and_termination_need_a_reason() -> None:
    with pytest.raises(OperationError, match="reason"):
        moved(created(), "refused")
    assert moved(created(), "refused", reason="不属于本机关职权").state is CaseState.REFUSED


def test_only_supervisors_reassign_and_always_with_a_reason() -> None:
    case = created()

    def assign(role: Role, **payload: str) -> Case:
        op = new_operation(OperationKind.ASSIGN, case.id, "boss", T0, case.version, payload)
        return apply_operation(case, op, role)

    with pytest.raises(OperationError, match="supervisor"):
        assign(Role.OFFICER, assignee="officer2", reason="休假")
    with pytest.raises(OperationError, match="reason"):
        assign(Role.SUPERVISOR, assignee="officer2")
    assert assign(Role.SUPERVISOR, assignee="officer2", reason="休假").assignee == "officer2"


def test_update_fields_cannot_touch_state_or_assignee() -> None:
    case = created()
    op = new_operation(
        OperationKind.UPDATE_FIELDS, case.id, "officer1", T0, 1, {"changes": {"state": "accepted"}}
    )
    with pytest.raises(OperationError, match="state"):
        apply_operation(case, op, Role.OFFICER)
    op = new_operation(
        OperationKind.UPDATE_FIELDS,
        case.id,
        "officer1",
        T0,
        1,
        {"changes": {"fields": {"premises": "rented"}}},
    )
    assert apply_operation(case, op, Role.OFFICER).fields == {"premises": "rented"}


def test_record_print_and_attach() -> None:
    case = created()
    op = new_operation(OperationKind.RECORD_PRINT, case.id, "officer1", T0, 1, {"doc": "receipt"})
    case = apply_operation(case, op, Role.OFFICER)
    assert case.prints[0].doc == "receipt" and case.prints[0].by == "officer1"
    ref = {"id": "a1", "material": "id_card", "pages": 2, "size": 1000, "sha256": "ab" * 32}
    op = new_operation(OperationKind.ATTACH, case.id, "officer1", T0, 2, {"attachment": ref})
    once = apply_operation(case, op, Role.OFFICER)
    twice = apply_operation(once, op, Role.OFFICER)
    assert len(twice.attachments) == 1


def test_applying_never_changes_the_given_case() -> None:
    case = created()
    before = case.to_json()
    moved(case, "accepted")
    assert case.to_json() == before


def test_json_schemas_are_published() -> None:
    assert "applicant" in case_json_schema()["properties"]
    assert "idempotency_key" in operation_json_schema()["properties"]


def test_every_state_is_reachable_and_terminal_states_have_no_exit() -> None:
    reachable = {CaseState.RECEIVED}
    frontier = [CaseState.RECEIVED]
    while frontier:
        state = frontier.pop()
        for src, to in TRANSITIONS:
            if src == state and to not in reachable:
                reachable.add(to)
                frontier.append(to)
    assert reachable == set(CaseState)
    assert all(src not in TERMINAL_STATES for src, _ in TRANSITIONS)
    assert OPEN_STATES | TERMINAL_STATES == set(CaseState)


ROLES = list(Role)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 20), st.sampled_from(ROLES)), max_size=12))
def test_no_sequence_of_allowed_transitions_leaves_an_undefined_state(steps) -> None:
    """Whatever allowed moves are made, the case stays a valid document in a defined state
    whose history is consistent (each entry starts where the previous ended)."""
    case = created()
    for choice, role in steps:
        targets = allowed_targets(case.state, role)
        if not targets:
            continue
        to = targets[choice % len(targets)]
        payload: dict = {"reason": "理由"}
        if to is CaseState.DELIVERED:
            payload["issuance"] = {
                "method": "mail",
                "address": "浙江省嘉兴市南湖区1号",
                "courier": "EMS",
                "tracking_number": "EMS1234567",
                "delivered_at": T0.isoformat(),
                "delivered_by": "officer1",
            }
        if to is CaseState.ACCEPTED_DEFERRAL:  # a commitment already past due: terminable
            payload["changes"] = {
                "decision": {
                    "outcome": "accept_deferral",
                    "due": (T0.date() - dt.timedelta(days=1)).isoformat(),
                    "commitment_signed": True,
                    "decided_at": T0.isoformat(),
                    "decided_by": "officer1",
                }
            }
        case = moved(case, to.value, role=role, **payload)
        assert case.state in set(CaseState)
        Case.model_validate(case.to_json())
    for previous, entry in zip(case.timeline, case.timeline[1:], strict=False):
        assert entry.state_from == previous.state_to
    assert case.version == len(case.timeline)


def test_device_time_is_kept_on_the_timeline() -> None:
    later = T0 + dt.timedelta(hours=3)
    case = moved(created(), "accepted", at=later)
    assert case.timeline[-1].at == later and case.updated_at == later
