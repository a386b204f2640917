"""The counter's Textual App: modes, app-wide keys, the command palette.

Its other parts are mixins beside it: the shift (``app_session``: opening, sign-in, lock,
switch officer, quit), the work behind the screens (``app_background``: status bar,
printing, sync news) and keys typed ahead of an Enter (``app_keys``). Screens live in
``screens/``, widgets in ``widgets/``, rules in the domain, and everything that touches
the disk, the keyring, the network or the printer in ``services/`` (reached through
``self.services``, opened in a worker at start).
"""

from __future__ import annotations

import logging
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual import on, work
from textual.app import App
from textual.binding import Binding
from textual.reactive import reactive
from textual.worker import Worker, WorkerState

from counterdesk import i18n
from counterdesk.app_background import BackgroundWork
from counterdesk.app_keys import TypeAhead
from counterdesk.app_session import SessionFlow
from counterdesk.app_styles import StyleOnChange
from counterdesk.domain.clock import Clock, SystemClock
from counterdesk.i18n import _
from counterdesk.messages import WorkFailed
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


def _counter_commands() -> type:
    from counterdesk.screens.palette import CounterCommands  # textual.command: when opened

    return CounterCommands


def _training_home() -> Any:
    from counterdesk.screens.training.mode import training_home  # when first entered

    return training_home()


class CounterApp(TypeAhead, SessionFlow, BackgroundWork, StyleOnChange, App[None]):
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
        self.training_mode = TrainingMode(self)

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
            return self.officer is not None and not self.locked
        return True

    @property
    def locked(self) -> bool:
        """The lock screen is up. Told by name: the key bar asks at every start, before the
        sign-in screens are imported."""
        return type(self.screen).__name__ == "LockScreen"

    def may_supervise(self) -> bool:
        """The board is for supervisors (the server refuses anyone else anyway), live only."""
        officer = self.officer
        return (
            officer is not None
            and officer.role == "supervisor"
            and not getattr(self, "training", False)
            and self.services is not None
            and not self.locked
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

    @on(Worker.StateChanged)
    def worker_failed(self, event: Worker.StateChanged) -> None:
        """A worker's error is shown where the officer looks; it never closes the app."""
        if event.state is not WorkerState.ERROR:
            return
        error = event.worker.error
        reason = i18n.bilingual(str(error)) if error else _("unknown error")
        self.post_message(WorkFailed(event.worker.group or event.worker.name, reason))

    def queue_shown(self) -> None:
        self.warm_catalogue()
        if self.ready_file is not None:
            self.ready_file.write_text(repr(time.time()), encoding="utf-8")
            self.close_services()
            self.exit()
