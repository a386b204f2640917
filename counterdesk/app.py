"""The counter's Textual App: modes, app-wide keys, the command palette, and the session.

Screens live in ``screens/``, widgets in ``widgets/``, rules in the domain, and everything
that touches the disk, the keyring, the network or the printer in ``services/`` (reached
through ``self.services``, opened in a worker at start).
"""

from __future__ import annotations

import logging
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual import events, on, work
from textual.app import App
from textual.binding import Binding
from textual.reactive import reactive
from textual.timer import Timer
from textual.worker import Worker, WorkerState

from counterdesk import i18n
from counterdesk.domain.clock import Clock, SystemClock
from counterdesk.i18n import _
from counterdesk.messages import (
    REASSIGNMENT_NOTICES,
    CaseReassigned,
    CaseSaved,
    StatusRefreshed,
    SyncFinished,
    WorkFailed,
)
from counterdesk.screens.queue import QueueScreen
from counterdesk.screens.start import StartScreen
from counterdesk.screens.supervisor import board_home
from counterdesk.screens.training.mode import TrainingMode
from counterdesk.services.connectivity import ConnectivityState, LinkMode
from counterdesk.services.print_status import PrintSummary
from counterdesk.settings import Settings

if TYPE_CHECKING:  # opened in a worker at start: the store, keyring and argon2 load there
    from counterdesk.services.counter import CounterServices
    from counterdesk.services.session import Officer

log = logging.getLogger(__name__)
STATUS_EVERY_S = 1.0
PRINT_POLL_EVERY_S = 2.0
HOLD_KEYS_AT_MOST_S = 2.0  # if an Enter is never answered, typed-ahead keys still arrive


def _counter_commands() -> type:
    from counterdesk.screens.palette import CounterCommands  # textual.command: when opened

    return CounterCommands


def _training_home() -> Any:
    from counterdesk.screens.training.mode import training_home  # when first entered

    return training_home()


class CounterApp(App[None]):
    CSS_PATH = [
        "app.tcss",
        "high_contrast.tcss",
        "screens/training/training.tcss",
        "screens/supervisor/supervisor.tcss",
    ]
    TITLE = "counterdesk"
    MODES = {
        "start": StartScreen,
        "counter": QueueScreen,
        "training": _training_home,
        "supervisor": board_home,
    }
    DEFAULT_MODE = "start"
    COMMANDS = App.COMMANDS | {lambda: _counter_commands()}
    BINDINGS = [
        Binding("f1", "help", "Help", id="app.help"),
        Binding("ctrl+o", "settings", "Settings", id="app.settings"),
        Binding("ctrl+f", "find_case", "Find case", id="app.find_case", priority=True),
        Binding("ctrl+y", "sync_now", "Sync now", id="app.sync_now", priority=True),
        Binding("ctrl+l", "lock", "Lock", id="app.lock", priority=True),
        Binding("ctrl+t", "training", "Training", id="app.training", priority=True),
        Binding("ctrl+t", "training_desk", "Desk", id="app.training_desk", priority=True),
        Binding("ctrl+b", "board", "Board", id="app.board", priority=True),
        Binding("ctrl+q", "quit", "Quit", id="app.quit", priority=True),
    ]

    officer: reactive[Officer | None] = reactive(None, bindings=True)
    link: reactive[ConnectivityState] = reactive(ConnectivityState(LinkMode.STANDALONE))
    printing: reactive[PrintSummary] = reactive(PrintSummary())
    last_error: reactive[str] = reactive("")
    training: reactive[bool] = reactive(False, bindings=True)  # training mode (sandbox)
    training_tick: reactive[int] = reactive(0)  # the training banner's clock

    def __init__(
        self,
        settings: Settings,
        clock: Clock | None = None,
        *,
        data_dir: Path | None = None,
        services: CounterServices | None = None,
        open_services: Any = None,
        cursor_blink: bool = True,
        ready_file: Path | None = None,
    ) -> None:
        self.ui_language = i18n.use(i18n.choose_language(settings.language))
        super().__init__()
        i18n.translate_bindings(self)
        self.settings = settings
        self.clock: Clock = clock or SystemClock()
        self.data_dir = data_dir
        self.services: CounterServices | None = services
        self._open_services = open_services
        self.cursor_blink = cursor_blink
        self.ready_file = ready_file  # bench: write a timestamp and exit once the queue shows
        self.opening_error = ""
        self.status_refreshes = 0  # tests wait for the first
        self._held_keys: list[events.Key] | None = None
        self._hold_timer: Timer | None = None
        self._replays_due = 0  # held keys posted again: counted once, when first pressed
        self.training_mode = TrainingMode(self)

    # Start: open the services, then first-run setup, sign-in or straight to the queue

    def on_mount(self) -> None:
        from counterdesk.screens.settings_apply import apply_at_start

        self.title = _("counterdesk")
        for problem in apply_at_start(self):  # theme and keymap; a bad key is said, not fatal
            self.notify(problem, title=_("Settings not used"), severity="warning")
        if self.services is None:
            self.open_services()
        else:
            self.call_after_refresh(self.services_ready)
        self.set_interval(STATUS_EVERY_S, self.refresh_status)
        self.set_interval(PRINT_POLL_EVERY_S, self.poll_printer)

    @work(thread=True, exclusive=True, group="open", exit_on_error=False)
    def open_services(self) -> None:
        opener = self._open_services
        if opener is None:
            from counterdesk.services.counter import open_counter as opener
        try:
            services = opener(self.settings, self.clock, data_dir=self.data_dir)
        except Exception as exc:  # keyring missing, store locked or damaged: said plainly
            self.call_from_thread(self.services_failed, str(exc))
            return
        self.call_from_thread(self.services_opened, services)

    def services_opened(self, services: CounterServices) -> None:
        self.services = services
        self.services_ready()

    def services_failed(self, reason: str) -> None:
        self.opening_error = reason
        start = self.screen
        if isinstance(start, StartScreen):
            start.show_problem(reason)

    def services_ready(self) -> None:
        self.resume_or_sign_in()

    @work(thread=True, exclusive=True, group="resume", exit_on_error=False)
    def resume_or_sign_in(self) -> None:
        services = self.services
        assert services is not None
        if services.needs_setup():
            self.call_from_thread(self._show_setup)
            return
        self.call_from_thread(self._resumed, services.sign_in.resume())

    def _show_setup(self) -> None:
        from counterdesk.screens.setup import SetupScreen

        self.push_screen(SetupScreen(), callback=lambda _done: self.resume_or_sign_in())

    def _resumed(self, resumed: tuple[Officer, bool] | None) -> None:
        from counterdesk.screens.login import LockScreen, LoginScreen

        if resumed is None:
            self.push_screen(LoginScreen(), callback=self._login_done)
            return
        officer, locked = resumed
        if not locked:
            self.signed_in(officer)
            return

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
            self.enter_training()
            return
        if self.services is not None:
            self.start_sync()
        self.switch_mode("counter")

    @work(thread=True, exclusive=True, group="sync-start", exit_on_error=False)
    def start_sync(self) -> None:
        """With a server: sync with the signed-in officer's tokens (keyring: a worker)."""
        if self.services is not None:
            self.services.start_sync()
            self._tell_syncs()
            self._tell_reassignments()

    def _tell_syncs(self) -> None:
        """Each sync that ends is posted to the UI thread (the queue reloads by it)."""
        runner = self.services.sync if self.services is not None else None
        if runner is None or getattr(self, "_sync_listener", None) is runner:
            return
        self._sync_listener = runner

        was_syncing = False

        def ended(status: Any) -> None:  # on the sync thread, at every change of status
            nonlocal was_syncing
            syncing = status.state.value == "syncing"
            if was_syncing and not syncing:  # a sync just ended: once, not at every change
                self.post_message(SyncFinished(status.online, status.last_error))
            was_syncing = syncing

        runner.on_status(ended)

    def _tell_reassignments(self) -> None:
        """A supervisor moved a case to or away from this officer (or its offline changes
        were handed over): said as a notification when the sync reports it."""
        runner = self.services.sync if self.services is not None else None
        if runner is None or getattr(self, "_reassign_listener", None) is runner:
            return
        self._reassign_listener = runner

        def noticed(notice: Any) -> None:  # on the sync thread
            if notice.kind in REASSIGNMENT_NOTICES:
                self.post_message(CaseReassigned(notice.case_id, notice.kind, notice.text))

        runner.on_notice(noticed)

    def on_case_reassigned(self, message: CaseReassigned) -> None:
        self.notify(message.text, title=_("Case reassigned"), timeout=30)

    def on_sync_finished(self, message: SyncFinished) -> None:
        """The screen on top reads the store again (the queue, an open case)."""
        if not self.screen_stack:  # a sync that ended as the App closed
            return
        if hasattr(self.screen, "on_sync_finished"):
            self.screen.post_message(SyncFinished(message.online, message.error))

    @work(thread=True, exclusive=True, group="catalogue", exit_on_error=False)
    def warm_catalogue(self) -> None:
        """Load the catalogue and its search index before the first intake needs them
        (once the queue shows: on a two-core PC it would slow the queue's first paint)."""
        assert self.services is not None
        self.services.load_catalogue()

    # Keys typed ahead of an Enter

    async def on_event(self, event: events.Event) -> None:
        """Keys that arrive while an entry handles Enter wait until the cursor has moved
        on (``TextField.action_submit`` releases them), then go where it now is."""
        if isinstance(event, events.Key) and not event.is_forwarded:
            if self._replays_due:
                self._replays_due -= 1
            else:
                self.training_mode.key_pressed()
            if self._held_keys is not None:
                self._held_keys.append(event)
                return
            from counterdesk.widgets.fields import TextField

            if event.key == "enter" and isinstance(self.focused, TextField):
                self._held_keys = []
                self._hold_timer = self.set_timer(HOLD_KEYS_AT_MOST_S, self.release_keys)
        await super().on_event(event)

    def release_keys(self) -> None:
        # The fallback timer of this Enter must not fire into the hold of a later one.
        if self._hold_timer is not None:
            self._hold_timer.stop()
            self._hold_timer = None
        held, self._held_keys = self._held_keys, None
        self._replays_due += len(held or ())
        for key in held or ():
            self.post_message(events.Key(key.key, key.character))

    # App-wide actions

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("lock", "settings"):
            return self.officer is not None
        if action == "training":
            return self.training_mode.can_toggle()
        if action == "training_desk":
            return self.training_mode.desk_available()
        if action == "board":
            return self.may_supervise() or self.current_mode == "supervisor"
        if action in ("find_case", "sync_now"):
            return self.officer is not None and type(self.screen).__name__ != "LockScreen"
        return True

    def may_supervise(self) -> bool:
        """The board is for supervisors (the server refuses anyone else anyway), live only."""
        officer = self.officer
        return (
            officer is not None
            and officer.role == "supervisor"
            and not getattr(self, "training", False)
            and self.services is not None
            and type(self.screen).__name__ != "LockScreen"
        )

    def action_board(self) -> None:
        """Ctrl+B: the supervisor board, and back to the counter."""
        if self.current_mode == "supervisor":
            self.switch_mode("counter")
        elif self.may_supervise():
            self.switch_mode("supervisor")

    def action_find_case(self) -> None:
        from counterdesk.screens.find_case import FindCaseScreen

        if self.check_action("find_case", ()) and not isinstance(self.screen, FindCaseScreen):
            self.push_screen(FindCaseScreen(), callback=self._case_found)

    def _case_found(self, found: Any) -> None:
        from counterdesk.screens.case import CaseScreen

        if found is not None:
            self.push_screen(CaseScreen(found.case_id, found.document))

    def action_sync_now(self) -> None:
        if self.check_action("sync_now", ()):
            self.sync_now()

    @work(thread=True, exclusive=True, group="sync-now", exit_on_error=False)
    def sync_now(self) -> None:
        """Ctrl+Y: one whole sync at once, and what came of it."""
        runner = self.services.sync if self.services is not None else None
        if runner is None:
            self.call_from_thread(
                self.notify, _("A standalone counter has no server to sync with.")
            )
            return
        from offline.sync import SyncError

        self.call_from_thread(self.notify, _("Syncing…"))
        try:
            report = runner.sync_now()
        except SyncError as exc:
            reason = i18n.bilingual(str(exc))
            self.call_from_thread(self.notify, reason, title=_("Not synced"), severity="warning")
            return
        done = _("Synced: {sent} changes sent, {got} cases updated.").format(
            sent=report.push.acknowledged, got=report.pull.updated
        )
        self.call_from_thread(self.notify, done)

    # Not exclusive: a cancelled switch would lose a sandbox opened in its thread.
    @work(group="training-mode", exit_on_error=False)
    async def action_training(self) -> None:
        """Ctrl+T: into training mode (the sandbox), or back to live work."""
        if self.training_mode.can_toggle():
            if self.training:
                await self.training_mode.leave()
            else:
                await self.training_mode.enter()

    @work(group="training-mode", exit_on_error=False)
    async def enter_training(self) -> None:
        await self.training_mode.enter()

    def action_training_desk(self) -> None:
        """Ctrl+T during an exercise: the applicant and their papers again."""
        from counterdesk.screens.training.desk import DeskModal

        run = self.training_mode.run
        if run is not None and self.services is not None and self.training_mode.desk_available():
            self.push_screen(DeskModal(run.scenario, self.services.catalogue))

    def services_for(self, training: bool) -> CounterServices | None:
        """The services of screens made in (or out of) training mode."""
        return self.training_mode.services_for(training)

    def training_banner(self) -> Any:
        """What the status bar shows first in training mode (None outside it)."""
        return self.training_mode.banner()

    def action_settings(self) -> None:
        from counterdesk.screens.login import LockScreen
        from counterdesk.screens.settings import SettingsScreen

        if self.officer is not None and not isinstance(self.screen, LockScreen | SettingsScreen):
            self.push_screen(SettingsScreen())

    def action_help(self) -> None:
        from counterdesk.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.screen))

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

    @work(thread=True, exclusive=True, group="status", exit_on_error=False)
    def refresh_status(self) -> None:
        services = self.services
        if services is None or services._closed:
            return
        printer = services._printer  # made by the first poll, not to show the status
        printing = printer.summary() if printer is not None else PrintSummary()
        self.post_message(StatusRefreshed(services.connectivity.state(), printing))

    def on_status_refreshed(self, message: StatusRefreshed) -> None:
        self.link = message.link
        self.printing = message.printing
        self.status_refreshes += 1

    @work(thread=True, exclusive=True, group="print-poll", exit_on_error=False)
    def poll_printer(self) -> None:
        # The live print queue too while training: its prints are recorded on their cases.
        for services in {id(s): s for s in (self.services, self.services_for(False)) if s}.values():
            if not services._closed:
                services.printer.poll()

    @work(thread=True, group="print", exit_on_error=False)
    def print_papers(self, case_id: str, docs: tuple[str, ...]) -> None:
        """Build the outcome's papers and queue them; the poll worker does the rest."""
        from counterdesk.domain.cases import Case
        from counterdesk.forms.paper import DocKind

        services = self.services
        assert services is not None and self.officer is not None
        document = services.store.get(case_id)
        if document is None:
            return
        services.printer.print_case(
            Case.model_validate(document), [DocKind(d) for d in docs], self.officer.username
        )
        self.post_message(
            StatusRefreshed(services.connectivity.state(), services.printer.summary())
        )
        self.poll_printer()

    def on_case_saved(self, message: CaseSaved) -> None:
        self.refresh_status()

    @on(Worker.StateChanged)
    def worker_failed(self, event: Worker.StateChanged) -> None:
        """A worker's error is shown where the officer looks; it never closes the app."""
        if event.state is not WorkerState.ERROR:
            return
        error = event.worker.error
        reason = i18n.bilingual(str(error)) if error else _("unknown error")
        self.post_message(WorkFailed(event.worker.group or event.worker.name, reason))

    def on_work_failed(self, message: WorkFailed) -> None:
        self.last_error = message.reason
        log.error("%s failed: %s", message.where, message.reason)
        self.notify(message.reason, title=_("Something went wrong"), severity="error")

    # The bench's startup figure

    def queue_shown(self) -> None:
        self.warm_catalogue()
        if self.ready_file is not None:
            self.ready_file.write_text(repr(time.time()), encoding="utf-8")
            self.close_services()
            self.exit()
