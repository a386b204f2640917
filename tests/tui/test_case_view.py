"""The case view: opening it is audited first; it shows the applicant (masked), the item,
the papers as received, the clock, every state change with whether it reached the server,
the papers printed and the audit trail; a paper printed again is recorded as a reprint;
a withdrawal needs its reason. Driven by keys on the real App."""

from __future__ import annotations

from counterdesk.screens.case import CaseScreen
from counterdesk.screens.case_dialogs import PapersModal, ReasonModal
from counterdesk.screens.queue import QueueScreen
from tests.tui.case_seeds import open_case, seeded
from tests.tui.harness import (
    NOW,
    InstantPrinter,
    make_app,
    paste_text,
    screen_text,
    signed_in_standalone,
    store_of,
    wait_for,
)


async def test_opening_a_case_is_audited_and_shows_its_whole_story() -> None:
    settings = signed_in_standalone()
    [doc] = seeded(
        settings, [{"at": NOW, "name": "李补正", "code": "SCJG-GT-001", "outcome": "notice"}]
    )
    app = make_app(settings)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_case(pilot, "李补正")
        store = store_of(app)
        opened = [e for e in store.audit_entries() if e["action"] == "case.open"]
        assert [(e["actor"], e["case_id"]) for e in opened] == [("wang.li", doc["id"])]
        record = screen.record
        assert record.case.state.value == "awaiting_supplement"
        # The intake's two changes are still in the outbox of this standalone counter.
        assert [row.sync for row in record.timeline] == ["local", "local"]
        assert [a.action for a in record.audit][:3] == ["case.create", "case.notice", "case.open"]
        text = screen_text(app)
        assert "李补正" in text and "330402********1230" in text
        assert "330402199001011230" not in text  # the ID number is masked on screen
        assert "待补正" in text and "暂停" in text  # the clock stops awaiting the supplement
        await pilot.press("pagedown", "pagedown")  # the body scrolls: audit trail at the end
        assert "本机操作记录" in screen_text(app)
        app.close_services()


async def test_a_paper_printed_again_is_recorded_as_a_reprint() -> None:
    settings = signed_in_standalone()
    seeded(settings, [{"at": NOW, "name": "王今日", "code": "SCJG-GT-001", "outcome": "accept"}])
    printer = InstantPrinter()
    app = make_app(settings, printer=printer)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_case(pilot, "王今日")
        await pilot.press("f2")
        await wait_for(pilot, lambda: isinstance(app.screen, PapersModal))
        options = app.screen.query_one("#papers")
        index = next(i for i, row in enumerate(screen.record.papers) if row.doc.value == "receipt")
        options.highlighted = index
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, CaseScreen))
        store = store_of(app)

        def prints():
            return store.get(screen.case_id)["prints"]

        await wait_for(pilot, lambda: prints(), timeout=30)
        assert [(p["doc"], p["reprint"]) for p in prints()] == [("receipt", False)]
        await pilot.press("f2")
        await wait_for(pilot, lambda: isinstance(app.screen, PapersModal))
        app.screen.query_one("#papers").highlighted = index
        await pilot.press("enter")
        await wait_for(pilot, lambda: len(prints()) == 2, timeout=30)
        assert [(p["doc"], p["reprint"]) for p in prints()] == [
            ("receipt", False),
            ("receipt", True),
        ]
        assert [e.get("doc") for e in store.audit_entries() if e["action"] == "case.print"] == [
            "receipt",
            "receipt",
        ]
        app.close_services()


async def test_a_withdrawal_needs_a_reason_and_closes_the_case() -> None:
    settings = signed_in_standalone()
    [doc] = seeded(
        settings, [{"at": NOW, "name": "赵撤件", "code": "SCJG-GT-001", "outcome": "receive"}]
    )
    app = make_app(settings)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_case(pilot, "赵撤件")
        await pilot.press("f8")
        await wait_for(pilot, lambda: isinstance(app.screen, ReasonModal))
        await pilot.press("enter")  # no reason: refused, nothing saved
        assert isinstance(app.screen, ReasonModal)
        assert "必填" in screen_text(app)
        await paste_text(pilot, "申请人主动撤回申请")
        await pilot.press("enter")
        await wait_for(
            pilot, lambda: screen.record and screen.record.case.state.value == "withdrawn"
        )
        store = store_of(app)
        case = store.get(doc["id"])
        assert case["state"] == "withdrawn"
        assert case["timeline"][-1]["reason"] == "申请人主动撤回申请"
        kinds = [row["op"]["payload"].get("to") for row in store.outbox_of_case(doc["id"])]
        assert kinds[-1] == "withdrawn"  # waiting for a server like every change
        assert "case.withdraw" in [e["action"] for e in store.audit_entries()]
        # Withdrawn is final: the key is gone.
        assert screen.check_action("withdraw", ()) is False
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, QueueScreen))
        app.close_services()


async def test_the_case_view_speaks_english_when_the_settings_say_so() -> None:
    import dataclasses

    from counterdesk import i18n

    settings = dataclasses.replace(signed_in_standalone(), language="en")
    seeded(settings, [{"at": NOW, "name": "Li Bu", "code": "SCJG-GT-001", "outcome": "notice"}])
    app = make_app(settings)
    try:
        async with app.run_test(size=(100, 30)) as pilot:
            await open_case(pilot, "Li Bu")
            text = screen_text(app)
            assert "Awaiting supplement" in text and "Supplement papers" in text
            assert "Materials as received" in text and "办件经过" not in text
            app.close_services()
    finally:
        i18n.use("zh")
