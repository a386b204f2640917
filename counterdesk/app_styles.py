"""Restyling only when something changed. Textual restyles every node of the shown
screens each time a mode's first screen appears (three times between start and the queue,
a tenth of a start). With the variables and stylesheets it last styled with that changes
nothing: a new screen's widgets are styled as they are registered, and a widget's own
default CSS, added when its type is first used, applies to that type only.

A theme or stylesheet change restyles as before. Textual then restyles the shown mode
only, so the other modes are remembered and restyled when next shown."""

from __future__ import annotations

from textual.app import App

Variables = dict[str, str]
Sheets = tuple[tuple[object, str], ...]


class StyleOnChange(App[None]):
    """The App's part that skips needless restyling (a mixin of CounterApp)."""

    def __init__(self) -> None:
        super().__init__()
        # At first: the variables the stylesheet was made with, and whichever sheets the
        # App reads as it starts (none of them styled with anything else before).
        self._styled_with: tuple[Variables, Sheets | None] = (self.get_css_variables(), None)
        self._modes_to_restyle: set[str] = set()

    def refresh_css(self, animate: bool = True) -> None:
        variables = self.get_css_variables()
        sheets: Sheets = tuple(
            (where, source.content)
            for where, source in self.stylesheet.source.items()
            if not source.is_defaults
        )
        last_variables, last_sheets = self._styled_with
        changed = variables != last_variables or last_sheets not in (None, sheets)
        mode = self.current_mode
        if not changed and mode not in self._modes_to_restyle:
            self._styled_with = (variables, sheets)
            return
        if changed:
            self._modes_to_restyle = set(self.MODES) - {mode}
        else:
            self._modes_to_restyle.discard(mode)
        super().refresh_css(animate)
        self._styled_with = (variables, sheets)
