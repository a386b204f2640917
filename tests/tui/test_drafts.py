"""Nothing typed is lost: not when validation fails, not when the officer switches
screens, not when the program is closed or killed in the middle of an intake."""

from __future__ import annotations

from counterdesk.screens.intake import IntakeScreen
from counterdesk.screens.queue import QueueScreen
from counterdesk.widgets.confirmation import ConfirmationModal
from tests.tui.harness import (
    PERSON,
    make_app,
    open_queue,
    paste_text,
    signed_in_standalone,
    start_intake,
    wait_for,
)


async def begin(pilot) -> IntakeScreen:
    screen = await start_intake(pilot, "gtgsh", "SCJG-GT-001")
    await paste_text(pilot, PERSON["name"])
    await pilot.press("enter")
    await paste_text(pilot, "33040219900101")  # not finished: the reason says so
    return screen


async def test_a_failed_decision_keeps_everything_and_says_what_is_wrong() -> None:
    app = make_app(signed_in_standalone())
    async with app.run_test(size=(100, 30)) as pilot:
        await open_queue(pilot)
        screen = await begin(pilot)
        await pilot.press("f5", "f7")  # accept, with the ID number unfinished
        assert isinstance(app.screen, IntakeScreen)
        note = screen.query_one("#row-id_number .field-note")
        assert "18" in str(note.render())
        assert app.focused.id == "id_number"  # the cursor goes where the problem is
        assert screen.draft.name == PERSON["name"]
        await wait_for(pilot, lambda: app.services.store.get_draft(screen.draft.id))
        saved = app.services.store.get_draft(screen.draft.id)
        assert saved["name"] == PERSON["name"] and saved["target"] == "SCJG-GT-001"
        app.close_services()


async def test_leaving_the_intake_keeps_the_draft_in_the_queue() -> None:
    app = make_app(signed_in_standalone())
    async with app.run_test(size=(100, 30)) as pilot:
        await open_queue(pilot)
        screen = await begin(pilot)
        await pilot.press("escape")
        queue = await wait_for(pilot, lambda: isinstance(app.screen, QueueScreen) and app.screen)
        await wait_for(pilot, lambda: any(row.is_draft for row in queue.rows))
        assert queue.shown[0].is_draft and queue.shown[0].applicant == PERSON["name"]
        await pilot.press("enter")
        resumed = await wait_for(pilot, lambda: isinstance(app.screen, IntakeScreen) and app.screen)
        await wait_for(pilot, lambda: resumed.catalogue is not None)
        assert resumed.draft.id == screen.draft.id
        assert resumed.query_one("#name").value == PERSON["name"]
        assert resumed.query_one("#id_number").value == "33040219900101"
        assert resumed.query_one("#field-premises") is not None  # the item's own fields
        app.close_services()


async def test_an_intake_survives_the_program_being_killed() -> None:
    settings = signed_in_standalone()
    app = make_app(settings)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_queue(pilot)
        screen = await begin(pilot)
        await wait_for(
            pilot, lambda: (app.services.store.get_draft(screen.draft.id) or {}).get("id_number")
        )
        # Killed: no flush, no checkpoint; only what each change already wrote is on disk.
        app.services.store.close(checkpoint=False)
        app.services._closed = True
        app.exit()
    again = make_app(settings)
    async with again.run_test(size=(100, 30)) as pilot:
        await wait_for(pilot, lambda: isinstance(again.screen, ConfirmationModal))
        await pilot.press("enter")  # resume
        resumed = await wait_for(
            pilot, lambda: isinstance(again.screen, IntakeScreen) and again.screen
        )
        await wait_for(pilot, lambda: resumed.catalogue is not None)
        assert resumed.query_one("#name").value == PERSON["name"]
        assert resumed.query_one("#id_number").value == "33040219900101"
        again.close_services()
