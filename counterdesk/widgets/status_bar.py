"""The line at the bottom of every screen: the link to the server, operations waiting,
print jobs and the last error. It renders the App's state; it fetches nothing itself.

In training mode it begins with the App's TRAINING banner (``App.training_banner()``: the
mode, time and keys of the exercise) and counts results waiting to be sent instead of
operations; guided mode's hint for the step at hand goes on a line of its own below.
"""

from __future__ import annotations

from rich.console import Group
from rich.text import Text
from textual.widgets import Static

from counterdesk.i18n import _
from counterdesk.services.connectivity import ConnectivityState, LinkMode
from counterdesk.services.print_status import PrintSummary

_LINK_STYLE = {
    LinkMode.STANDALONE: "bold",
    LinkMode.ONLINE: "bold green",
    LinkMode.SYNCING: "bold cyan",
    LinkMode.OFFLINE: "bold yellow",
}


def link_label(mode: LinkMode) -> str:
    return {
        LinkMode.STANDALONE: _("Standalone"),
        LinkMode.ONLINE: _("Online"),
        LinkMode.OFFLINE: _("Offline"),
        LinkMode.SYNCING: _("Syncing"),
    }[mode]


class StatusBar(Static):
    """Mounted on every screen; follows the App's ``link``, ``printing`` and ``last_error``."""

    def on_mount(self) -> None:
        for name in ("link", "printing", "last_error", "training", "training_tick"):
            if hasattr(self.app, name):
                self.watch(self.app, name, self._changed, init=False)
        self._changed()

    def _changed(self, *_args: object) -> None:
        app = self.app
        banner_of = getattr(app, "training_banner", None)
        banner = banner_of() if callable(banner_of) else None
        status = render_status(
            getattr(app, "link", ConnectivityState(LinkMode.STANDALONE)),
            getattr(app, "printing", PrintSummary()),
            getattr(app, "last_error", ""),
            training=banner is not None,
        )
        hint = getattr(banner, "hint", "")
        self.set_class(bool(hint), "-hint")
        if banner is None:
            self.update(status)
            return
        line = Text(no_wrap=True, overflow="ellipsis")
        line.append_text(banner.label)
        line.append("  ")
        line.append_text(status)
        self.update(Group(line, Text(hint, style="italic")) if hint else line)


def render_status(
    link: ConnectivityState, printing: PrintSummary, error: str, *, training: bool = False
) -> Text:
    text = Text(no_wrap=True, overflow="ellipsis")
    text.append("● ", style=_LINK_STYLE[link.mode])
    text.append(link_label(link.mode), style=_LINK_STYLE[link.mode])
    if link.mode is LinkMode.OFFLINE and link.since is not None:
        text.append(" " + _("since {time}").format(time=link.since.strftime("%H:%M")))
    text.append("  │ ")
    waiting = (
        _("{n} results to send").format(n=link.waiting)
        if training
        else _("{n} operations waiting").format(n=link.waiting)
    )
    text.append(
        waiting,
        style="bold yellow" if link.waiting and link.mode is not LinkMode.STANDALONE else "",
    )
    if link.rejected:
        text.append("  " + _("{n} refused").format(n=link.rejected), style="bold red")
    text.append("  │ ")
    if printing.failing:
        text.append(
            _("Printing: {n} waiting, {f} failing").format(n=printing.waiting, f=printing.failing),
            style="bold red",
        )
    else:
        text.append(_("Printing: {n} waiting").format(n=printing.waiting))
    problem = error or link.last_error or printing.last_problem
    if problem:
        text.append("  │ ")
        text.append(problem, style="bold red")
    return text
