"""Every key, screen by screen: the footer shows what applies now, this shows it all."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Static

from counterdesk.i18n import _
from counterdesk.screens.base import CounterScreen
from counterdesk.widgets.key_bar import KeyBar


def sections() -> list[tuple[str, type, list[Binding]]]:
    """(title, class, its bindings) for every screen and widget with keys of its own."""
    from counterdesk.app import CounterApp
    from counterdesk.screens.case import CaseScreen
    from counterdesk.screens.decisions import DecisionModal, ReceiveModal
    from counterdesk.screens.intake import IntakeScreen
    from counterdesk.screens.login import LockScreen, LoginScreen
    from counterdesk.screens.queue import FilterField, QueueScreen
    from counterdesk.screens.setup import SetupScreen
    from counterdesk.widgets.checklist_table import ChecklistTable
    from counterdesk.widgets.confirmation import ConfirmationModal
    from counterdesk.widgets.item_search import SearchField

    def own(cls: type) -> list[Binding]:
        return [b for b in cls.__dict__.get("BINDINGS", []) if isinstance(b, Binding)]

    return [
        (_("Everywhere"), CounterApp, own(CounterApp)),
        (_("Queue"), QueueScreen, own(QueueScreen) + own(FilterField)),
        (_("Intake"), IntakeScreen, own(IntakeScreen) + own(SearchField)),
        (_("Checklist (when it has the cursor)"), ChecklistTable, own(ChecklistTable)),
        (_("Decision dialogs"), DecisionModal, own(DecisionModal) + own(ReceiveModal)),
        (_("Questions"), ConfirmationModal, own(ConfirmationModal)),
        (_("Case"), CaseScreen, own(CaseScreen)),
        (_("Locked screen"), LockScreen, own(LockScreen)),
        (_("Sign in"), LoginScreen, own(LoginScreen)),
        (_("First run"), SetupScreen, own(SetupScreen)),
    ]


class HelpScreen(CounterScreen):
    BINDINGS = [Binding("escape,f1", "close", "Close help", id="help.close")]

    def __init__(self, under: Screen[object] | None = None) -> None:
        super().__init__()
        self.under = type(under) if under is not None else None

    def compose(self) -> ComposeResult:
        yield Static(_("Keys"), classes="title-bar")
        with VerticalScroll(id="help-body"):
            yield Static(self._table(), id="help-keys")
        yield KeyBar()

    def _table(self) -> Table:
        table = Table(box=None, show_header=False, padding=(0, 2), expand=True)
        table.add_column("key", style="bold", width=14, no_wrap=True)
        table.add_column("what")
        ordered = sorted(sections(), key=lambda s: s[1] is not self.under)
        for title, _cls, bindings in ordered:
            table.add_row(Text(title, style="bold underline"), "")
            for binding in bindings:
                if not binding.description:
                    continue
                table.add_row(self.app.get_key_display(binding), _(binding.description))
            table.add_row("", "")
        table.add_row(Text(_("Also"), style="bold underline"), "")
        table.add_row("Tab / Shift+Tab", _("Next / previous entry"))
        table.add_row("Enter", _("Next entry still needed; in the item search: take the result"))
        table.add_row("Up / Down", _("Move in lists and results"))
        table.add_row("ctrl+p", _("Command palette"))
        return table

    def action_close(self) -> None:
        self.dismiss()
