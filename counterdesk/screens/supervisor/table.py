"""The board's table: thousands of open cases, of which only the lines on screen are ever
drawn (Textual's line API), so a change or a keystroke repaints in milliseconds whatever
the centre's size. Rows and group headings come ready from services/board_rows.py; this
widget draws them, keeps the cursor on a case, and marks cases for reassignment.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rich.cells import cell_len
from rich.style import Style
from rich.text import Text
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.strip import Strip

from counterdesk.i18n import _
from counterdesk.screens.labels import due_label, remaining_label, state_label
from counterdesk.screens.supervisor.labels import age_label, risk_flag
from counterdesk.services.board_rows import BoardRow, GroupLine, Line

RISK_STYLE = {
    "notice_past": Style(bold=True, color="white", bgcolor="red"),
    "overdue": Style(bold=True, color="red"),
    "due_soon": Style(bold=True, color="yellow"),
    "none": Style(),
}
CURSOR = Style(reverse=True)
MARKED = Style(bold=True, color="cyan")
GROUP = Style(bold=True, underline=True)


@dataclass(frozen=True)
class Columns:
    """Column widths for a table this wide (cells); the item takes what is left."""

    number: int
    officer: int
    item: int
    applicant: int
    state: int
    due: int
    left: int
    age: int

    @classmethod
    def for_width(cls, width: int) -> Columns:
        width = max(width, 60)
        if width >= 96:
            fixed = (15, 10, 0, 8, 8, 11, 8, 4)
        else:
            fixed = (13, 8, 0, 6, 6, 6, 7, 3)
        # mark (1) + flag (2) + a space between the nine columns
        used = 3 + sum(fixed) + 9
        item = max(10, width - used)
        number, officer, _item, applicant, state, due, left, age = fixed
        return cls(number, officer, item, applicant, state, due, left, age)

    def titles(self) -> list[tuple[str, int]]:
        return [
            ("", 3),
            (_("Number"), self.number),
            (_("Officer"), self.officer),
            (_("Item"), self.item),
            (_("Applicant"), self.applicant),
            (_("State"), self.state),
            (_("Due"), self.due),
            (_("Left"), self.left),
            (_("Age"), self.age),
        ]


def cell(value: str, width: int, style: Style | str = "") -> Text:
    """A cell of exactly ``width`` terminal cells: wide characters counted, cut with …"""
    text = Text(value, style=style, no_wrap=True, overflow="ellipsis", end="")
    text.truncate(width, overflow="ellipsis", pad=True)
    return text


def header_text(columns: Columns) -> Text:
    line = Text(no_wrap=True, end="")
    for title, width in columns.titles():
        line.append_text(cell(title, width, "bold"))
        line.append(" ")
    return line


def row_text(row: BoardRow, columns: Columns, marked: bool) -> Text:
    style = RISK_STYLE[row.risk]
    line = Text(no_wrap=True, end="")
    line.append_text(cell("●" if marked else " ", 1, MARKED))
    line.append_text(cell(risk_flag(row.risk), 2, style))
    line.append(" ")
    number = row.number + ("*" if row.provisional else "")
    parts = [
        (number, columns.number, ""),
        (row.officer_name or row.officer, columns.officer, ""),
        (row.target_name, columns.item, ""),
        (row.applicant, columns.applicant, ""),
        (state_label(row.state), columns.state, style),
        (due_label(row), columns.due, style),
        (remaining_label(row), columns.left, style),
        (age_label(row.age_days), columns.age, ""),
    ]
    for value, width, part_style in parts:
        line.append_text(cell(value, width, part_style))
        line.append(" ")
    return line


def group_text(group: GroupLine) -> Text:
    line = Text(no_wrap=True, end="")
    line.append(f" {group.label}", GROUP)
    summary = _("{n} open").format(n=group.count)
    if group.at_risk:
        summary += " · " + _("{n} at risk").format(n=group.at_risk)
    line.append(
        f"  {summary}", Style(dim=not group.at_risk, color="red" if group.at_risk else None)
    )
    return line


class BoardTable(ScrollView, can_focus=False):
    """Lines of the board, the cursor on one case, and the marked cases."""

    DEFAULT_CSS = """
    BoardTable {
        height: 1fr;
        overflow-x: hidden;
    }
    """

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.lines: list[Line] = []
        self.cursor = 0
        self.marked: set[str] = set()
        self.columns = Columns.for_width(100)

    # What is shown

    def show(self, lines: Sequence[Line], keep: str | None = None) -> None:
        """Show these lines; the cursor stays on case ``keep`` when it is still shown."""
        self.lines = list(lines)
        index = self._index_of(keep) if keep is not None else None
        self.cursor = (
            index if index is not None else self._nearest_row(min(self.cursor, len(self.lines) - 1))
        )
        self.columns = Columns.for_width(self.size.width or 100)
        self.virtual_size = Size(self.size.width or 100, len(self.lines))
        self._keep_cursor_visible()
        self.refresh()

    def on_resize(self) -> None:
        self.columns = Columns.for_width(self.size.width or 100)
        self.virtual_size = Size(self.size.width or 100, len(self.lines))
        self.refresh()

    @property
    def current(self) -> BoardRow | None:
        if 0 <= self.cursor < len(self.lines):
            line = self.lines[self.cursor]
            return line if isinstance(line, BoardRow) else None
        return None

    def rows(self) -> list[BoardRow]:
        return [line for line in self.lines if isinstance(line, BoardRow)]

    # Moving and marking

    def move(self, delta: int) -> None:
        if not self.lines:
            return
        target = max(0, min(len(self.lines) - 1, self.cursor + delta))
        step = 1 if delta >= 0 else -1
        while 0 <= target < len(self.lines) and isinstance(self.lines[target], GroupLine):
            target += step
        if not 0 <= target < len(self.lines):
            target = self._nearest_row(self.cursor)
        self.cursor = target
        self._keep_cursor_visible()
        self.refresh()

    def toggle_mark(self) -> None:
        row = self.current
        if row is None:
            return
        self.marked.symmetric_difference_update({row.key})
        self.refresh()

    def mark_all(self) -> None:
        """Mark every case shown; when all are marked already, clear the marks."""
        shown = {row.key for row in self.rows()}
        self.marked = set() if shown and shown <= self.marked else self.marked | shown
        self.refresh()

    def _index_of(self, key: str) -> int | None:
        for index, line in enumerate(self.lines):
            if isinstance(line, BoardRow) and line.key == key:
                return index
        return None

    def _nearest_row(self, start: int) -> int:
        start = max(0, start)
        for index in range(start, len(self.lines)):
            if isinstance(self.lines[index], BoardRow):
                return index
        for index in range(min(start, len(self.lines) - 1), -1, -1):
            if isinstance(self.lines[index], BoardRow):
                return index
        return 0

    def _keep_cursor_visible(self) -> None:
        height = self.size.height or 1
        top = int(self.scroll_y)
        if self.cursor < top:
            self.scroll_to(y=self.cursor, animate=False)
        elif self.cursor >= top + height:
            self.scroll_to(y=self.cursor - height + 1, animate=False)

    # Drawing: only the lines on screen

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        index = int(self.scroll_y) + y
        if index >= len(self.lines):
            return Strip.blank(width, self.rich_style)
        line = self.lines[index]
        if isinstance(line, GroupLine):
            text = group_text(line)
        else:
            text = row_text(line, self.columns, line.key in self.marked)
        if index == self.cursor and isinstance(line, BoardRow):
            text.stylize(CURSOR)
        segments = list(text.render(self.app.console))
        strip = Strip(segments, cell_len(text.plain))
        return strip.crop_extend(0, width, self.rich_style).apply_style(self.rich_style)


__all__ = ["BoardTable", "Columns", "header_text"]
