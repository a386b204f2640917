"""Officers' load at a glance (F2 on the board): each officer's open cases, how many are
due within a working day, overdue or past the five-day notice deadline, what they did
today, and the median handling time per item, from the server's statistics. Offline it
shows the last figures with their age. F8 spreads the highlighted officer's cases.
"""

from __future__ import annotations

from typing import Any

from rich.cells import cell_len
from rich.table import Table
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import DataTable, Static

from counterdesk.i18n import _
from counterdesk.screens.base import CounterScreen
from counterdesk.services.board import BoardService, BoardUnavailable, Fetched, age_text
from counterdesk.widgets.key_bar import KeyBar
from counterdesk.widgets.status_bar import StatusBar


def columns() -> list[tuple[str, str]]:
    """(figure, its title) in the officer's language."""
    return [
        ("open", _("Open now")),
        ("due_soon", _("Due 1d")),
        ("overdue", _("Overdue")),
        ("notice_past", _("5-day")),
        ("received", _("Recvd")),
        ("accepted", _("Accept")),
        ("refused", _("Refuse")),
        ("notices", _("Notice")),
        ("completed", _("Compl.")),
    ]


def fetched_line(fetched: Fetched) -> Text:
    """Where the figures come from: fresh, or kept (offline) with their age and why."""
    age = age_text(fetched.fetched_at)
    if fetched.live:
        return Text(_("Figures from the server, {age} ago.").format(age=age), style="dim")
    return Text(
        _("Offline: figures kept {age} ago. {problem}").format(age=age, problem=fetched.problem),
        style="bold yellow",
    )


class OfficersLoadScreen(CounterScreen):
    """Dismissed with the username of an absent officer to spread (F8), or None."""

    @classmethod
    def help_title(cls) -> str:
        return _("Supervisor: officers' load")

    BINDINGS = [
        Binding("f5", "reload", "Refresh", id="load.refresh"),
        Binding("f8", "absent", "Spread their cases", id="load.absent"),
        Binding("escape", "back", "Back", id="load.back"),
    ]

    def __init__(self, board: BoardService) -> None:
        super().__init__()
        self.board = board
        self.data: dict[str, Any] | None = None
        self.loads = 0

    def compose(self) -> ComposeResult:
        yield Static(_("Officers' load"), classes="title-bar")
        yield Static("", id="load-source")
        table: DataTable[Text | str] = DataTable(
            id="load-officers", cursor_type="row", zebra_stripes=True
        )
        yield table
        with VerticalScroll(id="load-items"):
            yield Static("", id="load-handling")
        yield StatusBar()
        yield KeyBar()

    def on_mount(self) -> None:
        table = self.query_one("#load-officers", DataTable)
        table.add_column(_("Officer"), key="officer", width=12)
        for key, title in columns():
            table.add_column(title, key=key, width=max(4, cell_len(title)))
        table.focus()
        self.fetch()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "absent":
            return None if self.board.server_problem() else True
        return True

    @work(thread=True, exclusive=True, group="load", exit_on_error=False)
    def fetch(self) -> None:
        try:
            fetched = self.board.load(self.counter.clock.today())
        except BoardUnavailable as exc:
            self.app.call_from_thread(self._problem, str(exc))
            return
        self.app.call_from_thread(self._show, fetched)

    def _problem(self, problem: str) -> None:
        self.query_one("#load-source", Static).update(Text(problem, style="bold red"))
        self.loads += 1

    def _show(self, fetched: Fetched) -> None:
        self.data = fetched.data
        source = fetched_line(fetched)
        source.append("  " + _("Day: {day}").format(day=fetched.data.get("day", "")))
        self.query_one("#load-source", Static).update(source)
        table = self.query_one("#load-officers", DataTable)
        table.clear()
        for officer in fetched.data.get("officers", []):
            name = officer.get("name") or officer["officer"]
            cells: list[Text | str] = [Text(name, overflow="ellipsis", no_wrap=True)]
            for key, _title in columns():
                value = int(officer.get(key, 0))
                style = "bold red" if key in ("overdue", "notice_past") and value else ""
                if key == "due_soon" and value:
                    style = "bold yellow"
                cells.append(Text(str(value), style=style, justify="right"))
            table.add_row(*cells, key=officer["officer"])
        self.query_one("#load-handling", Static).update(self._handling(fetched.data))
        self.loads += 1

    def _handling(self, data: dict[str, Any]) -> Table:
        table = Table(
            title=_(
                "Median handling time per item (receipt to completion, working days, since {day})"
            ).format(day=data.get("window_from", "")),
            title_justify="left",
            box=None,
            expand=True,
        )
        table.add_column(_("Item"), ratio=3, no_wrap=True, overflow="ellipsis")
        table.add_column(_("Completed"), justify="right")
        table.add_column(_("Median (working days)"), justify="right")
        items = data.get("items", [])
        for item in items:
            table.add_row(
                item.get("name") or item["code"], str(item["cases"]), f"{item['median_days']:g}"
            )
        if not items:
            table.add_row(_("No case was completed in this period."), "", "")
        return table

    def action_reload(self) -> None:
        self.fetch()

    def action_absent(self) -> None:
        table = self.query_one("#load-officers", DataTable)
        if self.data is None or not table.row_count:
            return
        officer = self.data["officers"][table.cursor_row]["officer"]
        self.dismiss(officer)

    def action_back(self) -> None:
        self.dismiss(None)
