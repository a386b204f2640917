"""Trainees' progress (F9 on the board): scenarios done and passed, scores, and the
mistakes each makes most often, from the results training mode posts to the server. The
highlighted trainee's most common mistake is shown with the rule behind it (the training
core's own words), for the supervisor's next coaching talk.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Static

from counterdesk import i18n
from counterdesk.i18n import _
from counterdesk.screens.base import CounterScreen
from counterdesk.screens.supervisor.load import fetched_line
from counterdesk.services.board import BoardService, BoardUnavailable, Fetched
from counterdesk.widgets.key_bar import KeyBar
from counterdesk.widgets.status_bar import StatusBar


def mistake_rule(code: str) -> str:
    """The rule behind a mistake code, in the officer's language ("" if unknown)."""
    from counterdesk.domain.training.mistakes import RULES

    rule = RULES.get(code)
    if rule is None:
        return ""
    return rule.zh if i18n.current() == "zh" else rule.en


class TraineesScreen(CounterScreen):
    @classmethod
    def help_title(cls) -> str:
        return _("Supervisor: trainees' progress")

    BINDINGS = [
        Binding("f5", "reload", "Refresh", id="trainees.refresh"),
        Binding("escape", "back", "Back", id="trainees.back"),
    ]

    def __init__(self, board: BoardService) -> None:
        super().__init__()
        self.board = board
        self.trainees: list[dict[str, Any]] = []
        self.loads = 0

    def compose(self) -> ComposeResult:
        yield Static(_("Trainees' progress"), classes="title-bar")
        yield Static("", id="trainees-source")
        table: DataTable[Text | str] = DataTable(
            id="trainees-table", cursor_type="row", zebra_stripes=True
        )
        yield table
        yield Static("", id="trainees-detail")
        yield StatusBar()
        yield KeyBar()

    def on_mount(self) -> None:
        table = self.query_one("#trainees-table", DataTable)
        table.add_column(_("Trainee"), key="who", width=14)
        table.add_column(_("Done"), key="done", width=5)
        table.add_column(_("Passed"), key="passed", width=6)
        table.add_column(_("Tries"), key="tries", width=5)
        table.add_column(_("Mean"), key="mean", width=5)
        table.add_column(_("Best"), key="best", width=5)
        table.add_column(_("Last"), key="last", width=5)
        table.add_column(_("Most common mistakes"), key="mistakes", width=32)
        table.focus()
        self.fetch()

    @work(thread=True, exclusive=True, group="trainees", exit_on_error=False)
    def fetch(self) -> None:
        try:
            fetched = self.board.trainees()
        except BoardUnavailable as exc:
            self.app.call_from_thread(self._problem, str(exc))
            return
        self.app.call_from_thread(self._show, fetched)

    def _problem(self, problem: str) -> None:
        self.query_one("#trainees-source", Static).update(Text(problem, style="bold red"))
        self.loads += 1

    def _show(self, fetched: Fetched) -> None:
        self.query_one("#trainees-source", Static).update(fetched_line(fetched))
        self.trainees = list(fetched.data.get("trainees", []))
        table = self.query_one("#trainees-table", DataTable)
        table.clear()
        for trainee in self.trainees:
            mistakes = ", ".join(f"{m['code']} ×{m['count']}" for m in trainee.get("mistakes", []))
            passed = trainee["scenarios_passed"]
            table.add_row(
                Text(trainee.get("name") or trainee["username"], no_wrap=True, overflow="ellipsis"),
                str(trainee["scenarios_done"]),
                Text(str(passed), style="bold green" if passed else ""),
                str(trainee["results"]),
                f"{trainee['mean_score']:.0f}" if trainee["results"] else "—",
                f"{trainee['best_score']:.0f}" if trainee["results"] else "—",
                f"{trainee['last_score']:.0f}" if trainee["results"] else "—",
                Text(mistakes or _("none yet"), no_wrap=True, overflow="ellipsis"),
                key=trainee["username"],
            )
        if not self.trainees:
            self.query_one("#trainees-detail", Static).update(
                _("No trainee and no training result yet.")
            )
        else:
            self._detail(0)
        self.loads += 1

    @on(DataTable.RowHighlighted, "#trainees-table")
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._detail(event.cursor_row)

    def _detail(self, index: int) -> None:
        if not 0 <= index < len(self.trainees):
            return
        trainee = self.trainees[index]
        text = Text()
        if trainee["results"]:
            text.append(
                _("Last: {exercise}, {score:.0f} points.").format(
                    exercise=trainee["last_exercise"], score=trainee["last_score"]
                )
            )
        mistakes = trainee.get("mistakes", [])
        if mistakes:
            text.append("\n" + mistakes[0]["code"] + ": ", style="bold")
            text.append(mistake_rule(mistakes[0]["code"]))
        self.query_one("#trainees-detail", Static).update(text)

    def action_reload(self) -> None:
        self.fetch()

    def action_back(self) -> None:
        self.dismiss()
