"""The daily centre report (F10 on the board): per officer and per department, the day's
received, accepted, notices, refused and completed, and the open cases now; exported as
a PDF paper (F6) and a CSV file (F7). F3 / Shift+F3 go a day back and forth. Offline it
shows the last report it had, with its age; exporting works on what is shown.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Static

from counterdesk.i18n import _
from counterdesk.screens.base import CounterScreen
from counterdesk.screens.supervisor.load import fetched_line
from counterdesk.services.board import BoardService, BoardUnavailable, Fetched
from counterdesk.widgets.key_bar import KeyBar
from counterdesk.widgets.status_bar import StatusBar


def figure_titles() -> list[tuple[str, str]]:
    return [
        ("received", _("Recvd")),
        ("accepted", _("Accept")),
        ("notices", _("Notice")),
        ("refused", _("Refuse")),
        ("completed", _("Compl.")),
        ("open", _("Open now")),
        ("due_soon", _("Due 1d")),
        ("overdue", _("Overdue")),
    ]


def report_table(
    title: str, first: str, rows: list[dict[str, Any]], totals: dict[str, Any] | None
) -> Table:
    table = Table(title=title, title_justify="left", box=None, expand=True, pad_edge=False)
    table.add_column(first, ratio=3, no_wrap=True, overflow="ellipsis")
    for _key, heading in figure_titles():
        table.add_column(heading, justify="right")
    for row in rows:
        name = row.get("name") or row.get("code") or ""
        table.add_row(name, *(_cell(row, key) for key, _h in figure_titles()))
    if not rows:
        table.add_row(_("nothing on this day"), *([""] * len(figure_titles())))
    if totals is not None:
        table.add_row(
            Text(_("Total"), style="bold"),
            *(_cell(totals, key, "bold") for key, _h in figure_titles()),
        )
    return table


def _cell(row: dict[str, Any], key: str, style: str = "") -> Text:
    value = int(row.get(key) or 0)
    if key == "overdue" and value:
        style = "bold red"
    return Text(str(value), style=style)


class ReportScreen(CounterScreen):
    @classmethod
    def help_title(cls) -> str:
        return _("Supervisor: daily centre report")

    BINDINGS = [
        Binding("f3", "day(-1)", "Day before", id="report.previous"),
        Binding("shift+f3", "day(1)", "Day after", id="report.next"),
        Binding("f5", "reload", "Refresh", id="report.refresh"),
        Binding("f6", "export('pdf')", "Export PDF", id="report.pdf"),
        Binding("f7", "export('csv')", "Export CSV", id="report.csv"),
        Binding("escape", "back", "Back", id="report.back"),
    ]

    def __init__(self, board: BoardService) -> None:
        super().__init__()
        self.board = board
        self.day: dt.date = dt.date.min
        self.report: dict[str, Any] | None = None
        self.exported: list[str] = []  # tests read where files went
        self.loads = 0

    def compose(self) -> ComposeResult:
        yield Static(_("Daily centre report"), id="report-title", classes="title-bar")
        yield Static("", id="report-source")
        with VerticalScroll(id="report-body"):
            yield Static("", id="report-tables")
        yield Static("", id="report-message")
        yield StatusBar()
        yield KeyBar()

    def on_mount(self) -> None:
        self.day = self.counter.clock.today()
        self.query_one("#report-body").focus()
        self.fetch(self.day)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "export":
            return None if self.report is None else True
        return True

    @work(thread=True, exclusive=True, group="report", exit_on_error=False)
    def fetch(self, day: dt.date) -> None:
        try:
            fetched = self.board.report(day)
        except BoardUnavailable as exc:
            self.app.call_from_thread(self._problem, str(exc))
            return
        self.app.call_from_thread(self._show, fetched)

    def _problem(self, problem: str) -> None:
        self.query_one("#report-source", Static).update(Text(problem, style="bold red"))
        self.loads += 1

    def _show(self, fetched: Fetched) -> None:
        report = fetched.data
        self.report = report
        self.refresh_bindings()
        title = " · ".join(
            p
            for p in (_("Daily centre report"), report.get("centre_name", ""), str(report["day"]))
            if p
        )
        self.query_one("#report-title", Static).update(title)
        source = fetched_line(fetched)
        if str(report["day"]) != self.day.isoformat():
            source.append(
                "  " + _("(this is the report of {day})").format(day=report["day"]),
                style="bold yellow",
            )
        self.query_one("#report-source", Static).update(source)
        tables = Group(
            report_table(_("Per officer"), _("Officer"), report.get("officers", []), None),
            Text(""),
            report_table(
                _("Per department"),
                _("Department"),
                report.get("departments", []),
                report.get("totals"),
            ),
            Text(
                _("Open, due within a working day and overdue: as of when the report was made."),
                style="dim",
            ),
        )
        self.query_one("#report-tables", Static).update(tables)
        self.loads += 1

    def action_day(self, step: int) -> None:
        self.day = self.day + dt.timedelta(days=step)
        self.fetch(self.day)

    def action_reload(self) -> None:
        self.fetch(self.day)

    def action_export(self, kind: str) -> None:
        if self.report is not None:
            self.export(dict(self.report), kind)

    @work(thread=True, group="report-export", exit_on_error=False)
    def export(self, report: dict[str, Any], kind: str) -> None:
        from counterdesk.services.board_export import write_report

        services = self.services
        path = write_report(report, services.settings, services.data_dir, kind)
        self.app.call_from_thread(self._exported, str(path))

    def _exported(self, path: str) -> None:
        self.exported.append(path)
        self.query_one("#report-message", Static).update(_("Written to {path}").format(path=path))
        self.notify(_("Written to {path}").format(path=path), title=_("Exported"))

    def action_back(self) -> None:
        self.dismiss()
