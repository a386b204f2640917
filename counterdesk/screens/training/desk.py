"""What lies on the counter in a scenario, as the trainee would see it at a real one: who
the applicant is and what they say, their ID card, the application form as they filled it
in (slips included), and the papers they put down, each with what can be read on it.

Whether a paper counts is never said: judging that (expired, someone else's, illegible…)
is the exercise.
"""

from __future__ import annotations

from typing import Any

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Static

from counterdesk import i18n
from counterdesk.domain.catalogue import Catalogue
from counterdesk.domain.training import Scenario
from counterdesk.domain.training.model import Bilingual
from counterdesk.i18n import _
from counterdesk.screens.base import CounterModal
from counterdesk.widgets.key_bar import KeyBar


def said(text: Bilingual | None) -> str:
    """A scenario text in the trainee's language."""
    if text is None:
        return ""
    return text.zh if i18n.current() == "zh" else text.en


def level_label(level: str) -> str:
    return {
        "beginner": _("Beginner"),
        "intermediate": _("Intermediate"),
        "exam": _("Exam level"),
    }.get(level, level)


def title_of(scenario: Scenario) -> str:
    return scenario.title if i18n.current() == "zh" else scenario.title_en


def _heading(text: str) -> Text:
    return Text(text, style="bold underline")


def grid_style() -> Table:
    table = Table.grid(padding=(0, 2))
    table.add_column(style="bold", no_wrap=True)
    table.add_column(overflow="fold")
    return table


def _shown(value: Any) -> str:
    if value is True:
        return _("yes")
    if value is False:
        return _("no")
    return str(value)


def desk(scenario: Scenario, catalogue: Catalogue) -> RenderableType:
    parts: list[RenderableType] = []
    head = Text(title_of(scenario), style="bold")
    head.append("  " + level_label(scenario.level), style="dim")
    parts += [head, Text(said(scenario.situation)), Text("")]
    parts += [_heading(_("The applicant says")), Text("“" + said(scenario.request) + "”"), Text("")]
    parts += [_heading(_("ID shown at the counter")), _identity(scenario), Text("")]
    form = _form(scenario, catalogue)
    if form is not None:
        parts += [_heading(_("The application form says")), form, Text("")]
    parts += [_heading(_("Papers on the desk")), _papers(scenario, catalogue)]
    return Group(*parts)


def _identity(scenario: Scenario) -> Table:
    person = scenario.applicant
    table = grid_style()
    valid = person.id_card_valid_until.isoformat() if person.id_card_valid_until else "—"
    if person.type == "legal":
        table.add_row(_("Company"), person.name)
        table.add_row(_("Credit code"), person.id_number or _("(none yet: being registered)"))
        table.add_row(_("Contact"), person.contact_name)
        table.add_row(_("Contact's ID"), person.contact_id_number or "—")
    else:
        table.add_row(_("Name"), person.name)
        table.add_row(_("ID number"), person.id_number)
    table.add_row(_("Card valid until"), valid)
    table.add_row(_("Phone"), person.phone)
    agent = scenario.agent
    if agent is not None:
        table.add_row(_("Agent"), agent.name)
        table.add_row(_("Agent ID"), agent.id_number)
        until = agent.id_card_valid_until.isoformat() if agent.id_card_valid_until else "—"
        table.add_row(_("Agent's card until"), until)
        table.add_row(_("Agent tel"), agent.phone)
    return table


def _form(scenario: Scenario, catalogue: Catalogue) -> Table | None:
    """The item fields as written on the form: the slips are what the applicant wrote."""
    target = catalogue.target(scenario.expected.target) if scenario.expected.target else None
    if target is None:
        return None
    fields = {f.key: f for item in catalogue.items_of(target) for f in item.fields}
    table = grid_style()
    for key, value in scenario.facts.items():
        field = fields.get(key)
        if field is None:
            continue
        label = field.label_en if i18n.current() == "en" and field.label_en else field.label
        table.add_row(label, _shown(scenario.slips.get(key, value)))
    return table if table.row_count else None


def _papers(scenario: Scenario, catalogue: Catalogue) -> Table:
    table = Table(box=None, padding=(0, 1), expand=False, show_edge=False)
    table.add_column(_("Paper"), overflow="fold")
    table.add_column(_("Originals"), justify="right", no_wrap=True)
    table.add_column(_("Copies"), justify="right", no_wrap=True)
    table.add_column(_("What you see on it"), overflow="fold")
    for paper in scenario.papers:
        material = catalogue.materials.get(paper.material)
        name = paper.material
        if material is not None:
            name = (
                material.name_en if i18n.current() == "en" and material.name_en else material.name
            )
        table.add_row(
            name,
            str(paper.original) if paper.original else "—",
            str(paper.copies) if paper.copies else "—",
            said(paper.note),
        )
    return table


class DeskModal(CounterModal):
    """The desk again, over the intake: the trainee looks up what they type."""

    @classmethod
    def help_title(cls) -> str:
        return _("Training: the desk")

    BINDINGS = [Binding("escape", "close", "Back", id="training.desk_close")]

    def __init__(self, scenario: Scenario, catalogue: Catalogue) -> None:
        super().__init__()
        self.scenario = scenario
        self.catalogue = catalogue

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide", id="desk-dialog"):
            yield Static(_("On the desk"), classes="dialog-title")
            with VerticalScroll(id="desk-body"):
                yield Static(desk(self.scenario, self.catalogue), id="desk")
        yield KeyBar()

    def action_close(self) -> None:
        self.dismiss(None)
