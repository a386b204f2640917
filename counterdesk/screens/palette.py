"""The command palette's counter commands: the same actions as the keys, found by name.

Anywhere: help, lock, switch officer, new intake, find a case, sync now. On a case: what
its keys offer now (print again, decide, supplement, deferred papers, hand over,
withdraw, terminate), asked of the screen's own ``check_action``, so the palette never
offers what the key bar greys out or hides.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider

from counterdesk.i18n import _

Command = tuple[str, Callable[[], object], str]


def case_commands() -> tuple[tuple[str, tuple[object, ...], str, str], ...]:
    """(action, parameters, name, key) of the case screen, in its key bar's order."""
    return (
        ("reprint", (), _("Print a paper of this case again"), "F2"),
        ("recheck", ("decide",), _("Decide this received case"), "F3"),
        ("recheck", ("supplement",), _("Supplement: the applicant brought papers"), "F3"),
        ("recheck", ("deferral",), _("Deferred papers brought"), "F3"),
        ("issue", (), _("Hand over the result"), "F4"),
        ("withdraw", (), _("Withdraw this case"), "F8"),
        ("terminate", (), _("Terminate: the commitment was not kept"), "F9"),
    )


class CounterCommands(Provider):
    def _commands(self) -> list[Command]:
        app = self.app
        commands: list[Command] = [
            (_("Help: every key"), partial(app.run_action, "help"), _("F1")),
        ]
        if getattr(app, "officer", None) is None:
            return commands
        commands += [
            (_("Find a case"), partial(app.run_action, "find_case"), "ctrl+f"),
            (_("Sync now"), partial(app.run_action, "sync_now"), "ctrl+y"),
            (_("New intake"), self._new_intake, "F2"),
            (_("Lock the screen"), partial(app.run_action, "lock"), "ctrl+l"),
            (_("Switch officer (sign out)"), app.sign_out, ""),  # type: ignore[attr-defined]
            (_("Settings"), partial(app.run_action, "settings"), "ctrl+o"),
        ]
        screen = self.screen
        if callable(getattr(screen, "choose_scanner", None)):  # screens that scan
            commands.append((_("Choose the scanner"), screen.choose_scanner, "S"))
        return self._case_commands() + self._training_commands() + self._board_commands() + commands

    def _board_commands(self) -> list[Command]:
        app = self.app
        if app.check_action("board", ()) is not True:
            return []
        on_board = getattr(app, "current_mode", "") == "supervisor"
        name = _("Back to the counter") if on_board else _("Supervisor board: every open case")
        return [(name, partial(app.run_action, "board"), "ctrl+b")]

    def _training_commands(self) -> list[Command]:
        app = self.app
        found: list[Command] = []
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
            found.append(
                (_("Reset the training sandbox"), partial(screen.run_action, "reset"), "F8")
            )
        return found

    def _new_intake(self) -> None:
        screen = self.screen
        if type(screen).__name__ == "QueueScreen":
            screen.run_action("new_intake")
            return
        from counterdesk.screens.intake import IntakeScreen
        from counterdesk.services.drafts import IntakeDraft

        app = self.app
        officer = app.officer  # type: ignore[attr-defined]
        draft = IntakeDraft.new(officer.username, app.clock.now())  # type: ignore[attr-defined]
        app.push_screen(IntakeScreen(draft))

    def _case_commands(self) -> list[Command]:
        screen = self.screen
        if type(screen).__name__ != "CaseScreen":
            return []
        found = []
        for action, parameters, name, key in case_commands():
            if screen.check_action(action, parameters) is True:
                call = f"{action}({', '.join(repr(p) for p in parameters)})"
                found.append((name, partial(screen.run_action, call), key))
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
