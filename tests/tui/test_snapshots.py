"""What the officer sees, kept as snapshots: the queue, an intake with Chinese text, the
help screen, and the queue in an 80x24 terminal. Wide characters in tables, inputs and
the key bar must stay aligned. Update with ``pytest tests/tui --snapshot-update`` after a
deliberate change, and look at the report before accepting it."""

from __future__ import annotations

import datetime as dt

from counterdesk.screens.help import HelpScreen
from counterdesk.widgets.checklist_table import ChecklistTable
from tests.tui.harness import (
    NOW,
    PERSON,
    make_app,
    open_queue,
    paste_text,
    seed_cases,
    signed_in_standalone,
    start_intake,
    wait_for,
)

SEEDS = [
    {
        "at": NOW - dt.timedelta(days=10),
        "name": "陈逾期",
        "code": "SCJG-GT-001",
        "outcome": "receive",
    },
    {"at": NOW, "name": "王今日", "code": "SCJG-GT-001", "outcome": "accept"},
    {"at": NOW, "name": "李补正", "code": "SCJG-GT-001", "outcome": "notice"},
    {"at": NOW, "name": "赵便利", "code": "B-STORE", "outcome": "receive"},
    {"at": NOW, "name": "钱容缺", "code": "RSJ-TX-001", "outcome": "accept_deferral"},
]


def seeded_app():
    settings = signed_in_standalone()
    seed_cases(settings, SEEDS)
    return make_app(settings)


def test_queue_snapshot(snap_compare) -> None:
    app = seeded_app()

    async def ready(pilot) -> None:
        await open_queue(pilot)

    assert snap_compare(app, terminal_size=(100, 30), run_before=ready)
    app.close_services()


def test_queue_snapshot_80x24(snap_compare) -> None:
    app = seeded_app()

    async def ready(pilot) -> None:
        await open_queue(pilot)

    assert snap_compare(app, terminal_size=(80, 24), run_before=ready)
    app.close_services()


def test_intake_snapshot_with_chinese_text(snap_compare) -> None:
    app = seeded_app()

    async def fill(pilot) -> None:
        await open_queue(pilot)
        screen = await start_intake(pilot, "bld", "B-STORE")
        for text in (PERSON["name"], PERSON["id_number"], PERSON["phone"], "2", "预包装食品零售"):
            await paste_text(pilot, text)
            await pilot.press("enter")
        await pilot.press("f5")
        table = screen.query_one(ChecklistTable)
        table.focus()
        row = next(i for i, line in enumerate(table.lines) if line.need == "deferrable")
        table.move_cursor(row=row)
        await pilot.press("space")
        await wait_for(pilot, lambda: "已保存" in str(screen.query_one("#intake-title").render()))

    assert snap_compare(app, terminal_size=(100, 30), run_before=fill)
    app.close_services()


def test_help_snapshot(snap_compare) -> None:
    app = seeded_app()

    async def help_screen(pilot) -> None:
        await open_queue(pilot)
        await pilot.press("f1")
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, HelpScreen))

    assert snap_compare(app, terminal_size=(100, 30), run_before=help_screen)
    app.close_services()
