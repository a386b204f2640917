"""Every key, place by place: the key bar shows what applies now, this shows it all.

The current screen's keys come first (with those of the widgets on it), then the keys
that work everywhere, then every other place. Each line shows the key the officer really
presses (their keymap applied), what it does, and its binding id for a keymap override.
"""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Static

from counterdesk.i18n import _
from counterdesk.keymap import KeySection, key_sections, shown_keys
from counterdesk.screens.base import CounterScreen
from counterdesk.widgets.key_bar import KeyBar


def sections_for(under: Screen[object] | None) -> list[KeySection]:
    """Every place with keys, those of ``under`` (and of the widgets on it) first, then
    the keys that work everywhere, then the rest."""
    everything = key_sections()

    def on_screen(section: KeySection) -> bool:
        if under is None:
            return False
        if section.kind == "widget":
            return any(under.query(cls) for cls in section.classes)
        return section.shows_on(under)

    here = [s for s in everything if s.kind != "app" and on_screen(s)]
    everywhere = [s for s in everything if s.kind == "app"]
    rest = [s for s in everything if s not in here and s not in everywhere]
    return here + everywhere + rest


class HelpScreen(CounterScreen):
    CSS_PATH = "help.tcss"
    BINDINGS = [Binding("escape,f1", "close", "Close help", id="help.close")]

    def __init__(self, under: Screen[object] | None = None) -> None:
        super().__init__()
        self.under = under

    def compose(self) -> ComposeResult:
        yield Static(_("Keys"), classes="title-bar")
        with VerticalScroll(id="help-body"):
            for section in sections_for(self.under):
                rows = [b for b in section.bindings if b.description]
                if rows:
                    yield Static(Text(section.title, style="bold underline"), classes="help-place")
                    yield Static(self._table(rows), classes="help-keys")
            yield Static(Text(_("Also"), style="bold underline"), classes="help-place")
            yield Static(self._also(), classes="help-keys")
        yield KeyBar()

    def _new_table(self) -> Table:
        table = Table(box=None, show_header=False, padding=(0, 2), expand=True)
        table.add_column("key", style="bold", width=16, no_wrap=True)
        table.add_column("what", ratio=1)
        table.add_column("id", style="dim", no_wrap=True, width=24)
        return table

    def _table(self, bindings: list[Binding]) -> Table:
        table = self._new_table()
        for binding in bindings:
            table.add_row(shown_keys(self.app, binding), _(binding.description), binding.id)
        return table

    def _also(self) -> Table:
        table = self._new_table()
        table.add_row("Tab / Shift+Tab", _("Next / previous entry"), "")
        table.add_row(
            "Enter", _("Next entry still needed; in the item search: take the result"), ""
        )
        table.add_row("Up / Down", _("Move in lists and results"), "")
        table.add_row("ctrl+p", _("Command palette"), "")
        return table

    def action_close(self) -> None:
        self.dismiss()
