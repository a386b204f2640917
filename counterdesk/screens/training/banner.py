"""The TRAINING banner at the start of every screen's status bar in training mode: the
mode, the time taken (and what is left of an exam's limit), the keys pressed; and, in
guided mode, the scenario's hints for the step of the intake the trainee is at.

The step is read from where the cursor is: the item search (target), the applicant's
entries (applicant), the item's fields (facts), the checklist (papers, then the decision
taken from it), a decision dialog (decision, then printing).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from rich.text import Text

from counterdesk import i18n
from counterdesk.i18n import _

if TYPE_CHECKING:  # the training services load when training mode is first entered
    from counterdesk.services.training import ScenarioRun

BANNER_STYLE = "bold black on yellow"


@dataclass(frozen=True)
class Banner:
    """What the status bar shows in front of the link, and the hint line under it."""

    label: Text
    hint: str = ""


def clock_text(seconds: float) -> str:
    seconds = max(0, int(seconds))
    return f"{seconds // 60:02d}:{seconds % 60:02d}"


def mode_label(mode: str) -> str:
    return _("Guided") if mode == "guided" else _("Exam")


def banner_for(run: ScenarioRun | None, now: dt.datetime, steps: tuple[str, ...]) -> Banner:
    label = Text(no_wrap=True, end="")
    label.append(" " + _("TRAINING") + " ", style=BANNER_STYLE)
    if run is None:
        return Banner(label)
    label.append(" " + mode_label(run.mode), style="bold")
    left = run.time_left(now)
    if left is None:
        label.append(" · " + _("time {clock}").format(clock=clock_text(run.seconds(now))))
    else:
        limit = clock_text(run.time_limit or 0)
        style = "bold red" if left <= 60 else ""
        label.append(" · ")
        label.append(
            _("{clock} left of {limit}").format(clock=clock_text(left), limit=limit), style=style
        )
    label.append(" · " + _("{n} keys").format(n=run.keys))
    hints = run.hints(steps)
    hint = ""
    if hints:
        said = [h.zh if i18n.current() == "zh" else h.en for h in hints]
        hint = _("Hint: {text}").format(text="  ".join(said))
    return Banner(label, hint)


def current_steps(app: Any) -> tuple[str, ...]:
    """The intake steps the trainee is at, from the screen and the focused widget."""
    from counterdesk.screens.decisions import DecisionModal
    from counterdesk.screens.intake import IntakeScreen
    from counterdesk.widgets.checklist_table import ChecklistTable
    from counterdesk.widgets.intake_form import APPLICANT_INPUTS

    screen = app.screen
    if isinstance(screen, DecisionModal):
        return ("decision", "print")
    if not isinstance(screen, IntakeScreen):
        return ()
    focused = screen.focused
    name = (focused.id or "") if focused is not None else ""
    if isinstance(focused, ChecklistTable):
        return ("papers", "decision")
    if name == "search":
        return ("target",)
    if name in APPLICANT_INPUTS:
        return ("applicant",)
    if name.startswith("field-"):
        return ("facts",)
    return ()
