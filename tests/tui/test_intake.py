"""A full intake, from the queue to the saved case and its printed papers, for each of the
law's outcomes, for an item and for a bundle, driven by keys on the real App."""

from __future__ import annotations

from typing import Any

import pytest

from counterdesk.domain.cases import Case
from counterdesk.screens.decisions import DeferralModal, NoticeModal, ReceiveModal, RefusalModal
from counterdesk.screens.queue import QueueScreen
from counterdesk.widgets.checklist_table import ChecklistTable
from tests.tui.harness import (
    PERSON,
    InstantPrinter,
    answer_until_checklist,
    make_app,
    open_queue,
    signed_in_standalone,
    start_intake,
    store_of,
    type_text,
    wait_for,
)

ITEM = ("gtgsh", "SCJG-GT-001")  # 个体工商户设立登记
DEFERRABLE_ITEM = ("zgzctx", "RSJ-TX-001")  # 职工正常退休: the photo may be deferred
BUNDLE = ("bld", "B-STORE")  # 开办便利店一件事: three items, premises photos deferrable

ANSWERS = {
    "name": PERSON["name"],
    "id_number": PERSON["id_number"],
    "phone": PERSON["phone"],
    "field-premises": "2",  # rented
    "field-business_scope": "预包装食品零售",
    "field-area": "35",
    "field-entity_name": "张三便利店",
    "field-retirement_kind": "1",
}
STATES = {
    "accept": "accepted",
    "accept_deferral": "accepted_deferral",
    "notice": "awaiting_supplement",
    "refuse": "refused",
    "receive": "received",
}
PAPERS = {
    "accept": ["receipt"],
    "accept_deferral": ["receipt", "commitment"],
    "notice": ["notice"],
    "refuse": ["refusal"],
    "receive": ["materials"],
}


async def leave_out(pilot: Any, screen: Any, need: str) -> str:
    """Toggle off the first line of the checklist with this need (after all present)."""
    table = screen.query_one(ChecklistTable)
    row = next(i for i, line in enumerate(table.lines) if line.need == need)
    table.focus()
    table.move_cursor(row=row)
    await pilot.press("space")
    await pilot.pause()
    return table.lines[row].material


async def decide(pilot: Any, app: Any, screen: Any, outcome: str) -> None:
    if outcome == "accept":
        await pilot.press("f5", "f7")
    elif outcome == "accept_deferral":
        await pilot.press("f5")
        await leave_out(pilot, screen, "deferrable")
        assert screen.assessment.outcome == "deferrable"
        await pilot.press("f8")
        await wait_for(pilot, lambda: isinstance(app.screen, DeferralModal))
        await pilot.press("enter")
    elif outcome == "notice":
        await pilot.press("f5")
        await leave_out(pilot, screen, "required")
        assert screen.assessment.outcome == "incomplete"
        await pilot.press("f9")
        await wait_for(pilot, lambda: isinstance(app.screen, NoticeModal))
        await pilot.press("enter")
    elif outcome == "refuse":
        await pilot.press("f10")
        await wait_for(pilot, lambda: isinstance(app.screen, RefusalModal))
        await pilot.press("down", "space", "tab")  # not this authority's matter
        await type_text(pilot, "嘉兴市行政审批局")
        await pilot.press("enter")
        await type_text(pilot, "该事项由市级机关办理")
        await pilot.press("enter")
    elif outcome == "receive":
        await pilot.press("f6")
        await wait_for(pilot, lambda: isinstance(app.screen, ReceiveModal))
        await pilot.press("enter")


@pytest.mark.parametrize("outcome", list(STATES))
@pytest.mark.parametrize("target", ["item", "bundle"])
async def test_intake_for_each_outcome(outcome: str, target: str) -> None:
    query, code = (
        BUNDLE
        if target == "bundle"
        else (DEFERRABLE_ITEM if outcome == "accept_deferral" else ITEM)
    )
    printer = InstantPrinter()
    app = make_app(signed_in_standalone(), printer=printer)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_queue(pilot)
        screen = await start_intake(pilot, query, code)
        await answer_until_checklist(pilot, ANSWERS)
        await decide(pilot, app, screen, outcome)
        queue = await wait_for(pilot, lambda: isinstance(app.screen, QueueScreen) and app.screen)
        await wait_for(
            pilot, lambda: any(not row.is_draft for row in queue.rows) or outcome == "refuse"
        )

        store = store_of(app)
        [document] = store.list_queue(where=lambda d: d["target"]["code"] == code)
        case = Case.model_validate(document)
        assert case.state.value == STATES[outcome]
        assert case.applicant.name == PERSON["name"]
        assert case.received_by == case.assignee == "wang.li"
        assert case.numbers.provisional  # standalone: no leased official numbers
        if outcome == "receive":
            assert case.decision is None
        else:
            assert case.decision is not None and case.decision.outcome == outcome
        if outcome == "accept_deferral":
            assert case.decision.commitment_signed and case.decision.deferred
            assert case.limits is not None
        if outcome == "notice":
            assert case.decision.missing and case.decision.due is not None
        if outcome == "refuse":
            assert case.decision.refusal_ground == "not_this_authority"
            assert case.decision.competent_authority == "嘉兴市行政审批局"
        # A print may already be recorded: it is not part of the decision's batch.
        kinds = [
            row["op"]["kind"]
            for row in store.outbox_of_case(case.id)
            if row["op"]["kind"] != "record_print"
        ]
        assert kinds == (["create"] if outcome == "receive" else ["create", "transition"])
        actions = [e["action"] for e in store.audit_entries() if e.get("case_id") == case.id]
        assert "case.create" in actions
        assert store.list_drafts() == []  # the draft went with the case, in the same batch

        # The outcome's papers reach the printer without the counter waiting for it.
        app.poll_printer()
        await wait_for(
            pilot,
            lambda: len(Case.model_validate(store.get(case.id)).prints) == len(PAPERS[outcome]),
        )
        printed = sorted(p.doc for p in Case.model_validate(store.get(case.id)).prints)
        assert printed == sorted(PAPERS[outcome])
        assert len(printer.printed) == len(PAPERS[outcome])
        app.close_services()
