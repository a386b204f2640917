"""The reference intake of the issue: a sole proprietor registration with every paper
present, accepted, its receipt printed; at most 12 keys beyond the search text and the
applicant's data, at 100x30 and in an 80x24 terminal."""

from __future__ import annotations

import pytest

from counterdesk.domain.cases import Case
from counterdesk.screens.queue import QueueScreen
from counterdesk.widgets.checklist_table import ChecklistTable
from counterdesk.widgets.key_bar import KeyBar
from tests.tui.harness import (
    PERSON,
    InstantPrinter,
    make_app,
    open_queue,
    screen_text,
    signed_in_standalone,
    type_text,
    wait_for,
)

DATA = {
    "name": PERSON["name"],
    "id_number": PERSON["id_number"],
    "phone": PERSON["phone"],
    "field-premises": "2",
    "field-business_scope": "小吃",
}


@pytest.mark.parametrize("size", [(100, 30), (80, 24)])
async def test_the_reference_intake_takes_at_most_12_keys(size: tuple[int, int]) -> None:
    printer = InstantPrinter()
    app = make_app(signed_in_standalone(), printer=printer)
    keys: list[str] = []
    async with app.run_test(size=size) as pilot:

        async def press(key: str) -> None:
            keys.append(key)
            await pilot.press(key)

        await open_queue(pilot)
        await press("f2")
        await wait_for(pilot, lambda: getattr(app.screen, "catalogue", None))
        intake = app.screen
        await type_text(pilot, "gtgsh")  # the search text
        await press("enter")
        while not isinstance(app.focused, ChecklistTable):
            await type_text(pilot, DATA[app.focused.id])  # the applicant's data
            await press("enter")
            assert len(keys) < 20
        await press("f5")
        assert intake.allowed >= {"accept"}
        # Every key of the screen is on screen, in the key bar, even at 80 columns.
        bar = str(intake.query_one(KeyBar).render())
        for word in ("受理", "容缺", "告知", "不予受理", "收件", "材料全收", "帮助", "锁屏"):
            assert word in bar, word
        assert bar in screen_text(app).replace("\n", "\n") or all(
            line.strip() in screen_text(app) for line in bar.splitlines()
        )
        await press("f7")
        await wait_for(pilot, lambda: isinstance(app.screen, QueueScreen))
        [document] = app.services.store.list_queue()
        app.poll_printer()
        await wait_for(
            pilot, lambda: Case.model_validate(app.services.store.get(document["id"])).prints
        )
        case = Case.model_validate(app.services.store.get(document["id"]))
        assert case.state.value == "accepted"
        assert [p.doc for p in case.prints] == ["receipt"]
        app.close_services()
    assert keys == ["f2", "enter", "enter", "enter", "enter", "enter", "enter", "f5", "f7"]
    assert len(keys) <= 12
