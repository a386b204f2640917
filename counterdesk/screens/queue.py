"""Home: this officer's open cases, most urgent first, with the clock that runs on each
(normal, warning, overdue), views by state and a filter that narrows as the officer types.

The filter always has the keyboard: letters narrow the list, Up/Down move the cursor,
Enter opens the case (or resumes an unfinished intake), F-keys do the rest.
"""

from __future__ import annotations

from rich.console import Console, ConsoleOptions, RenderResult
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.reactive import reactive
from textual.widgets import DataTable, Input, Static

from counterdesk.i18n import _, translate_bindings
from counterdesk.messages import SyncFinished
from counterdesk.screens.base import CounterScreen
from counterdesk.screens.labels import (
    due_label,
    remaining_label,
    state_label,
    target_label,
    view_label,
)
from counterdesk.services.drafts import IntakeDraft
from counterdesk.services.queue import VIEW_ORDER, QueueRow, QueueView, counts_by_view, matches
from counterdesk.widgets.fields import TextField
from counterdesk.widgets.key_bar import KeyBar
from counterdesk.widgets.status_bar import StatusBar

STATUS_STYLE = {"overdue": "bold red", "warning": "bold yellow", "stopped": "dim", "normal": ""}
COLUMNS = ("number", "item", "applicant", "state", "due", "left")


class QueueCell:
    """One cell of the case table, made into text only when it is drawn: a queue of
    hundreds shows some twenty rows at a time (columns have fixed widths, so the table
    measures nothing)."""

    __slots__ = ("column", "number_width", "row")

    def __init__(self, row: QueueRow, column: str, number_width: int) -> None:
        self.row, self.column, self.number_width = row, column, number_width

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        yield self.text()

    def text(self) -> Text:
        row, column = self.row, self.column
        if column == "number":
            number = Text(
                _number_shown(row, self.number_width - 1),  # room for the provisional mark
                style="italic" if row.is_draft else "",
            )
            if row.provisional:
                number.append("*", style="dim")
            return number
        if column == "item":
            return Text(target_label(row.target, row.unlisted), overflow="ellipsis", no_wrap=True)
        if column == "applicant":
            return Text(row.applicant, overflow="ellipsis", no_wrap=True)
        style = STATUS_STYLE.get(row.status, "")
        if column == "state":
            return Text(state_label(row.state), style=style)
        return Text(due_label(row) if column == "due" else remaining_label(row), style=style)


class FilterField(TextField):
    """The queue's filter: it keeps the keyboard and steers the table."""

    BINDINGS = [
        Binding("enter", "submit", "Open", id="queue.open"),
        Binding("down", "screen.cursor(1)", "Down", show=False, id="queue.down"),
        Binding("up", "screen.cursor(-1)", "Up", show=False, id="queue.up"),
        Binding("pagedown", "screen.cursor(10)", "Page down", show=False, id="queue.page_down"),
        Binding("pageup", "screen.cursor(-10)", "Page up", show=False, id="queue.page_up"),
    ]

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        translate_bindings(self)


class QueueScreen(CounterScreen):
    BINDINGS = [
        Binding("f2", "new_intake", "New intake", id="queue.new"),
        Binding("f3", "next_view", "View", id="queue.next_view"),
        Binding("shift+f3", "previous_view", "Previous view", show=False, id="queue.prev_view"),
        Binding("f5", "reload", "Refresh", id="queue.refresh"),
        Binding("escape", "clear_filter", "Clear filter", id="queue.clear"),
    ]

    view: reactive[QueueView] = reactive(QueueView.ALL)

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[QueueRow] = []
        self.shown: list[QueueRow] = []
        self.loaded = False
        self.number_width = 15  # set with the columns
        self._widths: dict[str, int] = {}
        self._offered_drafts = False
        self._away = True  # not the current screen (yet)

    def compose(self) -> ComposeResult:
        yield Static("", id="queue-title", classes="title-bar")
        yield Static("", id="views")
        yield FilterField(placeholder=_("Filter: number, item, applicant…"), id="filter")
        table: DataTable[Text | str] = DataTable(id="cases", cursor_type="row", zebra_stripes=True)
        table.can_focus = False
        yield table
        yield Static("", id="queue-empty")
        yield StatusBar()
        yield KeyBar()

    def on_mount(self) -> None:
        clock = self.counter.clock
        self.query_one("#queue-title", Static).update(
            " · ".join(
                part
                for part in (
                    _("My cases"),
                    self.officer.label,
                    self.counter.settings.counter_name,
                    clock.today().isoformat(),
                )
                if part
            )
        )
        self._columns()
        self.query_one("#filter", Input).focus()

    def on_screen_suspend(self) -> None:
        self._away = True

    def on_screen_resume(self) -> None:
        # Read again each time the officer comes back (Textual may say "resume" twice).
        if not self._away:
            return
        self._away = False
        first = None if self.in_training else self.counter.take_first_queue(self.officer)
        if first is not None:
            self.show_rows(first)  # read with the sign-in: in the first frame
        else:
            self.load()

    def _columns(self) -> None:
        table = self.query_one("#cases", DataTable)
        table.clear(columns=True)
        widths = self._widths = self._column_widths()
        self.number_width = widths["number"]
        labels = {
            "number": _("Number"),
            "item": _("Item"),
            "applicant": _("Applicant"),
            "state": _("State"),
            "due": _("Due"),
            "left": _("Left"),
        }
        for column in COLUMNS:
            table.add_column(labels[column], key=column, width=widths[column])

    def _column_widths(self) -> dict[str, int]:
        # Before the first layout the screen has no size yet: the terminal's is the same.
        return _column_widths(max(self.size.width or self.app.size.width, 80))

    def on_resize(self) -> None:
        # The first layout sends a resize too: the rows are rebuilt only if columns change.
        if self.loaded and self._column_widths() != self._widths:
            self._columns()
            self.render_rows()

    # Loading

    @work(thread=True, exclusive=True, group="queue", exit_on_error=False)
    def load(self) -> None:
        rows = self.services.queue_rows(self.officer)
        self.app.call_from_thread(self.show_rows, rows)

    def action_reload(self) -> None:
        self.load()

    def on_sync_finished(self, message: SyncFinished) -> None:
        """A sync may have brought cases (a department's result): read the queue again."""
        if self.loaded and not self.services._closed:  # not as the counter closes
            self.load()

    def show_rows(self, rows: list[QueueRow]) -> None:
        first = not self.loaded
        if not first and rows == self.rows:
            return  # nothing changed (most syncs bring nothing)
        self.rows = rows
        self.loaded = True
        self.render_rows()
        if first:
            self.call_after_refresh(self.counter.queue_shown)
        self.counter.refresh_status()
        if not self._offered_drafts:
            self._offered_drafts = True
            drafts = [row for row in rows if row.is_draft]
            if drafts:
                self.offer_draft(drafts[0])

    def render_rows(self) -> None:
        text = self.query_one("#filter", Input).value
        table = self.query_one("#cases", DataTable)
        current = self.current_row()
        self.shown = [row for row in self.rows if matches(row, self.view, text)]
        table.clear()
        width = self.number_width
        for row in self.shown:
            table.add_row(*(QueueCell(row, column, width) for column in COLUMNS), key=row.key)
        if current is not None:
            for index, row in enumerate(self.shown):
                if row.key == current.key:
                    table.move_cursor(row=index)
                    break
        self._views()
        empty = self.query_one("#queue-empty", Static)
        empty.display = not self.shown
        empty.update(_("No cases here.") if not text else _("Nothing matches the filter."))

    def _views(self) -> None:
        counts = counts_by_view(self.rows)
        bar = Text(no_wrap=True, overflow="ellipsis")
        for view in VIEW_ORDER:
            label = f" {view_label(view)} {counts[view]} "
            if view is self.view:
                bar.append(label, style="reverse bold")
            else:
                style = "bold red" if view is QueueView.OVERDUE and counts[view] else ""
                bar.append(label, style=style)
            bar.append("│", style="dim")
        self.query_one("#views", Static).update(bar)

    def watch_view(self) -> None:
        if self.loaded:
            self.render_rows()

    @on(Input.Changed, "#filter")
    def _filtered(self) -> None:
        if self.loaded:
            self.render_rows()

    # Moving and opening

    def current_row(self) -> QueueRow | None:
        table = self.query_one("#cases", DataTable)
        if not self.shown or table.cursor_row >= len(self.shown):
            return None
        return self.shown[table.cursor_row]

    def action_cursor(self, delta: int) -> None:
        table = self.query_one("#cases", DataTable)
        if self.shown:
            table.move_cursor(row=max(0, min(len(self.shown) - 1, table.cursor_row + delta)))

    def action_next_view(self) -> None:
        self.view = VIEW_ORDER[(VIEW_ORDER.index(self.view) + 1) % len(VIEW_ORDER)]

    def action_previous_view(self) -> None:
        self.view = VIEW_ORDER[(VIEW_ORDER.index(self.view) - 1) % len(VIEW_ORDER)]

    def action_clear_filter(self) -> None:
        self.query_one("#filter", Input).value = ""
        self.view = QueueView.ALL

    @on(Input.Submitted, "#filter")
    def _open(self, event: Input.Submitted) -> None:
        event.stop()
        row = self.current_row()
        if row is None:
            return
        if row.is_draft:
            self.resume_draft(row.key)
        else:
            from counterdesk.screens.case import CaseScreen

            self.app.push_screen(CaseScreen(row.key))

    def action_new_intake(self) -> None:
        from counterdesk.screens.intake import IntakeScreen

        draft = IntakeDraft.new(self.officer.username, self.counter.clock.now())
        self.app.push_screen(IntakeScreen(draft))

    @work(thread=True, exclusive=True, group="draft", exit_on_error=False)
    def resume_draft(self, draft_id: str) -> None:
        document = self.services.store.get_draft(draft_id)
        if document is not None:
            self.app.call_from_thread(self._open_draft, IntakeDraft.from_json(document))

    def _open_draft(self, draft: IntakeDraft) -> None:
        from counterdesk.screens.intake import IntakeScreen

        self.app.push_screen(IntakeScreen(draft))

    def offer_draft(self, row: QueueRow) -> None:
        from counterdesk.widgets.confirmation import ConfirmationModal

        what = " · ".join(part for part in (row.target, row.applicant) if part) or _("(empty)")
        body = _("An intake was not finished: {what}, started {time}.").format(
            what=what, time=row.received_at[11:16]
        )

        def answered(resume: bool | None) -> None:
            if resume:
                self.resume_draft(row.key)

        self.app.push_screen(
            ConfirmationModal(_("Resume the unfinished intake?"), body, _("Resume"), _("Later")),
            callback=answered,
        )


def _column_widths(width: int) -> dict[str, int]:
    """Each column's width on a screen this wide: the item takes what the others leave."""
    if width >= 96:
        fixed = {"number": 15, "applicant": 10, "state": 10, "due": 14, "left": 10}
    else:
        fixed = {"number": 14, "applicant": 8, "state": 8, "due": 12, "left": 8}
    return {**fixed, "item": max(12, width - sum(fixed.values()) - 2 * 6 - 2)}


def _number_shown(row: QueueRow, width: int) -> str:
    """The case number, its end kept when it is too long: the sequence tells cases apart,
    the centre and year in front of it are the same on every row. Numbers are ASCII
    (centre code, year, sequence), so characters are cells here."""
    number = row.number
    if not number:
        return _("(draft)") if row.is_draft else "—"
    return number if len(number) <= width else "…" + number[-(width - 1) :]
