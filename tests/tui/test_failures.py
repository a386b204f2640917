"""Errors appear where the officer looks, in their words, and never close the counter: a
failing background job, a printer that is not there."""

from __future__ import annotations

from counterdesk.domain.cases import Case
from counterdesk.forms.cups import CupsError, CupsProblem
from counterdesk.screens.intake import IntakeScreen
from counterdesk.screens.queue import QueueScreen
from counterdesk.services.counter import CounterServices
from counterdesk.widgets.status_bar import StatusBar
from tests.tui.harness import (
    InstantPrinter,
    answer_until_checklist,
    make_app,
    open_queue,
    signed_in_standalone,
    start_intake,
    wait_for,
)
from tests.tui.test_intake import ANSWERS


class MissingPrinter(InstantPrinter):
    def submit(self, pdf: bytes, queue: str = "", title: str = "", copies: int = 1) -> str:
        raise CupsError(CupsProblem.QUEUE_MISSING, "counterdesk-no-such-printer")


async def test_a_failing_worker_is_shown_and_the_counter_goes_on(monkeypatch) -> None:
    def broken(self, officer):
        raise RuntimeError("磁盘读取失败 / the disk could not be read")

    app = make_app(signed_in_standalone())
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, QueueScreen))
        monkeypatch.setattr(CounterServices, "queue_rows", broken)
        await pilot.press("f5")
        await wait_for(pilot, lambda: app.last_error)
        assert app.last_error == "磁盘读取失败"  # the officer's language side
        assert "磁盘读取失败" in str(app.screen.query_one(StatusBar).render())
        assert app.is_running
        await pilot.press("f2")  # the counter still works
        await wait_for(pilot, lambda: isinstance(app.screen, IntakeScreen))
        app.close_services()


async def test_a_missing_printer_never_blocks_the_counter() -> None:
    app = make_app(signed_in_standalone(), printer=MissingPrinter())
    async with app.run_test(size=(100, 30)) as pilot:
        await open_queue(pilot)
        await start_intake(pilot, "gtgsh", "SCJG-GT-001")
        await answer_until_checklist(pilot, ANSWERS)
        await pilot.press("f5", "f7")
        queue = await open_queue(pilot)
        app.poll_printer()
        await wait_for(pilot, lambda: app.printing.failing == 1)
        bar = str(queue.query_one(StatusBar).render())
        assert "1件失败重试中" in bar and "找不到打印机" in bar
        [document] = app.services.store.list_queue()
        assert Case.model_validate(document).state.value == "accepted"  # saved all the same
        await pilot.press("f2")
        await wait_for(pilot, lambda: isinstance(app.screen, IntakeScreen))
        app.close_services()


async def test_a_store_that_cannot_be_opened_is_explained_on_the_first_screen() -> None:
    from counterdesk.credentials import NO_KEYRING, KeyringUnavailable
    from counterdesk.screens.start import StartScreen

    def no_keyring(*_args, **_kwargs):
        raise KeyringUnavailable(NO_KEYRING)

    app = make_app(signed_in_standalone(), opener=no_keyring)
    async with app.run_test(size=(100, 30)) as pilot:
        message = await wait_for(
            pilot, lambda: isinstance(app.screen, StartScreen) and app.opening_error
        )
        assert "keyring" in message
        text = str(app.screen.query_one("#start-message").render())
        assert "窗口无法启动" in text and "gnome-keyring" in text
        assert app.is_running
