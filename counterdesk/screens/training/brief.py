"""An exercise's first screen: the applicant at the counter and what lies on the desk.
The exercise's clock and key count start here; Enter opens the real intake screen (on
the sandbox) with a fresh draft, and coming back keeps it. When the intake is saved the
scorer judges it and the debrief replaces this screen.

A matter no item of this centre covers is refused on the intake too, as at a live counter
(no item chosen, F10 there), so its refusal notice is printed and scored like any paper.
"""

from __future__ import annotations

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Static

from counterdesk.domain.training import Scenario
from counterdesk.i18n import _
from counterdesk.screens.base import CounterScreen
from counterdesk.screens.training.banner import clock_text, mode_label
from counterdesk.screens.training.desk import desk, title_of
from counterdesk.services.drafts import IntakeDraft
from counterdesk.services.training import Finished, TrainingSandbox
from counterdesk.widgets.key_bar import KeyBar
from counterdesk.widgets.status_bar import StatusBar


class BriefScreen(CounterScreen):
    @classmethod
    def help_title(cls) -> str:
        return _("Training: the applicant")

    BINDINGS = [
        Binding("enter", "intake", "Intake", id="training.intake"),
        Binding("escape", "give_up", "Give up", id="training.give_up"),
    ]

    def __init__(self, sandbox: TrainingSandbox, scenario: Scenario, mode: str) -> None:
        super().__init__()
        self.sandbox = sandbox
        self.scenario = scenario
        self.mode = mode
        self.draft: IntakeDraft | None = None
        self.finishing = False

    def compose(self) -> ComposeResult:
        yield Static("", id="brief-title", classes="title-bar")
        with VerticalScroll(id="brief-body"):
            yield Static("", id="brief-rules")
            yield Static(desk(self.scenario, self.services.catalogue), id="desk")
        yield StatusBar()
        yield KeyBar()

    def on_mount(self) -> None:
        run = self.sandbox.start(self.scenario, self.mode)
        self.counter.refresh_bindings()
        self.query_one("#brief-title", Static).update(
            f"{_('Training')} · {title_of(self.scenario)} · {mode_label(self.mode)}"
        )
        rules = [
            _("Enter opens the intake; Ctrl+T shows this desk again from there."),
            _("Judge every paper yourself: what does not count must not be recorded."),
        ]
        if run.time_limit is not None:
            rules.insert(0, _("Exam: {limit} at most.").format(limit=clock_text(run.time_limit)))
        self.query_one("#brief-rules", Static).update("\n".join(rules) + "\n")

    # Doing the intake

    def action_intake(self) -> None:
        from counterdesk.screens.intake import IntakeScreen

        if self.finishing:
            return
        if self.draft is None:
            self.draft = IntakeDraft.new(self.officer.username, self.counter.clock.now())
        self.app.push_screen(IntakeScreen(self.draft), callback=self._intake_done)

    def _intake_done(self, case_id: str | None) -> None:
        if case_id:  # saved; without a case id the trainee came back (draft kept)
            self.finishing = True
            self.finish_case(case_id)

    @work(thread=True, exclusive=True, group="training-score", exit_on_error=False)
    def finish_case(self, case_id: str) -> None:
        try:
            finished = self.sandbox.finish_with_case(case_id, self.officer.username)
        except Exception:
            self.app.call_from_thread(setattr, self, "finishing", False)
            raise  # shown by the App's one handler
        self.app.call_from_thread(self._show_debrief, finished)

    def _show_debrief(self, finished: Finished) -> None:
        from counterdesk.screens.training.debrief import DebriefScreen

        self.counter.refresh_bindings()
        self.app.switch_screen(DebriefScreen(self.sandbox, finished, self.mode))

    # Giving up

    def action_give_up(self) -> None:
        if self.finishing:
            return
        self.give_up()

    @work(thread=True, exclusive=True, group="training-give-up", exit_on_error=False)
    def give_up(self) -> None:
        draft = self.draft
        self.sandbox.abandon(draft.id if draft is not None else "")
        self.app.call_from_thread(self._gone)

    def _gone(self) -> None:
        self.counter.refresh_bindings()
        self.dismiss(None)
