"""The materials checklist of an intake, live from the shared check: per line what is
asked (originals, copies), what was received, the pages scanned, and its status. Keys
edit what was received, or scan, import and show pages for the highlighted line; the
screen applies them (screens/scanning.py for the scans) and asks the check again."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.binding import Binding
from textual.message import Message
from textual.widgets import DataTable

from counterdesk.domain.checklist import ChecklistLine, CheckResult
from counterdesk.i18n import _, translate_bindings

EDITS = ("toggle", "original+", "original-", "copies+", "copies-", "made_at_counter", "all")
SCAN_ACTIONS = ("scan", "import", "view", "remove", "device")


def counts_label(original: int, copies: int) -> str:
    parts = []
    if original:
        parts.append(_("O{n}").format(n=original))
    if copies:
        parts.append(_("C{n}").format(n=copies))
    return " ".join(parts) or "—"


def status_cell(line: ChecklistLine) -> Text:
    """The line's status; for a missing paper, what its absence means (its need)."""
    if line.status == "ok":
        return Text("✓ " + _("here"), style="bold green")
    if line.status == "by_sharing":
        return Text("⇄ " + _("shared"), style="bold cyan")
    if line.need == "required":
        return Text("✗ " + _("missing"), style="bold red")
    if line.need == "deferrable":
        return Text("… " + _("defer"), style="bold yellow")
    return Text("· " + _("optional"), style="dim")


FIXED = {"asked": 7, "received": 11, "pages": 4, "status": 8}
MIN_MATERIAL = 10


class ChecklistTable(DataTable[Text | str]):
    BINDINGS = [
        Binding("space", "edit('toggle')", "Present/absent", id="checklist.toggle"),
        Binding(
            "o", "edit('original+')", "Originals ±", key_display="o/O", id="checklist.original_more"
        ),
        Binding(
            "O", "edit('original-')", "One original less", show=False, id="checklist.original_less"
        ),
        Binding("c", "edit('copies+')", "Copies ±", key_display="c/C", id="checklist.copies_more"),
        Binding("C", "edit('copies-')", "One copy less", show=False, id="checklist.copies_less"),
        Binding("m", "edit('made_at_counter')", "Copy made here", id="checklist.made_here"),
        Binding("a", "edit('all')", "All present", show=False, id="checklist.all"),
        Binding("s", "scan('scan')", "Scan page", id="checklist.scan"),
        Binding("i", "scan('import')", "Import files", id="checklist.import"),
        Binding("v", "scan('view')", "View pages", id="checklist.view"),
        Binding("x", "scan('remove')", "Remove last page", show=False, id="checklist.unscan"),
        Binding("S", "scan('device')", "Choose scanner", show=False, id="checklist.scanner"),
    ]

    @dataclass
    class LineEdited(Message):
        table: ChecklistTable
        material: str
        edit: str
        original: int
        copies: int

        @property
        def control(self) -> ChecklistTable:
            return self.table

    @dataclass
    class ScanAsked(Message):
        """Scan, import, view or remove pages of a line, or choose the scanner."""

        table: ChecklistTable
        material: str
        name: str  # the line's material name, for titles
        action: str  # one of SCAN_ACTIONS

        @property
        def control(self) -> ChecklistTable:
            return self.table

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002 (Textual's name)
        super().__init__(id=id, cursor_type="row", zebra_stripes=True)
        translate_bindings(self)
        self.lines: tuple[ChecklistLine, ...] = ()
        self.received: dict[str, dict[str, int]] = {}
        self.pages: dict[str, int] = {}  # scanned pages per material
        self.pages_column = True

    def on_mount(self) -> None:
        self._columns()

    def on_resize(self) -> None:
        current = self.current_material()
        self._columns()
        self._render_lines(current)

    def _columns(self) -> None:
        width = self.size.width or 50
        # Narrow (80×24): no room for a pages column; the pages go before the name.
        fixed = {k: v for k, v in FIXED.items() if k != "pages"}
        self.pages_column = width >= MIN_MATERIAL + sum(FIXED.values()) + 2 * len(FIXED) + 3
        if self.pages_column:
            fixed = dict(FIXED)
        material = max(MIN_MATERIAL, width - sum(fixed.values()) - 2 * (len(fixed) + 1) - 1)
        self.clear(columns=True)
        self.add_column(_("Material"), key="material", width=material)
        self.add_column(_("Asked"), key="asked", width=FIXED["asked"])
        self.add_column(_("Received"), key="received", width=FIXED["received"])
        if self.pages_column:
            self.add_column(_("Pages"), key="pages", width=FIXED["pages"])
        self.add_column(_("Status"), key="status", width=FIXED["status"])

    def show(
        self,
        result: CheckResult | None,
        received: dict[str, dict[str, int]],
        pages: dict[str, int] | None = None,
    ) -> None:
        """Render the check's lines; the cursor stays on the same material."""
        current = self.current_material()
        self.lines = result.checklist if result else ()
        self.received = received
        if pages is not None:
            self.pages = pages
        self._render_lines(current)

    def show_pages(self, pages: dict[str, int]) -> None:
        self.pages = pages
        self._render_lines(self.current_material())

    def _render_lines(self, current: str | None = None) -> None:
        self.clear()
        for line in self.lines:
            got = self.received.get(line.material, {})
            made = got.get("made_at_counter", 0)
            received_text = counts_label(got.get("original", 0), got.get("copies", 0))
            if made:
                received_text += " " + _("({n} here)").format(n=made)
            pages = self.pages.get(line.material, 0)
            name = Text(line.name, overflow="ellipsis", no_wrap=True)
            cells: list[Text | str] = [name, counts_label(line.original, line.copies)]
            cells.append(received_text)
            if self.pages_column:
                cells.append(str(pages) if pages else "")
            elif pages:
                name = Text(_("{n}p").format(n=pages) + " ", style="bold cyan") + name
                name.no_wrap, name.overflow = True, "ellipsis"
                cells[0] = name
            self.add_row(*cells, status_cell(line), key=line.material)
        if current is not None:
            for row, line in enumerate(self.lines):
                if line.material == current:
                    self.move_cursor(row=row)
                    break

    def current_material(self) -> str | None:
        if not self.lines or self.cursor_row >= len(self.lines):
            return None
        return self.lines[self.cursor_row].material

    def action_edit(self, edit: str) -> None:
        if edit == "all":
            self.post_message(self.LineEdited(self, "", edit, 0, 0))
            return
        if not self.lines:
            return
        line = self.lines[self.cursor_row]
        self.post_message(self.LineEdited(self, line.material, edit, line.original, line.copies))

    def action_scan(self, action: str) -> None:
        if action == "device":
            self.post_message(self.ScanAsked(self, "", "", action))
            return
        if not self.lines:
            return
        line = self.lines[self.cursor_row]
        self.post_message(self.ScanAsked(self, line.material, line.name, action))
