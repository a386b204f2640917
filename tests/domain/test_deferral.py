"""A deferral commitment: overdue only once its day has passed, and the case terminated (by
the one ``apply_operation``) only then, with a reason."""

from __future__ import annotations

import datetime as dt

import pytest

from counterdesk.domain.cases import CaseState, OperationError
from counterdesk.domain.cases.deferral import commitment_overdue, termination_problem
from tests.domain.case_factory import T0, created, moved

DUE = dt.date(2026, 12, 4)


def deferred(due: dt.date = DUE):
    decision = {
        "outcome": "accept_deferral",
        "due": due.isoformat(),
        "commitment_signed": True,
        "decided_at": T0.isoformat(),
        "decided_by": "officer1",
    }
    return moved(created(), "accepted_deferral", changes={"decision": decision})


def test_a_commitment_is_overdue_only_after_its_day() -> None:
    state = CaseState.ACCEPTED_DEFERRAL
    assert not commitment_overdue(state, DUE, DUE)
    assert commitment_overdue(state, DUE, DUE + dt.timedelta(days=1))
    assert not commitment_overdue(CaseState.ACCEPTED, DUE, DUE + dt.timedelta(days=9))
    assert not commitment_overdue(state, None, DUE)


def test_termination_waits_for_the_commitment_to_lapse() -> None:
    assert "cannot be terminated" in termination_problem(CaseState.ACCEPTED_DEFERRAL, DUE, DUE)
    assert termination_problem(CaseState.ACCEPTED_DEFERRAL, DUE, DUE + dt.timedelta(1)) == ""
    assert "only a case accepted with deferral" in termination_problem(
        CaseState.ACCEPTED, DUE, DUE + dt.timedelta(1)
    )


def test_apply_operation_terminates_a_lapsed_commitment_with_a_reason_only() -> None:
    case = deferred()
    on_the_day = dt.datetime.combine(DUE, dt.time(16), T0.tzinfo)
    with pytest.raises(OperationError, match="cannot be terminated"):
        moved(case, "terminated", at=on_the_day, reason="未补齐")
    after = on_the_day + dt.timedelta(days=3)
    with pytest.raises(OperationError, match="reason"):
        moved(case, "terminated", at=after)
    ended = moved(case, "terminated", at=after, reason="容缺材料逾期未补齐")
    assert ended.state is CaseState.TERMINATED
    assert ended.timeline[-1].reason == "容缺材料逾期未补齐"
