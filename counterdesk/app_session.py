"""The shift at the counter: opening the services, first-run setup, sign-in or straight
to the queue, locking, switching officer and quitting (a part of CounterApp)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual import work
from textual.app import App

from counterdesk.screens.queue import QueueScreen
from counterdesk.screens.start import StartScreen
from counterdesk.screens.supervisor import board_home

if TYPE_CHECKING:
    from counterdesk.domain.clock import Clock
    from counterdesk.screens.training.mode import TrainingMode
    from counterdesk.services.counter import CounterServices
    from counterdesk.services.queue import QueueRow
    from counterdesk.services.session import Officer
    from counterdesk.settings import Settings


class SessionFlow(App[None]):
    """Signing in and out around the counter's screens (a mixin of CounterApp)."""

    settings: Settings
    clock: Clock
    services: CounterServices | None
    training_mode: TrainingMode
    opening_error: str
    first_queue: tuple[str, list[QueueRow]] | None = None  # (officer, rows) read at start

    @work(thread=True, exclusive=True, group="open", exit_on_error=False)
    def open_services(self) -> None:
        """Open the store and, in the same worker, find who is signed in and read their
        queue: the queue screen then shows its cases in its first frame."""
        opener = self._open_services
        if opener is None:
            from counterdesk.services.counter import open_counter as opener
        try:
            services = opener(self.settings, self.clock, data_dir=self.data_dir)
        except Exception as exc:  # keyring missing, store locked or damaged: said plainly
            self.call_from_thread(self.services_failed, str(exc))
            return
        self.call_from_thread(self.services_opened, services)
        self._resume(services)

    def services_opened(self, services: CounterServices) -> None:
        self.services = services

    def services_failed(self, reason: str) -> None:
        self.opening_error = reason
        start = self.screen
        if isinstance(start, StartScreen):
            start.show_problem(reason)

    def services_ready(self) -> None:
        self.resume_or_sign_in()

    @work(thread=True, exclusive=True, group="resume", exit_on_error=False)
    def resume_or_sign_in(self) -> None:
        assert self.services is not None
        self._resume(self.services)

    def _resume(self, services: CounterServices) -> None:
        """First-run setup, a sign-in, or the officer still signed in (on a worker)."""
        if services.needs_setup():
            self.call_from_thread(self._show_setup)
            return
        resumed = services.sign_in.resume()
        if resumed is not None and not resumed[1]:
            self.first_queue = (resumed[0].username, services.queue_rows(resumed[0]))
        self.call_from_thread(self._resumed, resumed)

    def take_first_queue(self, officer: Officer) -> list[QueueRow] | None:
        """The queue read with the sign-in at start, once, for the officer it was read
        for (any later showing reads it afresh)."""
        first, self.first_queue = self.first_queue, None
        return first[1] if first is not None and first[0] == officer.username else None

    def _show_setup(self) -> None:
        from counterdesk.screens.setup import SetupScreen

        self.push_screen(SetupScreen(), callback=lambda _done: self.resume_or_sign_in())

    def _resumed(self, resumed: tuple[Officer, bool] | None) -> None:
        if resumed is None:
            from counterdesk.screens.login import LoginScreen

            self.push_screen(LoginScreen(), callback=self._login_done)
            return
        officer, locked = resumed
        if not locked:
            self.signed_in(officer)
            return
        from counterdesk.screens.login import LockScreen

        def unlocked(switch: bool | None) -> None:
            if switch:
                self.sign_out()
            else:
                self.signed_in(officer)

        # Locked before the program stopped: still locked.
        self.push_screen(LockScreen(officer), callback=unlocked)

    def _login_done(self, officer: Officer | None) -> None:
        if officer is not None:
            self.signed_in(officer)

    def signed_in(self, officer: Officer) -> None:
        self.officer = officer
        if self.services is not None:
            self.services.officer_names[officer.username] = officer.shown
        if self.training_mode.forced:  # a trainee: training mode only, no live sync
            self.first_queue = None
            self.enter_training()
            return
        if self.services is not None:
            self.start_sync()
        self.switch_mode("counter")

    def action_lock(self) -> None:
        from counterdesk.screens.login import LockScreen

        if self.officer is None or isinstance(self.screen, LockScreen):
            return
        self.push_screen(LockScreen(self.officer), callback=self._lock_done)
        self.keep_locked()

    @work(thread=True, exclusive=True, group="lock", exit_on_error=False)
    def keep_locked(self) -> None:
        """A restart while locked comes back locked (quitting is no way around the lock)."""
        if self.services is not None:
            self.services.sign_in.lock()

    def _lock_done(self, switch: bool | None) -> None:
        if switch:
            self.sign_out()

    @work(exclusive=True, group="sign-out", exit_on_error=False)
    async def sign_out(self) -> None:
        """End this officer's sign-in and show the sign-in screen (switch officer)."""
        await self.training_mode.sign_out()  # back to the live services first
        services = self.services
        if services is not None:
            await self.run_in_thread(services.drafts.flush)
            await self.run_in_thread(services.sign_out)
        self.officer = None
        await self.switch_mode("start")
        await self.remove_mode("counter")
        self.add_mode("counter", QueueScreen)
        await self.remove_mode("supervisor")  # the next officer gets a board of their own
        self.add_mode("supervisor", board_home)
        await self.training_mode.forget_screens()
        while len(self.screen_stack) > 1:
            self.pop_screen()
        from counterdesk.screens.login import LoginScreen

        self.push_screen(LoginScreen(), callback=self._login_done)

    async def run_in_thread(self, function: Any, *args: Any) -> Any:
        import asyncio

        return await asyncio.to_thread(function, *args)

    async def action_quit(self) -> None:
        self.close_services()
        self.exit()

    def close_services(self) -> None:
        self.training_mode.close()
        live = self.training_mode.live_services()
        if live is not None:
            live.close()

    # Status bar and printing, refreshed in the background
