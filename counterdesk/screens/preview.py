"""Looking at a line's scanned pages: in the terminal where it can show images
(textual-image: Sixel or the kitty graphics protocol), else drawn with half-block
characters; ``o`` opens the page in the system viewer instead (a decrypted copy, removed
right after: ``AttachmentDesk.open_in_viewer``). Every page shown is audited (scan.view).

textual-image asks the terminal what it can draw when it is imported, which only works
before Textual takes the terminal: ``prepare_terminal_images`` is called at start when a
scanner is set; otherwise the half-block drawing is used.
"""

from __future__ import annotations

import sys
from typing import Any

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Container, Vertical
from textual.strip import Strip
from textual.widget import Widget
from textual.widgets import Static

from counterdesk.i18n import _
from counterdesk.screens.base import CounterModal
from counterdesk.services.scanning import ScanProblem
from counterdesk.widgets.key_bar import KeyBar

TERMINAL_IMAGES = "textual_image.widget"


def prepare_terminal_images() -> bool:
    """Import textual-image before the App starts (it queries the terminal); False when
    it is not installed or there is no terminal."""
    if not sys.__stdout__ or not sys.__stdout__.isatty():
        return False
    try:
        __import__(TERMINAL_IMAGES)
    except Exception:  # a terminal that answers oddly must not stop the counter
        return False
    return True


class BlockPicture(Widget):
    """A picture drawn with ▀: each cell shows two pixels, top in the foreground colour and
    bottom in the background, scaled to the widget's size (any terminal, any font)."""

    DEFAULT_CSS = "BlockPicture { width: 1fr; height: 1fr; }"

    def __init__(self, picture: Any, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.picture = picture
        self._scaled: Any = None

    def on_resize(self) -> None:
        self._scaled = None
        self.refresh()

    def _fit(self) -> Any:
        width, height = self.size.width, self.size.height * 2
        if self._scaled is None and width > 0 and height > 0:
            ratio = min(width / self.picture.width, height / self.picture.height)
            size = (
                max(1, int(self.picture.width * ratio)),
                max(2, int(self.picture.height * ratio)),
            )
            self._scaled = self.picture.resize(size)
        return self._scaled

    def render_line(self, y: int) -> Strip:
        scaled = self._fit()
        if scaled is None or 2 * y >= scaled.height:
            return Strip.blank(self.size.width)
        pixels = scaled.load()
        segments = []
        for x in range(scaled.width):
            top = pixels[x, 2 * y]
            bottom = pixels[x, 2 * y + 1] if 2 * y + 1 < scaled.height else top
            style = Style(color=f"rgb{tuple(top)}", bgcolor=f"rgb{tuple(bottom)}")
            segments.append(Segment("▀", style))
        return Strip(segments, scaled.width).extend_cell_length(self.size.width)


class PreviewScreen(CounterModal):
    CSS_PATH = "scanning.tcss"
    BINDINGS = [
        Binding("escape", "close", "Back", id="preview.close"),
        Binding("right,pagedown", "move(1)", "Next page", key_display="→", id="preview.next"),
        Binding("left,pageup", "move(-1)", "Previous page", key_display="←", id="preview.previous"),
        Binding("o", "open_viewer", "Open in viewer", id="preview.viewer"),
    ]

    def __init__(self, owner: str, material: str, name: str) -> None:
        super().__init__()
        self.owner, self.material, self.material_name = owner, material, name
        self.page_ids: list[str] = []
        self.index = 0
        self.shown = ""  # the page on screen (tests wait for it)

    def compose(self) -> ComposeResult:
        with Vertical(id="preview-dialog"):
            yield Static("", id="preview-title", classes="dialog-title")
            yield Container(id="preview-image")
            yield Static("", id="preview-note", classes="dialog-keys")
        yield KeyBar()

    def on_mount(self) -> None:
        self._title()
        self.load()

    def _title(self) -> None:
        where = (
            _("page {i} of {n}").format(i=self.index + 1, n=len(self.page_ids))
            if self.page_ids
            else _("no pages")
        )
        self.query_one("#preview-title", Static).update(f"{self.material_name} · {where}")

    @work(thread=True, exclusive=True, group="preview", exit_on_error=False)
    def load(self) -> None:
        pages = self.services.attachments.pages_of(self.owner).get(self.material, [])
        self.app.call_from_thread(self._loaded, [p.id for p in pages])

    def _loaded(self, page_ids: list[str]) -> None:
        self.page_ids = page_ids
        self._title()
        if not page_ids:
            self.query_one("#preview-note", Static).update(
                _("No pages yet: s scans one, i imports files.")
            )
            return
        self.draw(page_ids[self.index])

    @work(thread=True, exclusive=True, group="preview", exit_on_error=False)
    def draw(self, page_id: str) -> None:
        from counterdesk.services.scanning.render import preview_image

        desk, officer = self.services.attachments, self.counter.officer
        assert officer is not None
        try:
            page, data = desk.page_bytes(self.owner, page_id, officer.username)
        except ScanProblem as exc:
            self.app.call_from_thread(self._note, str(exc))
            return
        picture = preview_image(page.content_type, data)
        self.app.call_from_thread(self._show, page_id, picture, page.source, page.pages)

    async def _show(self, page_id: str, picture: Any, source: str, pages: int) -> None:
        holder = self.query_one("#preview-image", Container)
        await holder.remove_children()
        note = _("scanned") if source == "scan" else _("imported")
        if pages > 1:
            note += " · " + _("a PDF of {n} pages").format(n=pages)
        if picture is None:
            await holder.mount(Static(Text(_("This page cannot be drawn here: o opens it."))))
        elif TERMINAL_IMAGES in sys.modules:
            images = sys.modules[TERMINAL_IMAGES]
            await holder.mount(images.Image(picture, id="preview-picture"))
        else:
            await holder.mount(BlockPicture(picture, id="preview-picture"))
        self._note(note + " · " + _("o opens it in the system viewer"))
        self.shown = page_id

    def _note(self, text: str) -> None:
        self.query_one("#preview-note", Static).update(text)

    def action_move(self, step: int) -> None:
        if not self.page_ids:
            return
        self.index = (self.index + step) % len(self.page_ids)
        self._title()
        self.draw(self.page_ids[self.index])

    def action_open_viewer(self) -> None:
        if self.page_ids:
            self.open_viewer(self.page_ids[self.index])

    @work(thread=True, exclusive=True, group="viewer", exit_on_error=False)
    def open_viewer(self, page_id: str) -> None:
        officer = self.counter.officer
        assert officer is not None
        try:
            self.services.attachments.open_in_viewer(self.owner, page_id, officer.username)
        except ScanProblem as exc:
            self.app.call_from_thread(
                self.notify, str(exc), title=_("Not opened"), severity="error"
            )

    def action_close(self) -> None:
        self.dismiss(None)
