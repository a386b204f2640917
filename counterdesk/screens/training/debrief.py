"""After an exercise: the score, the time and keys, each mistake with the rule that
applied (the scorer's words, never re-derived here), and the handling the shared check
called for. The result is already kept in the sandbox and on its way to the server."""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Static

from counterdesk import i18n
from counterdesk.domain.checklist import Shortfall
from counterdesk.domain.training.mistakes import PASS_MARK
from counterdesk.i18n import _
from counterdesk.screens.base import CounterScreen
from counterdesk.screens.labels import outcome_label
from counterdesk.screens.training.banner import clock_text, mode_label
from counterdesk.screens.training.desk import said, title_of
from counterdesk.services.training import Finished, TrainingSandbox
from counterdesk.widgets.key_bar import KeyBar
from counterdesk.widgets.status_bar import StatusBar


class DebriefScreen(CounterScreen):
    @classmethod
    def help_title(cls) -> str:
        return _("Training: debrief")

    BINDINGS = [
        Binding("enter", "next", "Next scenario", id="training.next"),
        Binding("f2", "again", "Try again", id="training.again"),
        Binding("escape", "next", "Scenarios", show=False, id="training.back"),
    ]

    def __init__(self, sandbox: TrainingSandbox, finished: Finished, mode: str) -> None:
        super().__init__()
        self.sandbox = sandbox
        self.finished = finished
        self.mode = mode

    def compose(self) -> ComposeResult:
        yield Static(
            f"{_('Debrief')} · {title_of(self.finished.scenario)}",
            id="debrief-title",
            classes="title-bar",
        )
        with VerticalScroll(id="debrief-body"):
            yield Static(self._summary(), id="debrief-summary")
            yield Static(self._mistakes(), id="debrief-mistakes")
            yield Static(self._right_handling(), id="debrief-expected")
        yield StatusBar()
        yield KeyBar()

    def _summary(self) -> Text:
        result = self.finished.result
        text = Text()
        text.append(
            _("Score {points} / {max}").format(points=result.points, max=result.max_points),
            style="bold",
        )
        text.append("  ")
        if result.passed:
            text.append(_("Passed"), style="bold green")
        else:
            text.append(_("Not passed"), style="bold red")
        text.append(
            "  " + _("(a pass: {mark} or more and no serious mistake)").format(mark=PASS_MARK),
            style="dim",
        )
        text.append("\n")
        text.append(_("Time {clock}").format(clock=clock_text(result.seconds)))
        text.append(" · " + _("{n} keys").format(n=result.keys))
        text.append(" · " + mode_label(result.mode))
        text.append("\n")
        return text

    def _mistakes(self) -> RenderableType:
        mistakes = self.finished.result.mistakes
        if not mistakes:
            return Text(_("No mistakes: full marks.") + "\n", style="bold green")
        zh = i18n.current() == "zh"
        table = Table(box=None, padding=(0, 1), expand=True, show_edge=False)
        table.add_column(_("Points"), justify="right", no_wrap=True, width=6)
        table.add_column(_("What happened"), ratio=1, overflow="fold")
        table.add_column(_("The rule"), ratio=1, overflow="fold")
        for mistake in mistakes:
            points = Text(f"-{mistake.points}", style="bold red" if mistake.serious else "bold")
            if mistake.serious:
                points.append("!", style="bold red")
            table.add_row(
                points,
                mistake.detail_zh if zh else mistake.detail_en,
                Text(mistake.rule_zh if zh else mistake.rule_en, style="dim"),
            )
        heading = Text(_("Mistakes (! serious)"), style="bold underline")
        return Group(heading, table, Text(""))

    def _right_handling(self) -> RenderableType:
        expected = self.finished.score.expected
        catalogue = self.services.catalogue
        table = Table.grid(padding=(0, 2))
        table.add_column(style="bold", no_wrap=True)
        table.add_column(overflow="fold")
        target = catalogue.target(expected.target) if expected.target else None
        if target is not None:
            name = target.name_en if i18n.current() == "en" and target.name_en else target.name
            table.add_row(_("Item"), f"{target.code} {name}")
        else:
            table.add_row(_("Item"), _("none of this centre's"))
        table.add_row(_("Decision"), outcome_label(expected.outcome))
        if expected.missing:
            table.add_row(_("Notice lists"), _listed(catalogue, expected.missing))
        if expected.deferred:
            table.add_row(_("Deferred"), _listed(catalogue, expected.deferred))
        refusal = expected.refusal
        if refusal is not None:
            labels = {
                "no_licence_needed": _("No licence is needed"),
                "not_this_authority": _("Not this authority's matter"),
                "other": _("Other reason"),
            }
            table.add_row(_("Ground"), labels.get(refusal.ground, refusal.ground))
            table.add_row(_("Reason"), said(refusal.reason))
            if refusal.competent_authority is not None:
                authority = refusal.competent_authority
                table.add_row(
                    _("Competent"), authority.zh if i18n.current() == "zh" else authority.en
                )
        heading = Text(_("What the check called for"), style="bold underline")
        return Group(heading, table)

    def action_next(self) -> None:
        self.dismiss(None)

    def action_again(self) -> None:
        from counterdesk.screens.training.brief import BriefScreen

        self.app.switch_screen(BriefScreen(self.sandbox, self.finished.scenario, self.mode))


def _listed(catalogue: object, shortfalls: tuple[Shortfall, ...]) -> str:
    from counterdesk.screens.decisions import shortfall_lines

    return shortfall_lines(catalogue, shortfalls)  # type: ignore[arg-type]
