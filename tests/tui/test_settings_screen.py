"""The settings screen (Ctrl+O) on the real App: each change saved to this test's own
config.toml and applied without a restart (language, theme, keys at once; counter name and
printer from the next paper; the sync engine made anew for a new server address), bad
values refused under their entries with nothing saved, and the help screen showing the
keys the officer really has to press."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path

import pytest
import trustme
from rich.color import ColorType
from textual.widgets import Input, Select

from counterdesk import i18n, locations
from counterdesk.screens.help import HelpScreen
from counterdesk.screens.intake import IntakeScreen
from counterdesk.screens.queue import QueueScreen
from counterdesk.screens.settings import SettingsScreen
from counterdesk.services.connectivity import LinkMode
from counterdesk.services.settings_file import write_settings_file
from counterdesk.settings import load_settings
from counterdesk.themes import HIGH_CONTRAST
from counterdesk_server.db import migrate
from counterdesk_server.db.engine import Database
from tests.forms.conftest import CupsPdfPrinter, cups_printer  # noqa: F401 (the fixture)
from tests.sync.harness import CaseServer, start_server
from tests.tui.harness import (
    InstantPrinter,
    answer_until_checklist,
    make_app,
    open_queue,
    paste_text,
    screen_text,
    signed_in_standalone,
    start_intake,
    wait_for,
)
from tests.tui.test_intake import ANSWERS
from tests.tui.test_online import counter_for, sign_in_online


@pytest.fixture(autouse=True)
def chinese_again() -> Iterator[None]:
    yield
    i18n.use("zh")  # the language is the process's: leave it as the other tests expect


def config_text() -> str:
    return locations.config_file().read_text(encoding="utf-8")


async def open_settings(pilot) -> SettingsScreen:
    await pilot.press("ctrl+o")
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, SettingsScreen))
    return pilot.app.screen


async def retype(pilot, screen: SettingsScreen, name: str, text: str) -> None:
    """Put the cursor in an entry, wipe it and type ``text`` there, as an officer would."""
    entry = screen.query_one(f"#{name}", Input)
    entry.focus()
    await pilot.press("end", "ctrl+u")
    if text:
        await paste_text(pilot, text)
    await wait_for(pilot, lambda: entry.value == text)


async def choose(pilot, screen: SettingsScreen, name: str, value: str) -> None:
    """Open a choice with Enter, move to ``value`` with the arrows, take it with Enter."""
    select = screen.query_one(f"#{name}", Select)
    values = [v for _label, v in select._options]
    select.focus()
    await pilot.press("enter")
    await wait_for(pilot, lambda: select.expanded)
    steps = values.index(value) - values.index(select.value)
    await pilot.press(*(["down"] * steps if steps > 0 else ["up"] * -steps), "enter")
    await wait_for(pilot, lambda: select.value == value)


def note(screen: SettingsScreen, name: str) -> str:
    return str(screen.query_one(f"#row-{name} .field-note").render())


async def test_the_command_palette_opens_the_settings_and_esc_leaves_them() -> None:
    from textual.command import CommandPalette

    app = make_app(signed_in_standalone())
    async with app.run_test(size=(100, 30)) as pilot:
        await open_queue(pilot)
        await pilot.press("ctrl+p")
        await wait_for(pilot, lambda: isinstance(app.screen, CommandPalette))
        await paste_text(pilot, "设置")
        await wait_for(pilot, lambda: "ctrl+o" in screen_text(app))
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, SettingsScreen))
        await retype(pilot, app.screen, "counter_name", "5号窗口")
        await pilot.press("escape")  # back, nothing saved
        await open_queue(pilot)
        assert load_settings().counter_name == "3号窗口"
        app.close_services()


async def test_english_chosen_on_the_settings_screen_shows_the_queue_in_english() -> None:
    app = make_app(signed_in_standalone())
    async with app.run_test(size=(100, 30)) as pilot:
        await open_queue(pilot)
        assert "我的办件" in screen_text(app)
        screen = await open_settings(pilot)
        await choose(pilot, screen, "language", "en")
        await pilot.press("f2")
        await wait_for(pilot, lambda: "My cases" in screen_text(app), timeout=30)
        queue = app.screen
        assert isinstance(queue, QueueScreen)
        text = screen_text(app)
        assert "New intake" in text and "Settings" in text and "Standalone" in text
        assert "我的办件" not in text and "新收件" not in text
        assert load_settings().language == "en"
        await pilot.press("f2")  # the new queue works: an intake in English
        await wait_for(pilot, lambda: isinstance(app.screen, IntakeScreen))
        app.close_services()


async def test_the_high_contrast_theme_uses_only_the_16_colours_with_strong_contrast() -> None:
    app = make_app(signed_in_standalone())
    async with app.run_test(size=(100, 30)) as pilot:
        await open_queue(pilot)
        screen = await open_settings(pilot)
        await choose(pilot, screen, "theme", HIGH_CONTRAST)
        await pilot.press("f2")
        await wait_for(pilot, lambda: isinstance(app.screen, QueueScreen))
        await wait_for(pilot, lambda: app.theme == HIGH_CONTRAST)
        await pilot.pause()
        assert_readable_in_16_colours(app)
        await open_settings(pilot)  # a form with entries, notes and choices too
        await pilot.pause()
        assert_readable_in_16_colours(app)
        app.close_services()
    assert load_settings().theme == HIGH_CONTRAST
    again = make_app(load_settings())  # the next start has it too
    async with again.run_test(size=(100, 30)) as pilot:
        await open_queue(pilot)
        assert again.theme == HIGH_CONTRAST
        again.close_services()


# The 16 colours as xterm shows them, for the contrast ratio (WCAG 2).
XTERM_16 = [
    (0, 0, 0), (205, 0, 0), (0, 205, 0), (205, 205, 0), (0, 0, 238), (205, 0, 205),
    (0, 205, 205), (229, 229, 229), (127, 127, 127), (255, 0, 0), (0, 255, 0),
    (255, 255, 0), (92, 92, 255), (255, 0, 255), (0, 255, 255), (255, 255, 255),
]  # fmt: skip


def _luminance(rgb: tuple[int, int, int]) -> float:
    def channel(c: int) -> float:
        s = c / 255
        return s / 12.92 if s <= 0.03928 else ((s + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def assert_readable_in_16_colours(app) -> None:
    """Every cell has its colours from the terminal's 16, said (not the terminal's default,
    which may be black on white), and text stands out from its background by 4.5:1."""
    poor = []
    for y, strip in enumerate(app.screen._compositor.render_strips()):
        for segment in strip:
            style = segment.style
            fg, bg = (style.color, style.bgcolor) if style else (None, None)
            if bg is None or bg.type is not ColorType.STANDARD:
                poor.append((y, segment.text, str(style), "background"))
                continue
            if not segment.text.strip():
                continue
            if fg is None or fg.type is not ColorType.STANDARD:
                poor.append((y, segment.text, str(style), "colour"))
                continue
            if style.reverse:
                fg, bg = bg, fg
            light, dark = sorted(
                (_luminance(XTERM_16[fg.number]), _luminance(XTERM_16[bg.number])), reverse=True
            )
            ratio = (light + 0.05) / (dark + 0.05)
            if ratio < 4.5:
                poor.append((y, segment.text, str(style), round(ratio, 2)))
    assert poor == []


async def test_a_key_override_works_at_once_and_after_a_restart() -> None:
    app = make_app(signed_in_standalone())
    async with app.run_test(size=(100, 30)) as pilot:
        await open_queue(pilot)
        screen = await open_settings(pilot)
        await retype(pilot, screen, "keymap", "queue.new=ctrl+n; app.help=f11")
        assert note(screen, "keymap") == ""
        await pilot.press("f2")
        await open_queue(pilot)
        assert "^n 新收件" in screen_text(app)  # the key bar shows the key to press
        await pilot.press("f11")  # an App-wide key too
        await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen))
        await pilot.press("escape")
        await open_queue(pilot)
        await pilot.press("ctrl+n")
        await wait_for(pilot, lambda: isinstance(app.screen, IntakeScreen))
        await pilot.press("escape")
        await open_queue(pilot)
        await pilot.press("f2")  # no longer the key for it
        await pilot.pause()
        assert isinstance(app.screen, QueueScreen)
        app.close_services()
    assert load_settings().keymap == {"queue.new": "ctrl+n", "app.help": "f11"}
    again = make_app(load_settings())
    async with again.run_test(size=(100, 30)) as pilot:
        await open_queue(pilot)
        await pilot.press("ctrl+n")
        await wait_for(pilot, lambda: isinstance(again.screen, IntakeScreen))
        again.close_services()


async def test_an_unknown_binding_id_or_a_clashing_key_is_refused_with_the_reason() -> None:
    app = make_app(signed_in_standalone())
    before = config_text()
    async with app.run_test(size=(100, 30)) as pilot:
        await open_queue(pilot)
        screen = await open_settings(pilot)
        await retype(pilot, screen, "keymap", "queue.nwe=f9")
        assert "queue.nwe" in note(screen, "keymap") and "没有编号为" in note(screen, "keymap")
        await pilot.press("f2")
        await wait_for(
            pilot, lambda: "未保存" in str(screen.query_one("#settings-message").render())
        )
        await retype(pilot, screen, "keymap", "intake.accept=f2")
        assert "intake.item" in note(screen, "keymap")  # F2 is the intake's item search
        await retype(pilot, screen, "keymap", "queue.refresh=ctrl+l")
        assert "app.lock" in note(screen, "keymap")  # Ctrl+L locks everywhere
        await retype(pilot, screen, "keymap", "queue.new=n")
        assert "功能键" in note(screen, "keymap")  # a letter would go into the filter
        await pilot.press("f2")
        await pilot.pause()
        assert isinstance(app.screen, SettingsScreen)
        assert app._keymap == {}
        app.close_services()
    assert config_text() == before


async def test_a_bad_server_address_and_a_missing_ca_bundle_are_refused_and_nothing_saved(
    tmp_path: Path,
) -> None:
    settings = signed_in_standalone()
    app = make_app(settings)
    before = config_text()
    async with app.run_test(size=(100, 30)) as pilot:
        await open_queue(pilot)
        screen = await open_settings(pilot)
        await retype(pilot, screen, "server_url", "ftp://cases.example.gov.cn")
        assert "https://" in note(screen, "server_url")
        await retype(pilot, screen, "server_url", "http://cases.example.gov.cn")
        assert "127.0.0.1" in note(screen, "server_url")  # plain http only to this PC
        await retype(pilot, screen, "ca_bundle", str(tmp_path / "missing.pem"))
        await wait_for(pilot, lambda: "missing.pem" in note(screen, "ca_bundle"))
        await retype(pilot, screen, "counter_name", "5号窗口")
        await pilot.press("f2")
        message = screen.query_one("#settings-message")
        await wait_for(pilot, lambda: "未保存" in str(message.render()))
        assert "127.0.0.1" in note(screen, "server_url")
        assert "missing.pem" in note(screen, "ca_bundle")
        assert app.focused is screen.query_one("#server_url")  # the first one to correct
        not_pem = tmp_path / "not.pem"
        not_pem.write_text("just text\n", encoding="utf-8")
        await retype(pilot, screen, "ca_bundle", str(not_pem))
        await wait_for(pilot, lambda: "PEM" in note(screen, "ca_bundle"))
        app.close_services()
    assert config_text() == before
    assert app.settings == settings


async def test_counter_name_and_printer_change_for_the_next_paper() -> None:
    printer = InstantPrinter()
    app = make_app(signed_in_standalone(), printer=printer)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_queue(pilot)
        screen = await open_settings(pilot)
        await retype(pilot, screen, "counter_name", "5号窗口")
        await retype(pilot, screen, "printer", "counter-laser")
        await retype(pilot, screen, "progress_url", "https://zwfw.jx.gov.cn/jd")
        await pilot.press("f2")
        await open_queue(pilot)
        await start_intake(pilot, "gtgsh", "SCJG-GT-001")
        await answer_until_checklist(pilot, ANSWERS)
        await pilot.press("f5", "f7")
        await open_queue(pilot)
        await wait_for(pilot, lambda: printer.printed)
        [case] = app.services.store.list_queue()
        assert case["counter"] == "5号窗口"
        assert {queue for _title, queue, _size in printer.printed} == {"counter-laser"}
        assert app.services.printer.paper_settings().progress_url == "https://zwfw.jx.gov.cn/jd"
        app.close_services()
    saved = load_settings()
    assert (saved.counter_name, saved.printer) == ("5号窗口", "counter-laser")


async def test_the_printers_cups_lists_are_offered(
    cups_printer: CupsPdfPrinter,  # noqa: F811 (the fixture imported above)
) -> None:
    """A real CUPS scheduler with the cups-pdf queue (tests/forms/conftest.py)."""
    app = make_app(signed_in_standalone())
    async with app.run_test(size=(100, 30)) as pilot:
        await open_queue(pilot)
        screen = await open_settings(pilot)
        await wait_for(pilot, lambda: cups_printer.queue in screen.queues, timeout=30)
        assert cups_printer.queue in note(screen, "printer")
        for _ in screen.queues:  # F4 goes round the queues CUPS lists
            await pilot.press("f4")
            if screen.query_one("#printer", Input).value == cups_printer.queue:
                break
        assert screen.query_one("#printer", Input).value == cups_printer.queue
        await pilot.press("f2")
        await open_queue(pilot)
        assert app.services.settings.printer == cups_printer.queue
        app.close_services()
    assert load_settings().printer == cups_printer.queue


@pytest.fixture
def server(tmp_path: Path) -> Iterator[CaseServer]:
    url = f"sqlite:///{tmp_path / 'server.sqlite3'}"
    database = Database(url)
    migrate.upgrade(database.engine)
    database.dispose()
    running = start_server(url, tmp_path)
    yield running
    running.close()


async def test_a_new_server_address_makes_the_sync_engine_anew(server: CaseServer) -> None:
    """The same real server under another name (localhost for 127.0.0.1): the old engine
    stops, a new one syncs with the new address, with the officer's sign-in."""
    app = make_app(counter_for(server))
    async with app.run_test(size=(100, 30)) as pilot:
        await sign_in_online(pilot)
        await open_queue(pilot)
        await wait_for(pilot, lambda: app.link.mode is LinkMode.ONLINE, timeout=30)
        old = app.services.sync
        assert old is not None
        new_url = server.url.replace("127.0.0.1", "localhost")
        screen = await open_settings(pilot)
        await retype(pilot, screen, "server_url", new_url)
        await pilot.press("f2")
        await wait_for(pilot, lambda: app.services.sync is not old, timeout=30)
        runner = app.services.sync
        assert not old.engine.running
        assert runner.engine.config.server_url == new_url
        assert app.services.connectivity is runner
        await wait_for(pilot, lambda: runner.engine.running, timeout=30)
        await wait_for(pilot, lambda: runner.status.last_synced_at is not None, timeout=30)
        await wait_for(pilot, lambda: app.link.mode is LinkMode.ONLINE, timeout=30)
        app.close_services()
    assert load_settings().server_url == new_url


async def test_a_good_ca_bundle_is_saved(tmp_path: Path) -> None:
    bundle = tmp_path / "ca.pem"
    trustme.CA().cert_pem.write_to_path(str(bundle))
    app = make_app(signed_in_standalone())
    async with app.run_test(size=(100, 30)) as pilot:
        await open_queue(pilot)
        screen = await open_settings(pilot)
        await retype(pilot, screen, "ca_bundle", str(bundle))
        await pilot.pause()
        await pilot.press("f2")
        await open_queue(pilot)
        app.close_services()
    assert load_settings().ca_bundle == str(bundle)


async def test_help_shows_the_key_the_officer_really_presses() -> None:
    settings = signed_in_standalone()
    write_settings_file({"keymap": {"queue.new": "ctrl+n", "help.close": "escape,f12"}})
    app = make_app(load_settings())
    async with app.run_test(size=(100, 30)) as pilot:
        await open_queue(pilot)
        await pilot.press("f1")
        await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen))
        await pilot.pause()
        lines = screen_text(app).splitlines()
        [new_intake] = [line for line in lines if "queue.new" in line]
        assert "^n" in new_intake and "f2" not in new_intake and "新收件" in new_intake
        assert lines.index(new_intake) < min(i for i, t in enumerate(lines) if "app.help" in t)
        [place] = [p for p in app.screen.query(".help-place") if str(p.render()) == "帮助"]
        app.screen.query_one("#help-body").scroll_to_widget(place, animate=False, top=True)
        await pilot.pause()
        [close] = [line for line in screen_text(app).splitlines() if "help.close" in line]
        assert "esc / f12" in close
        await pilot.press("f12")
        await wait_for(pilot, lambda: isinstance(app.screen, QueueScreen))
        app.close_services()
    assert dataclasses.replace(settings, keymap={}).keymap == {}


async def test_a_bad_keymap_in_the_file_is_said_at_start_and_the_rest_applies() -> None:
    signed_in_standalone()
    write_settings_file({"keymap": {"queue.new": "ctrl+n", "queue.nope": "f11"}})
    app = make_app(load_settings())
    async with app.run_test(size=(100, 30)) as pilot:
        await open_queue(pilot)
        assert app._keymap == {"queue.new": "ctrl+n"}
        assert any("queue.nope" in str(n.message) for n in app._notifications)
        app.close_services()


def test_settings_snapshot_with_chinese_text(snap_compare) -> None:
    settings = signed_in_standalone()
    app = make_app(settings)

    async def settings_screen(pilot) -> None:
        await open_queue(pilot)
        screen = await open_settings(pilot)
        await wait_for(pilot, lambda: not screen.workers)  # the printers were looked up
        screen._printers_found(["柜台激光", "cups-pdf"], "")  # what CUPS has varies by PC
        await retype(pilot, screen, "counter_name", "综合窗口 3")
        await retype(pilot, screen, "keymap", "intake.accept=f2")
        await pilot.pause()

    assert snap_compare(app, terminal_size=(100, 30), run_before=settings_screen)
    app.close_services()
