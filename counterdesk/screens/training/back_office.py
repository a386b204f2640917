"""The sandbox back office's dialog: the department's decision on one practice case,
approve or reject, and its text (the reason a rejection needs). Returns ``(approve, text)``
or None when the trainee goes back."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, RadioButton, RadioSet, Static

from counterdesk.i18n import _
from counterdesk.screens.base import CounterModal
from counterdesk.widgets.fields import FieldRow
from counterdesk.widgets.key_bar import KeyBar


class BackOfficeModal(CounterModal):
    @classmethod
    def help_title(cls) -> str:
        return _("Training: the back office's decision")

    BINDINGS = [Binding("escape", "cancel", "Back", id="training.back_office_cancel")]

    def __init__(self, number: str, item: str) -> None:
        super().__init__()
        self._about = " · ".join(part for part in (number, item) if part)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(_("Back office (training)"), classes="dialog-title")
            yield Static(
                _("Decide this practice case as its department would: {case}.").format(
                    case=self._about
                ),
                classes="dialog-body",
            )
            with RadioSet(id="verdict"):
                yield RadioButton(_("Approve"), value=True)
                yield RadioButton(_("Reject"))
            yield FieldRow(_("Decision text"), "text", required=True)
            yield Static(
                _("Enter in the decision text saves it: the result then waits for issuance."),
                classes="dialog-keys",
            )
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one("#verdict", RadioSet).focus()

    def action_cancel(self) -> None:
        self.dismiss(None)

    @on(Input.Submitted, "#text")
    def _confirm(self, event: Input.Submitted) -> None:
        event.stop()
        text = event.value.strip()
        if not text:
            self.query_one("#row-text", FieldRow).show_note(_("Required."))
            return
        approve = self.query_one("#verdict", RadioSet).pressed_index != 1
        self.dismiss((approve, text))
