"""The decisions that need more than a key: what the law asks the counter to record for a
deferral, a one-time notice, a refusal, or receiving now and deciding later. Each modal
returns a ``DecisionInput`` (or None when the officer goes back)."""

from __future__ import annotations

import datetime as dt

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, RadioButton, RadioSet, Static

from counterdesk.domain.catalogue import Catalogue
from counterdesk.domain.checklist import Shortfall
from counterdesk.i18n import _
from counterdesk.screens.base import CounterModal
from counterdesk.services.intake import DecisionInput
from counterdesk.widgets.fields import FieldRow
from counterdesk.widgets.key_bar import KeyBar


def shortfall_lines(catalogue: Catalogue, shortfalls: tuple[Shortfall, ...]) -> str:
    lines = []
    for shortfall in shortfalls:
        material = catalogue.materials.get(shortfall.material)
        name = material.name if material else shortfall.material
        counts = []
        if shortfall.original:
            counts.append(_("{n} original").format(n=shortfall.original))
        if shortfall.copies:
            counts.append(_("{n} copies").format(n=shortfall.copies))
        lines.append(f"• {name}  {', '.join(counts)}")
    return "\n".join(lines) or "—"


class DecisionModal(CounterModal):
    BINDINGS = [Binding("escape", "cancel", "Back", id="decision.cancel")]
    title_text = ""

    def action_cancel(self) -> None:
        self.dismiss(None)

    def _due(self) -> dt.date | None:
        text = self.query_one("#due", Input).value.strip()
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            self.query_one("#row-due", FieldRow).show_note(_("A date: YYYY-MM-DD."))
            return None


class DeferralModal(DecisionModal):
    """容缺受理: the deferred papers, when they are due, and the applicant's commitment."""

    def __init__(self, catalogue: Catalogue, deferred: tuple[Shortfall, ...], due: dt.date) -> None:
        super().__init__()
        self._body = shortfall_lines(catalogue, deferred)
        self._due_default = due

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(_("Accept with deferral"), classes="dialog-title")
            yield Static(_("To be brought later:") + "\n" + self._body, classes="dialog-body")
            yield FieldRow(_("Due"), "due", value=self._due_default.isoformat())
            yield Static(
                _("Enter records that the applicant signed the deferral commitment."),
                classes="dialog-keys",
            )
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one("#due", Input).focus()

    @on(Input.Submitted, "#due")
    def _confirm(self, event: Input.Submitted) -> None:
        event.stop()
        due = self._due()
        if due is not None:
            self.dismiss(DecisionInput("accept_deferral", due=due, commitment_signed=True))


class NoticeModal(DecisionModal):
    """一次性告知: everything missing, in one go, and by when."""

    def __init__(self, catalogue: Catalogue, missing: tuple[Shortfall, ...], due: dt.date) -> None:
        super().__init__()
        self._body = shortfall_lines(catalogue, missing)
        self._due_default = due

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(_("One-time notice of everything missing"), classes="dialog-title")
            yield Static(_("The applicant must supply:") + "\n" + self._body, classes="dialog-body")
            yield FieldRow(_("Due"), "due", value=self._due_default.isoformat())
            yield FieldRow(_("Note"), "note", placeholder=_("optional"))
            yield Static(
                _("Enter issues the notice; the case waits for the supplement, its clock stopped."),
                classes="dialog-keys",
            )
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one("#due", Input).focus()

    @on(Input.Submitted)
    def _confirm(self, event: Input.Submitted) -> None:
        event.stop()
        due = self._due()
        if due is not None:
            note = self.query_one("#note", Input).value
            self.dismiss(DecisionInput("notice", due=due, reason=note))


GROUNDS = ("no_licence_needed", "not_this_authority", "other")


class RefusalModal(DecisionModal):
    """不予受理: the ground, the competent authority where it is another's, the reason. With
    ``asked_for`` (no item chosen: a matter no item of this centre covers) it also asks
    what the applicant asked for, starting from the item search's text."""

    def __init__(self, asked_for: str | None = None) -> None:
        super().__init__()
        self._asked_for = asked_for

    @property
    def unlisted(self) -> bool:
        return self._asked_for is not None

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(_("Refuse to accept"), classes="dialog-title")
            if self._asked_for is not None:
                yield Static(
                    _("No item of this centre covers the request: say what was asked for."),
                    classes="dialog-body",
                )
                yield FieldRow(
                    _("Asked for"), "asked_for", value=self._asked_for.strip(), required=True
                )
            with RadioSet(id="ground"):
                yield RadioButton(_("No licence is needed"), value=True)
                yield RadioButton(_("Not this authority's matter"))
                yield RadioButton(_("Other reason"))
            yield FieldRow(_("Competent"), "competent_authority", placeholder=_("authority"))
            yield FieldRow(_("Reason"), "reason", required=True)
            yield Static(
                _("Enter in the reason refuses and prints the notice."), classes="dialog-keys"
            )
        yield KeyBar()

    def on_mount(self) -> None:
        if self.unlisted:
            self.query_one("#asked_for", Input).focus()
        else:
            self.query_one("#ground", RadioSet).focus()
        self._ground_changed()

    @on(RadioSet.Changed)
    def _ground_changed(self) -> None:
        row = self.query_one("#row-competent_authority")
        row.display = self._ground() == "not_this_authority"

    def _ground(self) -> str:
        index = self.query_one("#ground", RadioSet).pressed_index
        return GROUNDS[index] if 0 <= index < len(GROUNDS) else "other"

    @on(Input.Submitted)
    def _confirm(self, event: Input.Submitted) -> None:
        event.stop()
        if event.input.id == "asked_for":
            if event.value.strip():
                self.query_one("#row-asked_for", FieldRow).show_note("")
                self.query_one("#ground", RadioSet).focus()
            else:
                self.query_one("#row-asked_for", FieldRow).show_note(_("Required."))
            return
        if event.input.id == "competent_authority":
            self.query_one("#reason", Input).focus()
            return
        ground = self._ground()
        reason = self.query_one("#reason", Input).value.strip()
        authority = self.query_one("#competent_authority", Input).value.strip()
        asked_for = self.query_one("#asked_for", Input).value.strip() if self.unlisted else ""
        if self.unlisted and not asked_for:
            self.query_one("#row-asked_for", FieldRow).show_note(_("Required."))
            self.query_one("#asked_for", Input).focus()
            return
        if not reason:
            self.query_one("#row-reason", FieldRow).show_note(_("Required."))
            return
        if ground == "not_this_authority" and not authority:
            self.query_one("#row-competent_authority", FieldRow).show_note(_("Required."))
            self.query_one("#competent_authority", Input).focus()
            return
        self.dismiss(
            DecisionInput(
                "refuse",
                refusal_ground=ground,
                reason=reason,
                competent_authority=authority,
                asked_for=asked_for,
            )
        )


class ReceiveModal(DecisionModal):
    """收件: take the papers now, decide within five working days (or it counts as accepted)."""

    BINDINGS = [Binding("enter", "confirm", "Receive", id="decision.receive")]

    def __init__(self, deadline: dt.date) -> None:
        super().__init__()
        self._deadline = deadline

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(_("Receive now, decide later"), classes="dialog-title")
            yield Static(
                _(
                    "The papers are received today. The decision (or the one-time notice) is "
                    "due by {date}: past it, the law counts the application as accepted."
                ).format(date=self._deadline.isoformat()),
                classes="dialog-body",
            )
            yield Static(_("Enter receives and prints the materials slip."), classes="dialog-keys")
        yield KeyBar()

    def action_confirm(self) -> None:
        self.dismiss(DecisionInput("receive"))
