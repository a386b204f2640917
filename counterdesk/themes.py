"""The counter's own colour themes, registered with the App beside Textual's built-in ones.

``high-contrast`` is for the counter PCs that run a plain 16-colour console (a Linux VT,
an old terminal over a KVM switch) and for officers who need strong contrast: it uses only
the terminal's own 16 ANSI colours (Textual's native-ANSI mode, so nothing is blended or
approximated), bright white on black, and ``high_contrast.tcss`` replaces the rules of
``app.tcss`` that blend colours (a focused entry, the title bar's darker shade).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.theme import Theme

if TYPE_CHECKING:
    from textual.app import App

HIGH_CONTRAST = "high-contrast"
DEFAULT_THEME = "textual-dark"  # Textual's own default, used when the setting is empty

_BLACK, _WHITE = "ansi_black", "ansi_bright_white"

HIGH_CONTRAST_THEME = Theme(
    name=HIGH_CONTRAST,
    ansi=True,
    primary="ansi_blue",
    secondary="ansi_cyan",
    warning="ansi_bright_yellow",
    error="ansi_bright_red",
    success="ansi_bright_green",
    accent="ansi_bright_cyan",
    foreground=_WHITE,
    background=_BLACK,
    surface=_BLACK,
    panel=_BLACK,
    boost=_BLACK,
    dark=True,
    variables={
        # Textual's ANSI themes leave these to the terminal's default colours, which
        # may be black on white: say them, so the contrast is ours to guarantee.
        "background": _BLACK,
        "surface": _BLACK,
        "panel": _BLACK,
        "boost": _BLACK,
        "text": _WHITE,
        "foreground": _WHITE,
        "text-muted": "ansi_white",
        "text-disabled": "ansi_white",
        "ansi-background": _BLACK,
        "ansi-foreground": _WHITE,
        "border": "ansi_bright_cyan",
        "border-blurred": "ansi_white",
        "block-cursor-foreground": _BLACK,
        "block-cursor-background": "ansi_bright_yellow",
        "block-cursor-blurred-foreground": _WHITE,
        "block-cursor-blurred-background": "ansi_blue",
        "block-hover-background": _BLACK,
        "input-cursor-background": _WHITE,
        "input-cursor-foreground": _BLACK,
        "input-selection-background": "ansi_bright_yellow",
        "input-selection-foreground": _BLACK,
        "footer-foreground": _WHITE,
        "footer-background": _BLACK,
        "footer-key-foreground": "ansi_bright_yellow",
        "footer-description-foreground": _WHITE,
        "footer-description-background": _BLACK,
        "footer-item-background": _BLACK,
        "scrollbar": "ansi_white",
        "scrollbar-background": _BLACK,
        "screen-selection-background": "ansi_bright_yellow",
        "screen-selection-foreground": _BLACK,
    },
)

COUNTER_THEMES = (HIGH_CONTRAST_THEME,)


def register_themes(app: App[object]) -> None:
    for theme in COUNTER_THEMES:
        app.register_theme(theme)


def theme_names(app: App[object]) -> list[str]:
    """Every theme the officer can choose: the counter's own first, then Textual's."""
    ours = [theme.name for theme in COUNTER_THEMES]
    return ours + sorted(name for name in app.available_themes if name not in ours)
