"""The App restyles only when something changed: switching to a mode's first screen costs
no restyle, while a theme change still reaches every mode, including one that was in the
background when the theme changed."""

from __future__ import annotations

from typing import Any

import pytest
from textual.app import App, ComposeResult
from textual.color import Color
from textual.screen import Screen
from textual.widgets import Static

from counterdesk.app_styles import StyleOnChange


class Painted(Screen[None]):
    def compose(self) -> ComposeResult:
        yield Static("x", id="painted")


class TwoModes(StyleOnChange, App[None]):
    CSS = "#painted { background: $primary; }"
    MODES = {"one": Painted, "two": Painted}
    DEFAULT_MODE = "one"


@pytest.fixture
def restyles(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Each full restyle Textual does, by the mode shown at the time."""
    done: list[str] = []
    textual_refresh = App.refresh_css

    def counted(app: Any, animate: bool = True) -> None:
        done.append(app.current_mode)
        textual_refresh(app, animate)

    monkeypatch.setattr(App, "refresh_css", counted)
    return done


def painted(app: App[None]) -> Color:
    return app.screen.query_one("#painted").styles.background


async def test_switching_to_a_new_mode_does_not_restyle(restyles: list[str]) -> None:
    app = TwoModes()
    async with app.run_test() as pilot:
        await app.switch_mode("two")
        await app.switch_mode("one")
        await pilot.pause()
        assert restyles == []
        assert painted(app) == Color.parse(app.current_theme.primary)


async def test_a_theme_change_reaches_the_mode_in_the_background(restyles: list[str]) -> None:
    app = TwoModes()
    async with app.run_test() as pilot:
        await app.switch_mode("two")
        await app.switch_mode("one")
        before = painted(app)
        app.theme = "nord"  # while mode "two" is in the background
        await pilot.pause()
        nord = Color.parse(app.current_theme.primary)
        assert nord != before and painted(app) == nord
        await app.switch_mode("two")
        await pilot.pause()
        assert painted(app) == nord
        assert restyles == ["one", "two"]  # each mode once, when shown
        await app.switch_mode("one")
        await pilot.pause()
        assert restyles == ["one", "two"]  # nothing new since
