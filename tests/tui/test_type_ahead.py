"""Keys typed ahead are not lost when Enter moves the cursor to the next entry."""

from __future__ import annotations

from counterdesk.screens.login import LoginScreen
from tests.tui.harness import (
    OFFICER,
    PASSWORD,
    make_app,
    open_queue,
    prepare_standalone,
    type_ahead,
    wait_for,
)


async def test_a_fast_typist_signs_in_without_losing_the_enter() -> None:
    app = make_app(prepare_standalone())
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, LoginScreen))
        type_ahead(pilot, *OFFICER.username, "enter", *PASSWORD, "enter")
        await open_queue(pilot)
        assert app.officer == OFFICER
        app.close_services()


async def test_applicant_data_typed_ahead_lands_in_the_right_entries() -> None:
    from counterdesk.widgets.checklist_table import ChecklistTable
    from tests.tui.harness import PERSON, signed_in_standalone, start_intake

    app = make_app(signed_in_standalone())
    async with app.run_test(size=(100, 30)) as pilot:
        await open_queue(pilot)
        screen = await start_intake(pilot, "gtgsh", "SCJG-GT-001")
        await wait_for(pilot, lambda: screen.query("#field-business_scope"))
        type_ahead(
            pilot,
            *PERSON["name"],
            "enter",
            *PERSON["id_number"],
            "enter",
            *PERSON["phone"],
            "enter",
            "2",
            "enter",
            *"小吃",
            "enter",
        )
        await wait_for(pilot, lambda: isinstance(app.focused, ChecklistTable))
        draft = screen.draft
        assert (draft.name, draft.id_number, draft.phone) == (
            PERSON["name"],
            PERSON["id_number"],
            PERSON["phone"],
        )
        assert draft.fields["premises"] == "2" and draft.fields["business_scope"] == "小吃"
        app.close_services()
