"""The case view's small questions: a reason (to withdraw or terminate a case), and which
paper to print again. Each modal returns its answer with ``dismiss`` (None: go back)."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from counterdesk.forms.paper import DocKind
from counterdesk.i18n import _
from counterdesk.screens.base import CounterModal
from counterdesk.screens.labels import paper_label
from counterdesk.services.case_record import PaperRow
from counterdesk.widgets.fields import FieldRow
from counterdesk.widgets.key_bar import KeyBar


class ReasonModal(CounterModal):
    """A move that needs its reason on record: Enter confirms, Esc goes back."""

    BINDINGS = [Binding("escape", "cancel", "Back", id="reason.cancel")]

    def __init__(self, title: str, body: str, confirm: str, reason: str = "") -> None:
        super().__init__()
        self._title = title
        self._body = body
        self._confirm = confirm
        self._reason = reason

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(self._title, classes="dialog-title")
            yield Static(self._body, classes="dialog-body")
            yield FieldRow(_("Reason"), "reason", value=self._reason, required=True)
            yield Static(self._confirm, classes="dialog-keys")
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one("#reason", Input).focus()

    @on(Input.Submitted, "#reason")
    def _confirmed(self, event: Input.Submitted) -> None:
        event.stop()
        reason = event.value.strip()
        if not reason:
            self.query_one("#row-reason", FieldRow).show_note(_("Required."))
            return
        self.dismiss(reason)

    def action_cancel(self) -> None:
        self.dismiss(None)


class PapersModal(CounterModal):
    """The papers that fit the case: Enter prints the highlighted one (again)."""

    BINDINGS = [Binding("escape", "cancel", "Back", id="papers.cancel")]

    def __init__(self, papers: tuple[PaperRow, ...]) -> None:
        super().__init__()
        self._papers = papers

    def compose(self) -> ComposeResult:
        options = []
        for row in self._papers:
            times = (
                _("printed {n} times").format(n=row.printed) if row.printed else _("not printed")
            )
            options.append(Option(f"{paper_label(row.doc.value)}  · {times}", id=row.doc.value))
        with Vertical(classes="dialog"):
            yield Static(_("Print a paper again"), classes="dialog-title")
            yield OptionList(*options, id="papers")
            yield Static(
                _("Enter prints it; a paper printed before is recorded as a reprint."),
                classes="dialog-keys",
            )
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one("#papers", OptionList).focus()

    @on(OptionList.OptionSelected, "#papers")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(DocKind(str(event.option.id)))

    def action_cancel(self) -> None:
        self.dismiss(None)
