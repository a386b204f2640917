"""Refusing in writing a matter no item of this centre covers, at a live counter: the item
search finds nothing to take, F10 refuses; the applicant's entries are checked as for any
refusal, the dialog asks what was asked for (from the search) and the ground, one batch
is saved and the 不予受理通知书 printed with the matter and the competent authority."""

from __future__ import annotations

from counterdesk.domain.cases import Case
from counterdesk.screens.case import CaseScreen
from counterdesk.screens.decisions import RefusalModal
from counterdesk.screens.find_case import FindCaseScreen
from counterdesk.screens.intake import IntakeScreen
from counterdesk.screens.queue import QueueScreen
from tests.tui.harness import (
    PERSON,
    answer_until_checklist,
    make_app,
    open_queue,
    paste_text,
    screen_text,
    signed_in_standalone,
    store_of,
    type_text,
    wait_for,
)
from tests.tui.test_training import KeepingPrinter, pdf_text

APPLICANT = {"name": "孔志远", "id_number": PERSON["id_number"], "phone": PERSON["phone"]}


async def test_a_matter_no_item_covers_is_refused_in_writing() -> None:
    printer = KeepingPrinter()
    app = make_app(signed_in_standalone(), printer=printer)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_queue(pilot)
        await pilot.press("f2")
        await wait_for(pilot, lambda: isinstance(app.screen, IntakeScreen) and app.screen.catalogue)
        screen = app.screen
        await type_text(pilot, "商标注册")
        await pilot.pause()
        assert screen.draft.target == ""  # nothing taken from the search
        await wait_for(pilot, lambda: screen.allowed == frozenset({"refuse"}))
        assert "F10" in screen_text(app)  # offered in the key bar, and in the verdict

        # The applicant's entries come first, as for any refusal: nothing opens yet.
        await pilot.press("f10")
        await wait_for(pilot, lambda: getattr(app.focused, "id", None) == "name")
        assert isinstance(app.screen, IntakeScreen)
        await answer_until_checklist(pilot, APPLICANT)

        await pilot.press("f10")
        await wait_for(pilot, lambda: isinstance(app.screen, RefusalModal))
        modal = app.screen
        asked = modal.query_one("#asked_for")
        assert asked.value == "商标注册"  # the search's text, to correct if need be
        asked.value = ""
        await pilot.press("enter")  # what was asked for is required
        await wait_for(pilot, lambda: "必填" in screen_text(app))
        assert isinstance(app.screen, RefusalModal)
        await paste_text(pilot, "注册商标“南湖春”")
        await pilot.press("enter")  # on to the ground
        await pilot.press("down", "space", "tab")  # not this authority's matter
        await type_text(pilot, "国家知识产权局")
        await pilot.press("enter")
        await type_text(pilot, "商标注册由国家知识产权局受理")
        await pilot.press("enter")

        await wait_for(pilot, lambda: isinstance(app.screen, QueueScreen))
        store = store_of(app)
        [document] = store.list_queue(where=lambda d: d["applicant"]["name"] == "孔志远")
        case = Case.model_validate(document)
        assert case.state.value == "refused"
        assert (case.target.kind, case.target.code, case.target.name) == (
            "unlisted",
            "UNLISTED",
            "注册商标“南湖春”",
        )
        assert case.decision is not None
        assert (case.decision.refusal_ground, case.decision.competent_authority) == (
            "not_this_authority",
            "国家知识产权局",
        )
        assert case.check is None and case.limits is None and case.fields == {}
        assert case.applicant.id_number == PERSON["id_number"]
        kinds = [
            row["op"]["kind"]
            for row in store.outbox_of_case(case.id)
            if row["op"]["kind"] != "record_print"
        ]
        assert kinds == ["create", "transition"]  # one batch, like any decision
        assert store.list_drafts() == []

        app.poll_printer()
        await wait_for(
            pilot, lambda: [p.doc for p in Case.model_validate(store.get(case.id)).prints]
        )
        assert [p.doc for p in Case.model_validate(store.get(case.id)).prints] == ["refusal"]
        [(_title, pdf)] = printer.pdfs
        text = pdf_text(pdf)
        for needle in (
            "不予受理通知书",
            "你（单位）提出的“注册商标‘南湖春’”申请",
            "不属于本机关职权范围",
            "请向国家知识产权局申请",
            "商标注册由国家知识产权局受理",
        ):
            assert needle in text, needle
        assert "UNLISTED" not in text and "培训" not in text

        # Found again, the case view says what was asked for and offers no decision.
        await pilot.press("ctrl+f")
        await wait_for(pilot, lambda: isinstance(app.screen, FindCaseScreen))
        finder = app.screen
        await paste_text(pilot, "孔志远")
        await wait_for(pilot, lambda: len(finder.found) == 1)
        assert "非本中心事项" in screen_text(app)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, CaseScreen) and app.screen.record)
        record = app.screen.record
        assert record.actions == frozenset({"reprint"})
        shown = screen_text(app)
        assert "注册商标“南湖春”" in shown and "UNLISTED" not in shown
        app.close_services()


async def test_with_no_item_only_the_refusal_is_offered() -> None:
    app = make_app(signed_in_standalone())
    async with app.run_test(size=(100, 30)) as pilot:
        await open_queue(pilot)
        await pilot.press("f2")
        await wait_for(pilot, lambda: isinstance(app.screen, IntakeScreen) and app.screen.catalogue)
        screen = app.screen
        await wait_for(pilot, lambda: screen.allowed)
        for action in ("receive", "accept", "defer", "notice"):
            assert screen.check_action("decide", (action,)) is None
        assert screen.check_action("decide", ("refuse",)) is True
        screen.query_one("#name").focus()
        await wait_for(pilot, lambda: getattr(app.focused, "id", None) == "name")
        await answer_until_checklist(pilot, APPLICANT)
        await pilot.press("f7", "f6")  # not offered: nothing happens
        await pilot.pause()
        assert isinstance(app.screen, IntakeScreen) and not screen.submitting
        app.close_services()
