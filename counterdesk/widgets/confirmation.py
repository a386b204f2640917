"""A yes/no question as a modal that returns its answer with ``dismiss`` (posting's
confirmation pattern): Enter answers yes, Escape no."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from counterdesk.i18n import _, translate_bindings
from counterdesk.widgets.key_bar import KeyBar


class ConfirmationModal(ModalScreen[bool]):
    BINDINGS = [
        Binding("enter", "answer(True)", "Yes", id="confirm.yes"),
        Binding("escape", "answer(False)", "No", id="confirm.no"),
    ]

    def __init__(self, title: str, body: str, yes: str = "", no: str = "") -> None:
        super().__init__()
        translate_bindings(self)
        self._title = title
        self._body = body
        self._yes = yes
        self._no = no

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(self._title, classes="dialog-title")
            yield Static(self._body, classes="dialog-body")
            yield Static(
                f"Enter {self._yes or _('Yes')}    Esc {self._no or _('No')}",
                classes="dialog-keys",
            )
        yield KeyBar()

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)
