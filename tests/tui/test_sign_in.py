"""First run, signing in, locking and handing the counter over, on the real App."""

from __future__ import annotations

import datetime as dt
import tomllib

from counterdesk import locations
from counterdesk.domain.clock import FixedClock
from counterdesk.screens.intake import IntakeScreen
from counterdesk.screens.login import LockScreen, LoginScreen
from counterdesk.screens.setup import SetupScreen
from counterdesk.services.counter import open_counter
from counterdesk.services.session import Officer
from counterdesk.settings import load_settings
from tests.tui.harness import (
    NOW,
    OFFICER,
    PASSWORD,
    make_app,
    open_queue,
    paste_text,
    prepare_standalone,
    signed_in_standalone,
    type_text,
    wait_for,
)


async def sign_in(pilot, username: str, password: str) -> None:
    app = pilot.app
    await wait_for(pilot, lambda: isinstance(app.screen, LoginScreen))
    await paste_text(pilot, username)
    await pilot.press("enter")
    await paste_text(pilot, password)
    await pilot.press("enter")


async def test_first_run_sets_up_a_standalone_counter_and_its_first_officer() -> None:
    app = make_app(load_settings())
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, SetupScreen))
        await pilot.press("enter")  # no server: standalone
        for answer in ("3号窗口", "南湖区行政服务中心", "wang.li", "王丽", PASSWORD, PASSWORD):
            await paste_text(pilot, answer)
            await pilot.press("enter")
        await sign_in(pilot, "wang.li", PASSWORD)
        queue = await open_queue(pilot)
        assert app.officer == Officer("wang.li", "王丽")
        assert "王丽" in str(queue.query_one("#queue-title").render())
        app.close_services()
    written = tomllib.loads(locations.config_file().read_text(encoding="utf-8"))
    assert written == {
        "server_url": "",
        "counter_name": "3号窗口",
        "centre_name": "南湖区行政服务中心",
    }


async def test_setup_says_what_is_wrong_and_keeps_what_was_typed() -> None:
    app = make_app(load_settings())
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, SetupScreen))
        await pilot.press("enter")
        for answer in ("3号窗口", "", "wang.li", "王丽", PASSWORD, "something-else"):
            if answer:
                await paste_text(pilot, answer)
            await pilot.press("enter")
        message = app.screen.query_one("#setup-message")
        await wait_for(pilot, lambda: "两次输入的密码不一致" in str(message.render()))
        assert isinstance(app.screen, SetupScreen)
        assert app.screen.query_one("#counter_name").value == "3号窗口"
        app.close_services()


async def test_a_wrong_password_is_refused_on_the_sign_in_screen() -> None:
    app = make_app(prepare_standalone())
    async with app.run_test(size=(100, 30)) as pilot:
        await sign_in(pilot, OFFICER.username, "not-the-password")
        message = app.screen.query_one("#login-message")
        await wait_for(pilot, lambda: "登录名或密码错误" in str(message.render()))
        assert app.officer is None
        assert app.screen.query_one("#password").value == ""
        await paste_text(pilot, PASSWORD)
        await pilot.press("enter")
        await open_queue(pilot)
        assert app.officer == OFFICER
        app.close_services()


async def test_lock_hides_the_work_and_unlocking_brings_it_back() -> None:
    app = make_app(signed_in_standalone())
    async with app.run_test(size=(100, 30)) as pilot:
        await open_queue(pilot)
        await pilot.press("f2")
        await wait_for(pilot, lambda: isinstance(app.screen, IntakeScreen))
        intake = app.screen
        await type_text(pilot, "gtgsh")
        await pilot.press("ctrl+l")
        await wait_for(pilot, lambda: isinstance(app.screen, LockScreen))
        await pilot.press("escape")  # escape does not unlock
        assert isinstance(app.screen, LockScreen)
        await paste_text(pilot, "wrong-password")
        await pilot.press("enter")
        message = app.screen.query_one("#lock-message")
        await wait_for(pilot, lambda: "密码错误" in str(message.render()))
        await paste_text(pilot, PASSWORD)
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.screen is intake)
        assert intake.query_one("#search").value == "gtgsh"
        app.close_services()


async def test_a_locked_counter_is_still_locked_after_a_restart() -> None:
    settings = signed_in_standalone()
    app = make_app(settings)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_queue(pilot)
        await pilot.press("ctrl+l")
        await wait_for(pilot, lambda: isinstance(app.screen, LockScreen))
        await wait_for(pilot, lambda: not any(w.is_running for w in app.workers))
        await pilot.press("ctrl+q")
    again = make_app(settings)
    async with again.run_test(size=(100, 30)) as pilot:
        await wait_for(pilot, lambda: isinstance(again.screen, LockScreen))
        assert again.officer is None
        await paste_text(pilot, PASSWORD)
        await pilot.press("enter")
        await open_queue(pilot)
        assert again.officer == OFFICER
        again.close_services()


async def test_switch_officer_at_a_shift_change_without_quitting() -> None:
    settings = signed_in_standalone()
    services = open_counter(settings, FixedClock(NOW))
    services.officers.add(Officer("li.na", "李娜"), "second-pass-2")
    services.close()
    app = make_app(settings)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_queue(pilot)
        await pilot.press("ctrl+l")
        await wait_for(pilot, lambda: isinstance(app.screen, LockScreen))
        await pilot.press("f2")
        await sign_in(pilot, "li.na", "second-pass-2")
        queue = await open_queue(pilot)
        assert app.officer == Officer("li.na", "李娜")
        assert "李娜" in str(queue.query_one("#queue-title").render())
        app.close_services()


async def test_the_remembered_sign_in_ends_with_the_day() -> None:
    settings = signed_in_standalone()
    tomorrow = FixedClock(NOW + dt.timedelta(days=1))
    app = make_app(settings, clock=tomorrow)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, LoginScreen))
        assert app.officer is None
        app.close_services()


async def test_a_script_can_open_the_counter_signed_in() -> None:
    """What the demo does: prepare_signed_in, then the App starts on the queue."""
    from counterdesk.services.counter import prepare_signed_in
    from counterdesk.services.setup import FirstRunAnswers, write_first_run_config
    from counterdesk.settings import Settings

    settings = write_first_run_config(FirstRunAnswers("", "演示窗口"), Settings())
    prepare_signed_in(
        settings, FixedClock(NOW), username="demo.officer", password="demo-pass-1", name="演示"
    )
    app = make_app(load_settings())
    async with app.run_test(size=(100, 30)) as pilot:
        await open_queue(pilot)
        assert app.officer == Officer("demo.officer", "演示")
        app.close_services()


async def test_the_command_palette_finds_the_counter_commands() -> None:
    from textual.command import CommandPalette

    app = make_app(signed_in_standalone())
    async with app.run_test(size=(100, 30)) as pilot:
        await open_queue(pilot)
        await pilot.press("ctrl+p")
        await wait_for(pilot, lambda: isinstance(app.screen, CommandPalette))
        palette = app.screen
        await type_text(pilot, "锁定")
        await wait_for(pilot, lambda: palette.query_one("CommandList").option_count)
        await pilot.press("down", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, LockScreen))
        app.close_services()
