"""Finding a case from anywhere (Ctrl+F) by number, provisional number, ID number, name or
phone, results as the officer types, Enter opening it; and the command palette's commands
that depend on the screen and the case (the same check as the keys)."""

from __future__ import annotations

from textual.command import CommandPalette

from counterdesk.screens.case import CaseScreen
from counterdesk.screens.case_dialogs import ReasonModal
from counterdesk.screens.find_case import FindCaseScreen
from counterdesk.screens.intake import IntakeScreen
from counterdesk.screens.palette import CounterCommands
from tests.tui.case_seeds import department_decides, open_case, seeded
from tests.tui.harness import (
    NOW,
    make_app,
    open_queue,
    paste_text,
    screen_text,
    signed_in_standalone,
    store_of,
    type_text,
    wait_for,
)
from tests.tui.harness import seed_cases as seed_intakes

SEEDS = [
    {"at": NOW, "name": "陈找件", "code": "SCJG-GT-001", "outcome": "notice"},
    {"at": NOW, "name": "李其他", "code": "RSJ-TX-001", "outcome": "accept"},
]


async def find(pilot, query: str, expect: int) -> FindCaseScreen:
    app = pilot.app
    screen = app.screen
    assert isinstance(screen, FindCaseScreen)
    field = screen.query_one("#find")
    field.value = ""
    await paste_text(pilot, query)
    await wait_for(
        pilot, lambda: field.value == query and screen.searches and len(screen.found) == expect
    )
    return screen


async def test_any_case_is_found_from_anywhere_as_the_officer_types() -> None:
    settings = signed_in_standalone()
    docs = seeded(settings, SEEDS)
    wanted = next(doc for doc in docs if doc["applicant"]["name"] == "陈找件")
    app = make_app(settings)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_queue(pilot)
        await pilot.press("f2")  # from inside an intake: the key is everywhere
        await wait_for(pilot, lambda: isinstance(app.screen, IntakeScreen))
        await pilot.press("ctrl+f")
        await wait_for(pilot, lambda: isinstance(app.screen, FindCaseScreen))
        screen = app.screen
        await wait_for(pilot, lambda: screen.local_count == 2)
        assert "单机" in screen_text(app)  # no server to ask
        number = wanted["numbers"]["official"]
        # Both applicants share the ID and phone of the seeds: those find both.
        expected = {number: 1, number.replace("-", " "): 1, "陈找": 1, "1230": 2, "5678": 2}
        for query, count in expected.items():
            await find(pilot, query, count)
        found = await find(pilot, "陈找件", 1)
        assert found.found[0].id_masked == "330402********1230"
        assert "330402199001011230" not in screen_text(app)
        await find(pilot, "营业", 0)  # no such item in these cases
        await find(pilot, "个体 陈", 1)  # every word must match
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, CaseScreen) and app.screen.record)
        assert app.screen.case_id == wanted["id"]
        opened = [e for e in store_of(app).audit_entries() if e["action"] == "case.open"]
        assert [e["case_id"] for e in opened] == [wanted["id"]]
        app.close_services()


async def test_a_provisional_number_finds_its_case() -> None:
    settings = signed_in_standalone()
    seed_intakes(settings, [SEEDS[0]], lease=False)  # no leased numbers: provisional
    app = make_app(settings)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_queue(pilot)
        [doc] = store_of(app).list_queue()
        provisional = doc["numbers"]["provisional"]
        assert provisional.startswith("P-")
        await pilot.press("ctrl+f")
        await wait_for(pilot, lambda: isinstance(app.screen, FindCaseScreen))
        await wait_for(pilot, lambda: app.screen.local_count == 1)
        found = await find(pilot, provisional.lower(), 1)
        assert found.found[0].provisional
        app.close_services()


def palette_names(screen) -> list[str]:
    return [name for name, _call, _key in CounterCommands(screen)._commands()]


async def test_the_palette_offers_what_the_case_allows_now() -> None:
    settings = signed_in_standalone()
    docs = seeded(settings, SEEDS)
    approved = next(doc for doc in docs if doc["applicant"]["name"] == "李其他")
    department_decides(settings, approved["id"])
    app = make_app(settings)
    async with app.run_test(size=(100, 30)) as pilot:
        queue = await open_queue(pilot)
        names = palette_names(queue)
        assert {"查找办件", "立即同步", "新收件", "锁定屏幕"} <= set(names)
        assert "撤件" not in names  # no case here

        notice = await open_case(pilot, "陈找件")
        names = palette_names(notice)
        assert "补正：申请人补交材料" in names and "撤件" in names
        assert "出件：交付办理结果" not in names
        await pilot.press("escape")

        decided = await open_case(pilot, "李其他")
        names = palette_names(decided)
        assert "出件：交付办理结果" in names and "撤件" not in names  # approved: not withdrawn
        await pilot.press("escape")

        # Through the palette itself: find the command by name, Enter runs it.
        notice = await open_case(pilot, "陈找件")
        await pilot.press("ctrl+p")
        await wait_for(pilot, lambda: isinstance(app.screen, CommandPalette))
        await type_text(pilot, "撤件")
        await wait_for(pilot, lambda: "撤件" in screen_text(app))
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ReasonModal))
        app.close_services()


def test_the_finder_matches_numbers_ids_phones_and_names_however_typed() -> None:
    from counterdesk.domain.clock import FixedClock
    from counterdesk.services.counter import open_counter
    from counterdesk.services.find import CaseFinder, looks_like_number

    settings = signed_in_standalone()
    docs = seeded(settings, SEEDS)
    services = open_counter(settings, FixedClock(NOW))
    try:
        finder = CaseFinder(services.store)
        assert finder.load_local() == 2
        first = docs[0]
        number = first["numbers"]["official"]
        assert looks_like_number(number) and not looks_like_number("陈找件")
        for typed in (number, number.lower(), number.replace("-", ""), number.replace("-", " ")):
            assert [f.case_id for f in finder.search(typed)][:1] == [first["id"]], typed
        assert {f.applicant for f in finder.search("330402199001011230")} == {"陈找件", "李其他"}
        assert finder.search("13812345678")[0].score == 90  # a whole phone
        assert finder.search("个体 李") == []  # every word must match one case
        assert finder.search("   ") == []
    finally:
        services.close()
