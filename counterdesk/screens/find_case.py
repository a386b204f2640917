"""Find any case (Ctrl+F, from anywhere): by its number, official or provisional, the
applicant's ID number, name or phone, or the item. Results as the officer types: this
counter's cases at once, the centre's open cases on the server as soon as they arrive
(when online), and a whole number looked up on the server too. The entry keeps the
keyboard: Up/Down move in the results, Enter opens the case, Esc closes.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import DataTable, Input, Static

from counterdesk.i18n import _, bilingual, translate_bindings
from counterdesk.screens.base import CounterModal
from counterdesk.screens.labels import state_label, target_label
from counterdesk.services.find import CaseFinder, FoundCase, looks_like_number
from counterdesk.widgets.fields import TextField
from counterdesk.widgets.key_bar import KeyBar


class FindField(TextField):
    """The search entry: it keeps the keyboard and steers the results."""

    BINDINGS = [
        Binding("down", "screen.cursor(1)", "Down", show=False, id="find.down"),
        Binding("up", "screen.cursor(-1)", "Up", show=False, id="find.up"),
        Binding("pagedown", "screen.cursor(10)", "Page down", show=False, id="find.page_down"),
        Binding("pageup", "screen.cursor(-10)", "Page up", show=False, id="find.page_up"),
        Binding("enter", "submit", "Open", id="find.open"),
    ]

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        translate_bindings(self)


class FindCaseScreen(CounterModal):
    """Returns the case found (``FoundCase``), or None."""

    BINDINGS = [Binding("escape", "close", "Close", id="find.close")]

    @dataclass
    class Loaded(Message):
        where: str  # "here" or "server"
        count: int
        problem: str = ""

    @dataclass
    class Results(Message):
        query: str
        found: list[FoundCase]

    def __init__(self) -> None:
        super().__init__()
        self.finder: CaseFinder | None = None
        self.found: list[FoundCase] = []
        self.local_count: int | None = None
        self.server_note = ""
        self.searches = 0  # tests wait for a search to finish

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide", id="find-box"):
            yield Static(_("Find a case"), classes="dialog-title")
            yield FindField(placeholder=_("number, ID number, name, phone or item"), id="find")
            table: DataTable[Text | str] = DataTable(id="found", cursor_type="row")
            table.can_focus = False
            yield table
            yield Static("", id="find-note")
        yield KeyBar()

    def on_mount(self) -> None:
        self._columns()
        self.query_one("#find", Input).focus()
        services = self.services
        self.finder = CaseFinder(services.store, services.sync)
        self._note()
        self.load_local()

    @work(thread=True, exclusive=True, group="find-load", exit_on_error=False)
    def load_local(self) -> None:
        assert self.finder is not None
        count = self.finder.load_local()
        self.post_message(self.Loaded("here", count))
        online = self.services.connectivity.state().sharing_available  # the link is up
        if self.services.sync is not None and online:
            count = self.finder.load_server()
            self.post_message(self.Loaded("server", count, self.finder.server_problem))

    def on_find_case_screen_loaded(self, message: Loaded) -> None:
        if message.where == "here":
            self.local_count = message.count
        elif message.problem:
            self.server_note = _("server not searched: {reason}").format(
                reason=bilingual(message.problem)
            )
        else:
            self.server_note = _("{n} open cases of the centre on the server").format(
                n=message.count
            )
        self._note()
        self.search(self.query_one("#find", Input).value)

    def _columns(self) -> None:
        table = self.query_one("#found", DataTable)
        table.clear(columns=True)
        width = max(table.size.width or 84, 60)
        fixed = {"number": 15, "applicant": 8, "id": 18, "state": 8}
        item = max(10, width - sum(fixed.values()) - 2 * 5 - 1)
        table.add_column(_("Number"), key="number", width=fixed["number"])
        table.add_column(_("Applicant"), key="applicant", width=fixed["applicant"])
        table.add_column(_("ID number"), key="id", width=fixed["id"])
        table.add_column(_("Item"), key="item", width=item)
        table.add_column(_("State"), key="state", width=fixed["state"])

    def on_resize(self) -> None:
        self._columns()
        self._render_found()

    def _note(self) -> None:
        parts = []
        if self.local_count is None:
            parts.append(_("Reading this counter's cases…"))
        else:
            parts.append(_("{n} cases on this counter").format(n=self.local_count))
        services = self.services
        if services.sync is None:
            parts.append(_("standalone: no server"))
        elif not services.connectivity.state().sharing_available:
            parts.append(_("offline: this counter's cases only"))
        elif self.server_note:
            parts.append(self.server_note)
        self.query_one("#find-note", Static).update(Text(" · ".join(parts), style="dim"))

    # Searching

    @on(Input.Changed, "#find")
    def _typed(self, event: Input.Changed) -> None:
        self.search(event.value)

    @work(thread=True, exclusive=True, group="find", exit_on_error=False)
    def search(self, query: str) -> None:
        if self.finder is None:
            return
        found = self.finder.search(query)
        if not found and looks_like_number(query) and self.services.sync is not None:
            exact = self.finder.look_up_number(query)  # a closed case, another counter's
            found = [exact] if exact is not None else []
        self.post_message(self.Results(query, found))

    def on_find_case_screen_results(self, message: Results) -> None:
        if message.query != self.query_one("#find", Input).value:
            return  # the officer typed on meanwhile
        self.found = message.found
        self.searches += 1
        self._render_found()

    def _render_found(self) -> None:
        table = self.query_one("#found", DataTable)
        table.clear()
        for found in self.found:
            number = Text(found.number)
            if found.provisional:
                number.append("*", style="dim")
            if found.where == "server":
                number.append(" ⇄", style="cyan")
            table.add_row(
                number,
                Text(found.applicant, overflow="ellipsis", no_wrap=True),
                found.id_masked,
                Text(target_label(found.target, found.unlisted), overflow="ellipsis", no_wrap=True),
                state_label(found.state) if found.state else "",
                key=found.case_id,
            )

    def action_cursor(self, delta: int) -> None:
        table = self.query_one("#found", DataTable)
        if self.found:
            table.move_cursor(row=max(0, min(len(self.found) - 1, table.cursor_row + delta)))

    @on(Input.Submitted, "#find")
    def _open(self, event: Input.Submitted) -> None:
        event.stop()
        table = self.query_one("#found", DataTable)
        if self.found and table.cursor_row < len(self.found):
            self.dismiss(self.found[table.cursor_row])

    def action_close(self) -> None:
        self.dismiss(None)
