"""The command palette's counter commands: the same actions as the keys, found by name."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider

from counterdesk.i18n import _


class CounterCommands(Provider):
    def _commands(self) -> list[tuple[str, Callable[[], object], str]]:
        app = self.app
        commands: list[tuple[str, Callable[[], object], str]] = [
            (_("Help: every key"), partial(app.run_action, "help"), _("F1")),
        ]
        if getattr(app, "officer", None) is not None:
            commands += [
                (_("Lock the screen"), partial(app.run_action, "lock"), "ctrl+l"),
                (_("Switch officer (sign out)"), app.sign_out, ""),  # type: ignore[attr-defined]
                (_("Settings"), partial(app.run_action, "settings"), "ctrl+o"),
            ]
        screen = self.screen
        if callable(getattr(screen, "choose_scanner", None)):  # screens that scan
            commands.append((_("Choose the scanner"), screen.choose_scanner, "S"))
        if type(screen).__name__ == "QueueScreen":
            commands.append((_("New intake"), partial(screen.run_action, "new_intake"), "F2"))
        return commands + self._training_commands() + self._board_commands()

    def _board_commands(self) -> list[tuple[str, Callable[[], object], str]]:
        app = self.app
        if app.check_action("board", ()) is not True:
            return []
        on_board = getattr(app, "current_mode", "") == "supervisor"
        name = _("Back to the counter") if on_board else _("Supervisor board: every open case")
        return [(name, partial(app.run_action, "board"), "ctrl+b")]

    def _training_commands(self) -> list[tuple[str, Callable[[], object], str]]:
        app = self.app
        found: list[tuple[str, Callable[[], object], str]] = []
        if app.check_action("training", ()) is True:
            name = (
                _("Leave training mode")
                if getattr(app, "training", False)
                else _("Training mode: practise on made-up applicants")
            )
            found.append((name, partial(app.run_action, "training"), "ctrl+t"))
        if app.check_action("training_desk", ()) is True:
            found.append(
                (_("Show the applicant's desk"), partial(app.run_action, "training_desk"), "ctrl+t")
            )
        screen = self.screen
        if type(screen).__name__ == "TrainingHomeScreen":
            found.append((_("Reset the training sandbox"), partial(screen.run_action, "reset"), "F8"))
        return found

    async def discover(self) -> Hits:
        for name, callback, keys in self._commands():
            yield DiscoveryHit(name, callback, help=keys)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, callback, keys in self._commands():
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), callback, help=keys)
