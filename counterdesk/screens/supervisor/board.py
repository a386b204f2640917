"""The supervisor board (mode "supervisor", Ctrl+B): every open case of the centre with its
officer, item, applicant (masked), state, time limit and age; cases at risk on top; a
filter that narrows as the supervisor types; views by officer and by department; live
from the change feed.

The cases are the supervisor's local copies, which the sync keeps (every open case of the
centre for a supervisor): the board repaints the cases each sync changed, and offline it
shows what it last had, with its age. What needs the server (reassigning) is greyed then,
and the line under the title says why.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from dataclasses import dataclass

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.reactive import reactive
from textual.widgets import Input, Static

from counterdesk.i18n import _, translate_bindings
from counterdesk.screens.base import CounterScreen
from counterdesk.screens.supervisor.labels import grouping_label, risk_label, sort_label
from counterdesk.screens.supervisor.table import BoardTable, header_text
from counterdesk.services.board import BoardService, age_text
from counterdesk.services.board_rows import (
    GROUPINGS,
    SORT_KEYS,
    BoardRow,
    BoardRows,
    Grouping,
    SortKey,
    board_lines,
    risk_counts,
)
from counterdesk.widgets.fields import TextField
from counterdesk.widgets.key_bar import KeyBar
from counterdesk.widgets.status_bar import StatusBar

POLL_S = 2.0  # while the board shows, the sync asks the change feed this often
TICK_S = 1.0


class BoardFilter(TextField):
    """The board's filter: it keeps the keyboard and steers the table."""

    BINDINGS = [
        Binding("enter", "submit", "Open", id="board.open"),
        Binding("down", "screen.cursor(1)", "Down", show=False, id="board.down"),
        Binding("up", "screen.cursor(-1)", "Up", show=False, id="board.up"),
        Binding("pagedown", "screen.cursor(10)", "Page down", show=False, id="board.page_down"),
        Binding("pageup", "screen.cursor(-10)", "Page up", show=False, id="board.page_up"),
    ]

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        translate_bindings(self)


class BoardScreen(CounterScreen):
    @classmethod
    def help_title(cls) -> str:
        return _("Supervisor board")

    BINDINGS = [
        Binding("f2", "load", "Officers' load", id="board.load"),
        Binding("f3", "group(1)", "View", id="board.group"),
        Binding("shift+f3", "group(-1)", "Previous view", show=False, id="board.group_back"),
        Binding("f4", "sort", "Sort", id="board.sort"),
        Binding("f5", "reload", "Refresh", id="board.refresh"),
        Binding("f6", "mark", "Mark", id="board.mark"),
        Binding("shift+f6", "mark_all", "Mark all shown", id="board.mark_all"),
        Binding("f7", "reassign", "Reassign", id="board.reassign"),
        Binding("f8", "absent", "Absent officer", id="board.absent"),
        Binding("f9", "trainees", "Trainees", id="board.trainees"),
        Binding("f10", "report", "Daily report", id="board.report"),
        Binding("escape", "clear", "Clear filter", id="board.clear"),
    ]

    grouping: reactive[Grouping] = reactive(Grouping.NONE)
    sort: reactive[SortKey] = reactive(SortKey.URGENCY)
    server_problem: reactive[str] = reactive("", bindings=True)

    @dataclass
    class CasesChanged(Message):
        """A sync changed local copies (posted from the sync thread)."""

        rows: list[BoardRow]
        closed: dict[str, int]
        arrived_at: float  # time.perf_counter() when the sync reported them

    def __init__(self) -> None:
        super().__init__()
        self.model = BoardRows()
        self.loaded = False
        self.day: dt.date | None = None
        self.paints = 0  # tests and the bench wait for a repaint
        self.last_change_ms: float | None = None  # change reported -> board repainted
        self.last_paint_at = 0.0  # time.perf_counter() of the last repaint
        self._board: BoardService | None = None
        self._unsubscribe: Callable[[], None] | None = None

    @property
    def board(self) -> BoardService:
        if self._board is None:
            self._board = BoardService(self.services)
        return self._board

    def compose(self) -> ComposeResult:
        yield Static("", id="board-title", classes="title-bar")
        yield Static("", id="board-views")
        yield Static("", id="board-offline")
        yield BoardFilter(
            placeholder=_("Filter: number, officer, item, department, applicant…"),
            id="board-filter",
        )
        yield Static("", id="board-header")
        yield BoardTable(id="board-table")
        yield Static("", id="board-empty")
        yield Static("", id="board-detail")
        yield StatusBar()
        yield KeyBar()

    def on_mount(self) -> None:
        runner = self.services.sync
        if runner is not None:
            self._unsubscribe = runner.on_arrivals(self._arrived)
        self.query_one("#board-filter", Input).focus()
        self.set_interval(TICK_S, self.tick)
        self.set_interval(POLL_S, self.poll)
        self.tick()
        self.load_all(self.model.changes, names=True)

    def on_unmount(self) -> None:
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None

    def on_screen_resume(self) -> None:
        if self.loaded and self.day != self.counter.clock.today():
            self.load_all(self.model.changes)  # a new day: every clock moved on
        self.tick()

    # Loading: every open case once, then what each sync changes

    @work(thread=True, exclusive=True, group="board-load", exit_on_error=False)
    def load_all(self, started: int, names: bool = False) -> None:
        if names:
            try:
                self.board.officers()  # names for the rows; kept for offline
            except Exception as exc:  # no server, offline and nothing kept: usernames then
                self.app.call_from_thread(self._say_problem, str(exc))
        rows = self.board.all_rows()
        day = self.counter.clock.today()
        self.app.call_from_thread(self._loaded, rows, started, day)

    def _loaded(self, rows: list[BoardRow], started: int, day: dt.date) -> None:
        self.model.replace_all(rows, started)
        self.day = day
        first = not self.loaded
        self.loaded = True
        self.show_board()
        if first:
            self.board.wake_sync()

    def _arrived(self, case_ids: list[str]) -> None:
        """On the sync thread: the rows of the cases it changed, to the UI thread."""
        reported = time.perf_counter()
        rows, closed = self.board.rows_of(case_ids)
        self.post_message(self.CasesChanged(rows, closed, reported))

    def on_board_screen_cases_changed(self, message: CasesChanged) -> None:
        if self.model.apply(message.rows, message.closed) and self.loaded:
            self.show_board(changed_at=message.arrived_at)

    # Drawing

    def show_board(self, changed_at: float | None = None) -> None:
        table = self.query_one(BoardTable)
        text = self.query_one("#board-filter", Input).value
        current = table.current
        rows = self.model.rows
        table.marked &= set(rows)
        table.show(
            board_lines(rows.values(), self.grouping, self.sort, text),
            keep=current.key if current else None,
        )
        self.query_one("#board-header", Static).update(header_text(table.columns))
        empty = self.query_one("#board-empty", Static)
        empty.display = not table.lines
        empty.update(_("No open cases.") if not text else _("Nothing matches the filter."))
        self._views()
        self._detail()
        self._title()
        self.call_after_refresh(self._painted, changed_at)

    def _painted(self, changed_at: float | None) -> None:
        self.paints += 1
        self.last_paint_at = time.perf_counter()
        if changed_at is not None:
            self.last_change_ms = (time.perf_counter() - changed_at) * 1000

    def _views(self) -> None:
        table = self.query_one(BoardTable)
        bar = Text(no_wrap=True, overflow="ellipsis")
        for grouping in GROUPINGS:
            label = f" {grouping_label(grouping)} "
            bar.append(label, style="reverse bold" if grouping is self.grouping else "")
            bar.append("│", style="dim")
        bar.append(" " + _("Sort: {key}").format(key=sort_label(self.sort)) + " │")
        counts = risk_counts(self.model.rows.values())
        for risk in ("notice_past", "overdue", "due_soon"):
            if counts[risk]:
                bar.append(f" {risk_label(risk)} {counts[risk]}", style="bold red")
        if table.marked:
            bar.append(" │ " + _("{n} marked").format(n=len(table.marked)), style="bold cyan")
        self.query_one("#board-views", Static).update(bar)

    def _detail(self) -> None:
        row = self.query_one(BoardTable).current
        line = Text(no_wrap=True, overflow="ellipsis")
        if row is not None:
            parts = [
                row.number,
                row.applicant,
                row.applicant_id,
                row.phone,
                _("received {time}").format(time=row.received_at[5:16].replace("T", " ")),
                row.department_name,
                f"{row.officer_name} ({row.officer})" if row.officer_name else row.officer,
            ]
            line.append(" · ".join(p for p in parts if p))
            if row.at_risk:
                line.append("  " + risk_label(row.risk), style="bold red")
        self.query_one("#board-detail", Static).update(line)

    def _title(self) -> None:
        counter = self.counter
        as_of = self.board.data_as_of() if self._board is not None else None
        parts = [
            _("Supervisor board"),
            counter.settings.centre_name or (self.officer.centre if counter.officer else ""),
            counter.clock.today().isoformat(),
            _("{n} open").format(n=len(self.model.rows)),
            _("data {age} old").format(age=age_text(as_of)) if as_of else _("not synced yet"),
        ]
        self.query_one("#board-title", Static).update(" · ".join(p for p in parts if p))

    def _say_problem(self, problem: str) -> None:
        self.query_one("#board-offline", Static).update(Text(problem, style="yellow"))

    # Every second: the age of the data and whether the server can be asked

    def tick(self) -> None:
        problem = self.board.server_problem()
        self.server_problem = problem
        line = self.query_one("#board-offline", Static)
        line.display = bool(problem)
        if problem:
            as_of = self.board.data_as_of()
            age = age_text(as_of)
            line.update(
                Text(
                    _(
                        "{problem} Showing the cases as of {age} ago; reassigning needs the server."
                    ).format(problem=problem, age=age),
                    style="bold yellow",
                )
            )
        if self.loaded:
            self._title()
            if self.day != self.counter.clock.today():
                self.load_all(self.model.changes)
        synced = self.board.sync_to_note()
        if synced is not None:
            self.note_synced(synced)

    @work(thread=True, exclusive=True, group="board-note", exit_on_error=False)
    def note_synced(self, synced: dt.datetime) -> None:
        self.board.note_synced(synced)

    def poll(self) -> None:
        if self.is_current and self.loaded:
            self.board.wake_sync()

    # Keys

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("reassign", "absent"):
            return None if self.server_problem else True
        return True

    def action_cursor(self, delta: int) -> None:
        self.query_one(BoardTable).move(delta)
        self._detail()

    def action_group(self, step: int) -> None:
        index = GROUPINGS.index(self.grouping)
        self.grouping = GROUPINGS[(index + step) % len(GROUPINGS)]

    def action_sort(self) -> None:
        self.sort = SORT_KEYS[(SORT_KEYS.index(self.sort) + 1) % len(SORT_KEYS)]

    def watch_grouping(self) -> None:
        if self.loaded:
            self.show_board()

    def watch_sort(self) -> None:
        if self.loaded:
            self.show_board()

    @on(Input.Changed, "#board-filter")
    def _filtered(self) -> None:
        if self.loaded:
            self.show_board()

    def action_reload(self) -> None:
        self.load_all(self.model.changes, names=True)
        self.board.wake_sync()

    def action_mark(self) -> None:
        table = self.query_one(BoardTable)
        table.toggle_mark()
        table.move(1)
        self._views()
        self._detail()

    def action_mark_all(self) -> None:
        self.query_one(BoardTable).mark_all()
        self._views()

    def action_clear(self) -> None:
        field = self.query_one("#board-filter", Input)
        if field.value:
            field.value = ""
        else:
            self.query_one(BoardTable).marked.clear()
            self.show_board()

    @on(Input.Submitted, "#board-filter")
    def _open(self, event: Input.Submitted) -> None:
        event.stop()
        row = self.query_one(BoardTable).current
        if row is not None:
            from counterdesk.screens.case import CaseScreen

            self.app.push_screen(CaseScreen(row.key))

    def marked_rows(self) -> list[BoardRow]:
        """The marked cases, else the one under the cursor."""
        table = self.query_one(BoardTable)
        marked = [self.model.rows[key] for key in table.marked if key in self.model.rows]
        if marked:
            return sorted(marked, key=lambda row: row.key)
        return [table.current] if table.current is not None else []

    def action_reassign(self) -> None:
        from counterdesk.screens.supervisor.reassign import ReassignModal

        rows = self.marked_rows()
        if not rows:
            self.notify(_("Nothing to reassign: no case is marked or under the cursor."))
            return
        self.app.push_screen(ReassignModal(self.board, cases=rows), callback=self._reassigned)

    def action_absent(self) -> None:
        from counterdesk.screens.supervisor.reassign import AbsentModal

        current = self.query_one(BoardTable).current
        self.app.push_screen(
            AbsentModal(self.board, current.officer if current else ""),
            callback=self._absent_chosen,
        )

    def _absent_chosen(self, officer: str | None) -> None:
        from counterdesk.screens.supervisor.reassign import ReassignModal

        if officer:
            self.app.push_screen(
                ReassignModal(self.board, from_officer=officer), callback=self._reassigned
            )

    def _reassigned(self, result: dict[str, object] | None) -> None:
        if not result:
            return
        self.query_one(BoardTable).marked.clear()
        self.show_board()
        self.board.wake_sync()

    def action_load(self) -> None:
        from counterdesk.screens.supervisor.load import OfficersLoadScreen

        self.app.push_screen(OfficersLoadScreen(self.board), callback=self._absent_chosen)

    def action_trainees(self) -> None:
        from counterdesk.screens.supervisor.trainees import TraineesScreen

        self.app.push_screen(TraineesScreen(self.board))

    def action_report(self) -> None:
        from counterdesk.screens.supervisor.report import ReportScreen

        self.app.push_screen(ReportScreen(self.board))
