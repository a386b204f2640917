"""The keys that work now, wrapped over as many lines as they need.

Textual's Footer keeps to one line and scrolls what does not fit out of sight; an intake
has more keys than 80 or 100 columns hold, and an officer must see every one. This bar
shows the same active bindings (in the focused widget, the screen and the App, with
``check_action`` deciding what is on or greyed) and wraps between keys, never inside one.
"""

from __future__ import annotations

from rich.cells import cell_len
from rich.style import Style
from rich.text import Text
from textual.geometry import Size
from textual.screen import Screen
from textual.widget import Widget


class KeyBar(Widget):
    DEFAULT_CSS = """
    KeyBar {
        dock: bottom;
        height: auto;
        max-height: 4;
        background: $footer-background;
        color: $footer-foreground;
        padding: 0 1;
        .keybar--key {
            color: $footer-key-foreground;
            text-style: bold;
        }
    }
    """
    COMPONENT_CLASSES = {"keybar--key"}

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, screen: Screen[object]) -> None:
        if self.is_attached and screen is self.screen:
            self.refresh(layout=True)

    def entries(self) -> list[Text]:
        """One text per key that applies here, greyed when it cannot be used now."""
        key_style = self.get_component_rich_style("keybar--key", partial=True)
        dim = Style(dim=True)
        entries: list[Text] = []
        seen: set[str] = set()
        for active in self.screen.active_bindings.values():
            binding = active.binding
            if not binding.show or not binding.description or binding.action in seen:
                continue
            seen.add(binding.action)
            entry = Text(no_wrap=True, end="")
            entry.append(
                self.app.get_key_display(binding), key_style if active.enabled else key_style + dim
            )
            entry.append(" " + binding.description, Style() if active.enabled else dim)
            entries.append(entry)
        return entries

    def _lines(self, width: int) -> list[Text]:
        lines: list[Text] = []
        line = Text(no_wrap=True, end="")
        for entry in self.entries():
            needed = cell_len(entry.plain) + (2 if line.plain else 0)
            if line.plain and cell_len(line.plain) + needed > width:
                lines.append(line)
                line = Text(no_wrap=True, end="")
            if line.plain:
                line.append("  ")
            line.append_text(entry)
        if line.plain or not lines:
            lines.append(line)
        return lines

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self._lines(max(width, 1)))

    def render(self) -> Text:
        return Text("\n", no_wrap=True, end="").join(self._lines(max(self.content_size.width, 1)))
