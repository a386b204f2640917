"""The left half of the intake screen: the applicant (and agent), then the item's own
fields. Inputs are named after the draft's attributes (``name``, ``id_number``…) or
``field-KEY`` for an item field, so the screen maps each change onto the draft."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from counterdesk import i18n
from counterdesk.domain.catalogue import FormField
from counterdesk.i18n import _
from counterdesk.services.intake import IntakeDraft
from counterdesk.widgets.fields import FieldRow

APPLICANT_INPUTS = (
    "name",
    "id_number",
    "contact_name",
    "phone",
    "address",
    "agent_name",
    "agent_id",
    "agent_phone",
)
AGENT_INPUTS = ("agent_name", "agent_id", "agent_phone")


def field_hint(form_field: FormField) -> str:
    if form_field.type == "choice":
        return " ".join(f"{n}={choice}" for n, choice in enumerate(form_field.choices, 1))
    if form_field.type == "bool":
        return _("y = yes, n = no")
    if form_field.type == "date":
        return "YYYY-MM-DD"
    return ""


class IntakeForm(VerticalScroll):
    def __init__(self, draft: IntakeDraft, *, id: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id, can_focus=False)
        self.draft = draft
        self.field_keys: list[str] = []

    def compose(self) -> ComposeResult:
        d = self.draft
        yield Static(_("Applicant"), classes="section")
        yield Static("", id="applicant-type", classes="toggle-line")
        yield FieldRow(_("Name"), "name", value=d.name, required=True)
        yield FieldRow(_("ID number"), "id_number", value=d.id_number, required=True)
        yield FieldRow(_("Contact"), "contact_name", value=d.contact_name, required=True)
        yield FieldRow(_("Phone"), "phone", value=d.phone, required=True)
        yield FieldRow(_("Address"), "address", value=d.address)
        yield Static("", id="agent-toggle", classes="toggle-line")
        yield FieldRow(_("Agent"), "agent_name", value=d.agent_name, required=True)
        yield FieldRow(_("Agent ID"), "agent_id", value=d.agent_id, required=True)
        yield FieldRow(_("Agent tel"), "agent_phone", value=d.agent_phone)
        yield Static(_("Item details"), classes="section", id="fields-title")

    def on_mount(self) -> None:
        self.show_kinds()

    def show_kinds(self) -> None:
        """Show the rows the applicant type and the agent switch call for."""
        d = self.draft
        legal = d.applicant_type == "legal"
        natural_mark, legal_mark = ("○", "●") if legal else ("●", "○")
        line = Text()
        line.append(_("Type") + "  ", style="bold")
        line.append(f"{natural_mark} {_('Person')}  {legal_mark} {_('Organisation')}")
        line.append("  (F3)", style="dim")
        self.query_one("#applicant-type", Static).update(line)
        self.query_one("#row-contact_name").display = legal
        self.query_one("#row-name", FieldRow).query_one(".field-label").update(
            (_("Company") if legal else _("Name")) + " *"
        )
        self.query_one("#row-id_number", FieldRow).query_one(".field-label").update(
            (_("Credit code") if legal else _("ID number")) + " *"
        )
        agent = Text()
        agent.append(_("Agent") + "  ", style="bold")
        agent.append(_("yes") if d.has_agent else _("no"))
        agent.append("  (F4)", style="dim")
        self.query_one("#agent-toggle", Static).update(agent)
        for name in AGENT_INPUTS:
            self.query_one(f"#row-{name}").display = d.has_agent

    async def show_fields(self, fields: list[FormField], values: dict[str, str]) -> None:
        """Replace the item-field rows with those of the chosen target."""
        await self.query(".item-field").remove()
        self.field_keys = [f.key for f in fields]
        rows = [
            FieldRow(
                f.label_en if i18n.current() == "en" and f.label_en else f.label,
                f"field-{f.key}",
                value=values.get(f.key, ""),
                hint=field_hint(f),
                required=f.required,
                classes="item-field",
            )
            for f in fields
        ]
        if rows:
            await self.mount_all(rows)
        self.query_one("#fields-title").display = bool(rows)

    def row(self, input_id: str) -> FieldRow:
        return self.query_one(f"#row-{input_id}", FieldRow)
