"""Training mode's home: the bundled scenarios by level, random practice from the
catalogue at each level, the trainee's best score on each, guided or exam mode, the
practice cases (the sandbox's queue) and the sandbox reset."""

from __future__ import annotations

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.reactive import reactive
from textual.widgets import DataTable, Static

from counterdesk.domain.training import LEVELS, Scenario
from counterdesk.i18n import _
from counterdesk.screens.base import CounterScreen
from counterdesk.screens.training.banner import clock_text, mode_label
from counterdesk.screens.training.desk import level_label, title_of
from counterdesk.services import training
from counterdesk.services.training import TrainingSandbox
from counterdesk.widgets.key_bar import KeyBar
from counterdesk.widgets.status_bar import StatusBar

PRACTICE = "practice:"


class TrainingHomeScreen(CounterScreen):
    @classmethod
    def help_title(cls) -> str:
        return _("Training: scenarios")

    BINDINGS = [
        Binding("enter", "start", "Start", id="training.start"),
        Binding("f3", "mode", "Guided/Exam", id="training.mode"),
        Binding("f4", "practice_cases", "Practice cases", id="training.cases"),
        Binding("f8", "reset", "Reset sandbox", id="training.reset"),
        Binding("down", "cursor(1)", "Down", show=False, id="training.down"),
        Binding("up", "cursor(-1)", "Up", show=False, id="training.up"),
        Binding("pagedown", "cursor(10)", "Page down", show=False, id="training.page_down"),
        Binding("pageup", "cursor(-10)", "Page up", show=False, id="training.page_up"),
    ]

    mode: reactive[str] = reactive("guided")

    def __init__(self) -> None:
        super().__init__()
        self.keys: list[str] = []  # row keys, in order: practice levels, then scenario ids
        self.loaded = False

    def compose(self) -> ComposeResult:
        yield Static("", id="training-title", classes="title-bar")
        yield Static("", id="training-intro")
        table: DataTable[Text | str] = DataTable(
            id="scenarios", cursor_type="row", zebra_stripes=True
        )
        table.can_focus = False  # the screen's keys move it
        yield table
        yield StatusBar()
        yield KeyBar()

    @property
    def sandbox(self) -> TrainingSandbox:
        sandbox = self.counter.training_mode.sandbox
        assert sandbox is not None, "training mode opens the sandbox before its screens"
        return sandbox

    def on_mount(self) -> None:
        self.mode = self.counter.training_mode.mode
        self._title()
        self._columns()
        self.query_one("#training-intro", Static).update(
            _(
                "Practice on the real counter screens, in a sandbox of its own: nothing done "
                "here reaches live cases. Enter starts the scenario under the cursor."
            )
        )

    def _columns(self) -> None:
        table = self.query_one("#scenarios", DataTable)
        table.clear(columns=True)
        fixed = {"level": 10, "limit": 6, "best": 5, "tries": 5}
        title = max(16, (self.size.width or 100) - sum(fixed.values()) - 2 * 5 - 2)
        table.add_column(_("Level"), key="level", width=fixed["level"])
        table.add_column(_("Scenario"), key="title", width=title)
        table.add_column(_("Limit"), key="limit", width=fixed["limit"])
        table.add_column(_("Best"), key="best", width=fixed["best"])
        table.add_column(_("Tries"), key="tries", width=fixed["tries"])

    def on_resize(self) -> None:
        if self.loaded:
            self._columns()
            self.load()

    def on_screen_resume(self) -> None:
        self.load()

    def watch_mode(self) -> None:
        self.counter.training_mode.mode = self.mode
        if self.is_mounted:
            self._title()

    def _title(self) -> None:
        hints = _("hints shown") if self.mode == "guided" else _("no hints")
        self.query_one("#training-title", Static).update(
            f"{_('Training')} · {self.officer.shown} · {mode_label(self.mode)} ({hints})"
        )

    @work(thread=True, exclusive=True, group="training-picker", exit_on_error=False)
    def load(self) -> None:
        best = self.sandbox.best_scores(self.officer.username)
        self.app.call_from_thread(self.show, training.scenarios(), best)

    def show(self, bundled: tuple[Scenario, ...], best: dict[str, tuple[int, int, bool]]) -> None:
        table = self.query_one("#scenarios", DataTable)
        row = table.cursor_row
        table.clear()
        self.keys = []
        for level in LEVELS:
            self.keys.append(PRACTICE + level)
            table.add_row(
                level_label(level),
                Text(_("Random practice from the catalogue"), style="italic"),
                "",
                "",
                "",
                key=PRACTICE + level,
            )
        for level in LEVELS:
            for scenario in (s for s in bundled if s.level == level):
                points, tries, passed = best.get(scenario.id, (0, 0, False))
                self.keys.append(scenario.id)
                table.add_row(
                    level_label(level),
                    Text(title_of(scenario), overflow="ellipsis", no_wrap=True),
                    clock_text(training.EXAM_SECONDS) if level == "exam" else "",
                    Text(str(points), style="bold green" if passed else "") if tries else "",
                    str(tries) if tries else "",
                    key=scenario.id,
                )
        table.move_cursor(row=min(row, len(self.keys) - 1))
        self.loaded = True

    def action_cursor(self, delta: int) -> None:
        table = self.query_one("#scenarios", DataTable)
        if self.keys:
            table.move_cursor(row=max(0, min(len(self.keys) - 1, table.cursor_row + delta)))

    def select(self, key: str) -> None:
        """Put the cursor on a scenario (or ``practice:LEVEL``)."""
        self.query_one("#scenarios", DataTable).move_cursor(row=self.keys.index(key))

    def action_mode(self) -> None:
        self.mode = "exam" if self.mode == "guided" else "guided"

    def action_practice_cases(self) -> None:
        from counterdesk.screens.training.practice_cases import PracticeCasesScreen

        self.app.push_screen(PracticeCasesScreen())

    # Starting

    def action_start(self) -> None:
        if not self.keys:
            return
        key = self.keys[self.query_one("#scenarios", DataTable).cursor_row]
        if key.startswith(PRACTICE):
            self.make_practice(key.removeprefix(PRACTICE))
            return
        scenario = next(s for s in training.scenarios() if s.id == key)
        self.begin(scenario)

    @work(thread=True, exclusive=True, group="training-practice", exit_on_error=False)
    def make_practice(self, level: str) -> None:
        scenario = self.sandbox.practice(level, self.counter.training_mode.next_seed())
        self.app.call_from_thread(self.begin, scenario)

    def begin(self, scenario: Scenario) -> None:
        from counterdesk.screens.training.brief import BriefScreen

        self.app.push_screen(BriefScreen(self.sandbox, scenario, self.mode))

    # Reset

    def action_reset(self) -> None:
        from counterdesk.widgets.confirmation import ConfirmationModal

        def answered(yes: bool | None) -> None:
            if yes:
                self.reset()

        self.app.push_screen(
            ConfirmationModal(
                _("Reset the training sandbox?"),
                _(
                    "Every practice case, unfinished intake and practice print job is "
                    "deleted. Results are kept."
                ),
                _("Reset"),
                _("Keep"),
            ),
            callback=answered,
        )

    @work(thread=True, exclusive=True, group="training-reset", exit_on_error=False)
    def reset(self) -> None:
        self.counter.training_mode.reset_sandbox()
        self.app.call_from_thread(self.notify, _("The training sandbox is empty again."))
        self.load()
