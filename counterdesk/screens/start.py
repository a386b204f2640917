"""The first screen: while the local store opens, and where a problem opening it is told."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Center, Vertical
from textual.widgets import Static

from counterdesk import __version__
from counterdesk.i18n import _
from counterdesk.screens.base import CounterScreen
from counterdesk.widgets.key_bar import KeyBar
from counterdesk.widgets.status_bar import StatusBar


class StartScreen(CounterScreen):
    def compose(self) -> ComposeResult:
        with Center(id="start-box"):
            with Vertical(classes="dialog"):
                yield Static(_("counterdesk"), classes="dialog-title")
                yield Static(
                    _("All-in-one counter · one visit at most") + f"  v{__version__}",
                    classes="dialog-body",
                )
                yield Static(_("Opening the local store…"), id="start-message")
        yield StatusBar()
        yield KeyBar()

    def on_mount(self) -> None:
        if self.counter.opening_error:
            self.show_problem(self.counter.opening_error)

    def show_problem(self, reason: str) -> None:
        message = self.query_one("#start-message", Static)
        message.update(_("The counter cannot start: {reason}").format(reason=reason))
        message.add_class("error")
