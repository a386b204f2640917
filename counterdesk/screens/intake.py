"""Intake on one screen: find the item or bundle, the applicant and the item's fields, the
checklist live from the shared check, and the decision the law allows.

Every change goes into the ``IntakeDraft`` and is saved at once in the background, so
nothing typed is lost. Enter moves to the next entry still needed, then to the checklist;
F5 marks every paper present; F6-F10 decide. With no item chosen (a matter no item of
this centre covers) F10 refuses, and the refusal names what the applicant asked for.
Rules are ``services/intake.py``'s and the domain's: this screen shows what they say.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget
from textual.widgets import Input, Static

from counterdesk import i18n
from counterdesk.domain.catalogue import Catalogue, Item
from counterdesk.domain.catalogue.search import SearchIndex
from counterdesk.i18n import _
from counterdesk.messages import CaseSaved
from counterdesk.screens.base import CounterScreen
from counterdesk.screens.labels import outcome_label, paper_label
from counterdesk.screens.scanning import ScanningMixin
from counterdesk.services import intake
from counterdesk.services.intake import Assessment, DecisionInput, IntakeDraft, IntakeError
from counterdesk.widgets.checklist_table import ChecklistTable
from counterdesk.widgets.intake_form import APPLICANT_INPUTS, IntakeForm
from counterdesk.widgets.item_search import ItemSearch
from counterdesk.widgets.key_bar import KeyBar
from counterdesk.widgets.status_bar import StatusBar
from counterdesk.widgets.verdict import Verdict

DECISIONS = {
    "receive": "receive",
    "accept": "accept",
    "defer": "accept_deferral",
    "notice": "notice",
    "refuse": "refuse",
}


class IntakeScreen(ScanningMixin, CounterScreen):
    BINDINGS = [
        Binding("escape", "back", "Queue", id="intake.back"),
        Binding("f2", "find_item", "Item", id="intake.item"),
        Binding("f3", "applicant_type", "Person/Org", id="intake.applicant_type"),
        Binding("f4", "agent", "Agent", id="intake.agent"),
        Binding("f5", "all_present", "All present", id="intake.all_present"),
        Binding("f6", "decide('receive')", "Receive", id="intake.receive"),
        Binding("f7", "decide('accept')", "Accept", id="intake.accept"),
        Binding("f8", "decide('defer')", "Defer", id="intake.defer"),
        Binding("f9", "decide('notice')", "Notice", id="intake.notice"),
        Binding("f10", "decide('refuse')", "Refuse", id="intake.refuse"),
        Binding("ctrl+g", "sharing", "Sharing", id="intake.sharing"),
    ]

    allowed: reactive[frozenset[str]] = reactive(frozenset(), bindings=True)

    @dataclass
    class Submitted(Message):
        result: intake.SubmittedCase

    @dataclass
    class SubmitFailed(Message):
        error: IntakeError

    @dataclass
    class DraftSaved(Message):
        at: str

    def __init__(self, draft: IntakeDraft) -> None:
        super().__init__()
        self.draft = draft
        self.catalogue: Catalogue | None = None
        self.assessment = Assessment(None)
        self.submitting = False

    def compose(self) -> ComposeResult:
        yield Static("", id="intake-title", classes="title-bar")
        with Horizontal(id="target-line"):
            yield ItemSearch(id="item-search")
            yield Static("", id="target")
        with Horizontal(id="intake-body"):
            yield IntakeForm(self.draft, id="intake-form")
            with Vertical(id="checklist-side"):
                yield Static(_("Materials"), classes="section")
                yield ChecklistTable(id="checklist")
                yield Verdict(id="verdict")
        yield StatusBar()
        yield KeyBar()

    def on_mount(self) -> None:
        self._title(_("not saved yet"))
        self.query_one("#search", Input).focus()
        self.load_catalogue()

    @work(thread=True, exclusive=True, group="intake-catalogue", exit_on_error=False)
    def load_catalogue(self) -> None:
        catalogue, index = self.services.load_catalogue()
        self.app.call_from_thread(self._catalogue_ready, catalogue, index)

    async def _catalogue_ready(self, catalogue: Catalogue, index: SearchIndex) -> None:
        self.catalogue = catalogue
        self.query_one(ItemSearch).use_index(index)
        if self.draft.target:
            await self._show_target(focus=False)
        self.reassess()
        self.refresh_pages()  # a resumed draft may have scanned pages

    def _title(self, saved: str) -> None:
        self.query_one("#intake-title", Static).update(
            f"{_('New intake')} · {self.officer.shown} · " + _("draft: {state}").format(state=saved)
        )

    # The target

    @on(ItemSearch.Chosen)
    async def _chosen(self, event: ItemSearch.Chosen) -> None:
        self.draft.target = event.code
        # Enter already moved the cursor on (after_enter); a click did not.
        await self._show_target(focus=self.focused is self.query_one("#search"))
        self.changed()

    async def _show_target(self, *, focus: bool) -> None:
        assert self.catalogue is not None
        target = self.catalogue.target(self.draft.target)
        if target is None:
            return
        types = intake.applicant_types(self.catalogue, target)
        if types and self.draft.applicant_type not in types:
            self.draft.applicant_type = types[0]
        line = Text(no_wrap=True, overflow="ellipsis")
        line.append(target.code + " ", style="bold")
        line.append(target.name_en if i18n.current() == "en" and target.name_en else target.name)
        if isinstance(target, Item):
            department = self.catalogue.departments.get(target.department)
            if department:
                line.append(f" · {department.name}", style="dim")
        else:
            line.append(" · " + _("{n} items").format(n=len(target.items)), style="dim")
        self.query_one("#target", Static).update(line)
        form = self.query_one(IntakeForm)
        form.show_kinds()
        fields = intake.target_fields(self.catalogue, target)
        values = intake.effective_fields(self.catalogue, self.draft)
        await form.show_fields(fields, values)
        if focus:
            self.focus_next_needed(after=None)

    # Edits

    @on(Input.Changed)
    def _edited(self, event: Input.Changed) -> None:
        name = event.input.id or ""
        if name == "search":
            return
        if name in APPLICANT_INPUTS:
            setattr(self.draft, name, event.value)
        elif name.startswith("field-"):
            key = name.removeprefix("field-")
            self.draft.fields[key] = event.value
            if key in intake.FROM_APPLICANT and key not in self.draft.edited_fields:
                self.draft.edited_fields.append(key)
        else:
            return
        self.changed()

    def changed(self) -> None:
        """After any edit: refill fields copied from the applicant, notes, check, save."""
        self._sync_copied_fields()
        self._notes()
        self.reassess()
        self.services.drafts.offer(self.draft, self.counter.clock.now())
        self.save_draft()

    def _sync_copied_fields(self) -> None:
        if self.catalogue is None:
            return
        values = intake.effective_fields(self.catalogue, self.draft)
        for key in intake.FROM_APPLICANT:
            if key in self.draft.edited_fields:
                continue
            for widget in self.query(f"#field-{key}").results(Input):
                if widget.value != values.get(key, ""):
                    with widget.prevent(Input.Changed):  # a copy, not the officer's edit
                        widget.value = values.get(key, "")

    def _notes(self, *, required: bool = False) -> None:
        today = self.counter.clock.today()
        form = self.query_one(IntakeForm)
        problems = intake.entry_problems(self.catalogue, self.draft, today, required=required)
        focused = self.focused.id if self.focused else None
        for name in (*APPLICANT_INPUTS, *(f"field-{k}" for k in form.field_keys)):
            row = form.row(name)
            value = row.input.value.strip()
            problem = problems.get(name, "")
            if problem:
                still_typing = name == focused and name in ("id_number", "agent_id", "phone")
                row.show_note(problem, level="pending" if still_typing else "error")
            elif value and name in ("id_number", "agent_id", "phone", "agent_phone"):
                row.show_note("✓", level="ok")
            else:
                row.show_note("")

    def reassess(self) -> None:
        if self.catalogue is None:
            return
        link = self.services.connectivity.state()
        self.assessment = intake.assess(
            self.catalogue, self.draft, self.counter.clock.today(), link.sharing_available
        )
        self.query_one(ChecklistTable).show(self.assessment.result, self.draft.received)
        self.query_one(Verdict).show(self.assessment, link.sharing_available, self.draft.sharing)
        # No item chosen: a matter no item of this centre covers, which can only be refused.
        self.allowed = frozenset(
            intake.allowed_outcomes(self.assessment, unlisted=not self.draft.target)
        )

    @work(thread=True, group="drafts", exit_on_error=False)
    def save_draft(self) -> None:
        if self.services.drafts.flush():
            self.post_message(self.DraftSaved(self.counter.clock.now().strftime("%H:%M:%S")))

    def on_intake_screen_draft_saved(self, message: DraftSaved) -> None:
        self._title(_("saved {time}").format(time=message.at))

    # Moving around

    def focus_next_needed(self, after: str | None) -> None:
        self.next_needed(after).focus()

    def next_needed(self, after: str | None) -> Widget:
        """Where Enter goes: the next entry still needed (empty and required, or wrong),
        else the checklist."""
        today = self.counter.clock.today()
        problems = intake.entry_problems(self.catalogue, self.draft, today, required=True)
        form = self.query_one(IntakeForm)
        order = [*APPLICANT_INPUTS, *(f"field-{k}" for k in form.field_keys)]
        start = order.index(after) + 1 if after in order else 0
        for name in order[start:] + order[:start]:
            if name in problems and form.row(name).display:
                return form.row(name).input
        return self.query_one(ChecklistTable)

    def after_enter(self, field: Input) -> Widget | None:
        """Called by the entry as Enter is pressed, before keys typed ahead go on."""
        name = field.id or ""
        if name == "search":
            search = self.query_one(ItemSearch)
            search.catch_up()
            return self.query_one("#name", Input) if search.hits else None
        if name in APPLICANT_INPUTS:
            setattr(self.draft, name, field.value)  # its Changed may still be on its way
        elif name.startswith("field-"):
            self.draft.fields[name.removeprefix("field-")] = field.value
        return self.next_needed(after=name)

    @on(Input.Submitted)
    def _enter(self, event: Input.Submitted) -> None:
        if event.input.id not in ("search", None):
            event.stop()

    def action_find_item(self) -> None:
        self.query_one("#search", Input).focus()

    def action_applicant_type(self) -> None:
        allowed = ("natural", "legal")
        if self.catalogue is not None and self.draft.target:
            allowed = intake.applicant_types(
                self.catalogue, self.catalogue.target(self.draft.target)
            )
        other = "legal" if self.draft.applicant_type == "natural" else "natural"
        if other not in allowed:
            self.notify(_("This item does not take this kind of applicant."), severity="warning")
            return
        self.draft.applicant_type = other
        self.query_one(IntakeForm).show_kinds()
        self.changed()

    def action_agent(self) -> None:
        self.draft.has_agent = not self.draft.has_agent
        self.query_one(IntakeForm).show_kinds()
        self.changed()
        if self.draft.has_agent:
            self.query_one("#agent_name", Input).focus()

    def action_sharing(self) -> None:
        self.draft.sharing = not self.draft.sharing
        self.changed()

    def action_all_present(self) -> None:
        intake.mark_all_present(self.draft, self.assessment)
        self.changed()

    def scan_owner(self) -> str:
        return self.draft.id  # the draft's id becomes the case's

    def pages_changed(self, material: str, before: int, after: int) -> None:
        """A scanned line counts as a copy made at the counter (the services' rule)."""
        from counterdesk.services.attachments import credit_scanned_copy

        credit_scanned_copy(self.draft.received, material, before, after)
        self.changed()

    @on(ChecklistTable.LineEdited)
    def _line_edited(self, event: ChecklistTable.LineEdited) -> None:
        intake.edit_line(
            self.draft, self.assessment, event.edit, event.material, event.original, event.copies
        )
        self.changed()

    def action_back(self) -> None:
        if self.draft.is_empty:
            self.discard_empty()
        self.dismiss()

    @work(thread=True, exclusive=True, group="discard", exit_on_error=False)
    def discard_empty(self) -> None:
        self.services.drafts.discard(self.draft.id)

    # Deciding

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "decide":
            outcome = DECISIONS[str(parameters[0])]
            return None if outcome not in self.allowed or self.submitting else True
        if action == "all_present":
            return True if self.assessment.result is not None else None
        return True

    def action_decide(self, which: str) -> None:
        from counterdesk.screens import decisions

        outcome = DECISIONS[which]
        if outcome not in self.allowed or self.catalogue is None or self.submitting:
            return
        today = self.counter.clock.today()
        if intake.entry_problems(self.catalogue, self.draft, today, required=True):
            self._notes(required=True)
            self.focus_next_needed(after=None)
            self.notify(_("Some entries need attention before the decision."), severity="warning")
            return
        if not self.draft.target:  # no item covers it: what was asked for, then refuse
            searched = self.query_one("#search", Input).value
            self.app.push_screen(decisions.RefusalModal(searched), callback=self._decided)
            return
        result = self.assessment.result
        assert result is not None
        modal = {
            "accept": None,
            "accept_deferral": lambda: decisions.DeferralModal(
                self.catalogue, result.deferred, intake.default_due(self.catalogue, today, outcome)
            ),
            "notice": lambda: decisions.NoticeModal(
                self.catalogue,
                (*result.missing, *result.deferred),
                intake.default_due(self.catalogue, today, outcome),
            ),
            "refuse": decisions.RefusalModal,
            "receive": lambda: decisions.ReceiveModal(
                intake.notice_deadline(self.catalogue, today)
            ),
        }[outcome]
        if modal is None:
            self.submit(DecisionInput("accept"))
        else:
            self.app.push_screen(modal(), callback=self._decided)

    def _decided(self, decision: DecisionInput | None) -> None:
        if decision is not None:
            self.submit(decision)

    def submit(self, decision: DecisionInput) -> None:
        self.submitting = True
        self.refresh_bindings()
        self.services.drafts.retire(self.draft.id)
        self.run_submit(decision)

    @work(thread=True, exclusive=True, group="submit", exit_on_error=False)
    def run_submit(self, decision: DecisionInput) -> None:
        services = self.services
        try:
            result = intake.submit(services.intake_context(self.officer), self.draft, decision)
        except IntakeError as exc:
            services.drafts.revive(self.draft, self.counter.clock.now())
            self.post_message(self.SubmitFailed(exc))
            return
        services.saved()  # the sync engine sends the new case now
        self.post_message(self.Submitted(result))

    def on_intake_screen_submit_failed(self, message: SubmitFailed) -> None:
        self.submitting = False
        self.refresh_bindings()
        self._notes(required=True)
        self.notify(str(message.error), title=_("Not saved"), severity="error")

    def on_intake_screen_submitted(self, message: Submitted) -> None:
        case = message.result.case
        outcome = case.decision.outcome if case.decision else "receive"
        papers = ", ".join(paper_label(doc.value) for doc in message.result.papers)
        self.notify(
            _("Case {number}: {outcome}. Printing: {papers}").format(
                number=case.number, outcome=outcome_label(outcome), papers=papers
            ),
            title=_("Saved"),
        )
        self.counter.print_papers(case.id, tuple(doc.value for doc in message.result.papers))
        self.app.post_message(CaseSaved(case.id, case.number, outcome))
        self.dismiss(case.id)
