"""The sandbox back office decides practice cases only: the shared department operation on
the sandbox store (approve, reject, a deferral taken under review first), refused on the
live store and for live cases, and offered by no live screen.

The whole exercise (a practice case accepted, approved by the back office, handed over on
the issuance screen) is in test_training_cases.py.
"""

from __future__ import annotations

import pytest

from counterdesk.domain.cases import Case
from counterdesk.domain.clock import FixedClock
from counterdesk.screens.case import CaseScreen
from counterdesk.screens.queue import QueueScreen
from counterdesk.services import intake
from counterdesk.services.case_actions import CaseActionError
from counterdesk.services.counter import open_counter
from counterdesk.services.session import Officer
from counterdesk.services.training import TrainingSandbox
from counterdesk.services.training_back_office import BackOfficeError, decide_as_department
from tests.tui.case_seeds import open_case, seeded
from tests.tui.harness import (
    NOW,
    OFFICER,
    PERSON,
    TARGET_FIELDS,
    make_app,
    open_queue,
    screen_text,
    signed_in_standalone,
)


def submitted(services, name: str, code: str, outcome: str) -> str:
    """A case made by the intake service on these services (live or sandbox)."""
    catalogue = services.catalogue
    draft = intake.IntakeDraft.new(OFFICER.username, services.clock.now())
    draft.target, draft.name = code, name
    draft.id_number, draft.phone = PERSON["id_number"], PERSON["phone"]
    draft.fields = dict(TARGET_FIELDS[code])
    assessment = intake.assess(catalogue, draft, services.clock.today(), False)
    intake.mark_all_present(draft, assessment)
    if outcome == "accept_deferral":
        line = next(x for x in assessment.result.checklist if x.need == "deferrable")
        draft.received.pop(line.material, None)
    due = intake.default_due(catalogue, services.clock.today(), outcome)
    decision = intake.DecisionInput(outcome, due=due, commitment_signed=True)
    context = services.intake_context(Officer(OFFICER.username, ""))
    return intake.submit(context, draft, decision).case.id


@pytest.fixture
def counter():
    """The live counter and its training sandbox, side by side."""
    live = open_counter(signed_in_standalone(), FixedClock(NOW))
    sandbox = TrainingSandbox.open(live)
    yield live, sandbox.services
    sandbox.close()
    live.close()


def test_the_back_office_decides_practice_cases_as_the_department(counter) -> None:
    _live, sandbox = counter
    accepted = submitted(sandbox, "陈练习", "SCJG-GT-001", "accept")
    with pytest.raises(BackOfficeError, match="(审批意见|decision)"):
        decide_as_department(sandbox, accepted, False, "  ", "xue.tu")
    rejected = decide_as_department(sandbox, accepted, False, "经营范围不符", "xue.tu")
    assert rejected.state.value == "rejected" and rejected.training
    assert rejected.department_result is not None
    assert (rejected.department_result.approved, rejected.department_result.text) == (
        False,
        "经营范围不符",
    )
    assert Case.model_validate(sandbox.store.get(accepted)) == rejected  # saved
    audit = [e for e in sandbox.store.audit_entries() if e.get("case_id") == accepted]
    assert [e["action"] for e in audit][-1] == "case.department_decision"
    assert audit[-1]["actor"] == "xue.tu"
    with pytest.raises(BackOfficeError):  # decided already: nothing more for the department
        decide_as_department(sandbox, accepted, True, "准予", "xue.tu")

    deferred = submitted(sandbox, "李容缺", "RSJ-TX-001", "accept_deferral")
    approved = decide_as_department(sandbox, deferred, True, "准予退休", "xue.tu")
    moves = [entry.state_to.value for entry in approved.timeline]
    assert moves[-2:] == ["under_review", "approved"]  # the state machine's way

    received = submitted(sandbox, "王收件", "SCJG-GT-001", "receive")
    with pytest.raises(BackOfficeError):
        decide_as_department(sandbox, received, True, "准予", "xue.tu")


def test_the_back_office_never_touches_live_work(counter) -> None:
    live, sandbox = counter
    case_id = submitted(live, "张真实", "SCJG-GT-001", "accept")
    before = live.store.get(case_id)
    with pytest.raises(BackOfficeError, match="(练习|practice)"):
        decide_as_department(live, case_id, True, "准予", OFFICER.username)
    with pytest.raises(CaseActionError):  # the sandbox does not hold it, nor ever will
        decide_as_department(sandbox, case_id, True, "准予", OFFICER.username)
    assert live.store.get(case_id) == before
    assert sandbox.store.get(case_id) is None


async def test_no_live_screen_offers_the_back_office() -> None:
    settings = signed_in_standalone()
    [doc] = seeded(
        settings, [{"at": NOW, "name": "张真实", "code": "SCJG-GT-001", "outcome": "accept"}]
    )
    app = make_app(settings)
    async with app.run_test(size=(100, 30)) as pilot:
        queue = await open_queue(pilot)
        assert isinstance(queue, QueueScreen) and queue.rows

        def offered(screen) -> set[str]:
            return {active.binding.id for active in screen.active_bindings.values()}

        assert "training.back_office" not in offered(app.screen)
        assert "后台审批" not in screen_text(app)
        await pilot.press("f6")
        await pilot.pause()
        await open_case(pilot, "张真实")
        assert isinstance(app.screen, CaseScreen)
        assert "training.back_office" not in offered(app.screen)
        await pilot.press("f6")
        await pilot.pause()
        assert app.services.store.get(doc["id"])["state"] == "accepted"
        assert not any(
            e.get("action") == "case.department_decision"
            for e in app.services.store.audit_entries()
        )
        app.close_services()
