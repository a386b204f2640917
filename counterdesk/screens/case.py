"""One case, read-only: who, what, where it stands and its clock. Opening it is recorded
in the audit trail (who saw whose personal data) before anything is shown."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Static

from counterdesk.domain.cases import Case
from counterdesk.domain.cases.timelimit import read_clock
from counterdesk.domain.identity import mask_id_number
from counterdesk.i18n import _
from counterdesk.screens.base import CounterScreen
from counterdesk.screens.labels import deadline_label, outcome_label, paper_label, state_label
from counterdesk.widgets.key_bar import KeyBar
from counterdesk.widgets.status_bar import StatusBar


class CaseScreen(CounterScreen):
    BINDINGS = [Binding("escape", "back", "Queue", id="case.back")]

    def __init__(self, case_id: str) -> None:
        super().__init__()
        self.case_id = case_id
        self.case: Case | None = None

    def compose(self) -> ComposeResult:
        yield Static(_("Case"), id="case-title", classes="title-bar")
        with VerticalScroll(id="case-body"):
            yield Static(_("Opening…"), id="case-details")
        yield StatusBar()
        yield KeyBar()

    def on_mount(self) -> None:
        self.load()

    @work(thread=True, exclusive=True, group="case", exit_on_error=False)
    def load(self) -> None:
        document = self.services.open_case(self.case_id, self.officer)
        if document is None:
            self.app.call_from_thread(self.notify, _("This case is no longer here."))
            return
        case = Case.model_validate(document)
        reading = read_clock(
            case,
            self.counter.clock.today(),
            self.services.calendar(),
            self.counter.settings.warning_days,
        )
        self.app.call_from_thread(self.show, case, reading)

    def show(self, case: Case, reading: object) -> None:
        self.case = case
        self.query_one("#case-title", Static).update(
            f"{_('Case')} {case.number} · {case.target.name}"
        )
        table = Table.grid(padding=(0, 2))
        table.add_column(style="bold")
        table.add_column()
        applicant = case.applicant
        rows = [
            (_("State"), state_label(case.state.value)),
            (_("Item"), f"{case.target.code} {case.target.name}"),
            (_("Applicant"), applicant.name),
            (
                _("ID number"),
                mask_id_number(applicant.id_number)
                if applicant.id_kind == "resident_id"
                else applicant.id_number,
            ),
            (_("Received"), case.received_at.strftime("%Y-%m-%d %H:%M")),
        ]
        if case.decision is not None:
            rows.append((_("Decision"), outcome_label(case.decision.outcome)))
            if case.decision.due:
                rows.append((_("Due"), case.decision.due.isoformat()))
            if case.decision.reason:
                rows.append((_("Reason"), case.decision.reason))
        due = getattr(reading, "due", None)
        if due is not None:
            rows.append(
                (
                    _("Clock"),
                    f"{due.isoformat()} {deadline_label(getattr(reading, 'deadline', '') or '')}",
                )
            )
        if case.prints:
            rows.append(
                (
                    _("Printed"),
                    ", ".join(paper_label(p.doc.removeprefix("export:")) for p in case.prints),
                )
            )
        for label, value in rows:
            table.add_row(label, Text(str(value)))
        self.query_one("#case-details", Static).update(table)

    def action_back(self) -> None:
        self.dismiss()
