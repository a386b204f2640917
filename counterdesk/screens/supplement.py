"""Back to a case's papers: decide a case received earlier, take the applicant's supplement
against the one-time notice, or the deferred papers a commitment promised.

The checklist is the intake's (``ChecklistTable``, the same keys: Space, o/O, c/C, m, a),
starting from what the case already holds; the shared check is asked again on every
change, and the decision keys are the intake's (F7 accept, F8 defer, F9 a new notice of
what remains, F10 refuse) with its dialogs (``screens/decisions.py``). For a deferral,
F7 records that the deferred papers were brought. Rules: ``services/supplement.py``.
The papers brought can be scanned on the checklist as at intake (s, i, v, x, S:
``screens/scanning.py``); their PDFs are attached to the case when the decision is saved.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.reactive import reactive
from textual.widgets import Static

from counterdesk.domain.cases import Case
from counterdesk.domain.catalogue import Catalogue
from counterdesk.i18n import _, bilingual
from counterdesk.messages import CaseSaved
from counterdesk.screens.base import CounterScreen
from counterdesk.screens.case_labels import recheck_title
from counterdesk.screens.labels import paper_label, state_label
from counterdesk.screens.scanning import ScanningMixin
from counterdesk.services import intake, supplement
from counterdesk.services.case_actions import CaseActionError, SavedCase
from counterdesk.services.decision import DecisionInput, default_due, notice_deadline
from counterdesk.services.intake import Assessment
from counterdesk.widgets.checklist_table import ChecklistTable, counts_label
from counterdesk.widgets.key_bar import KeyBar
from counterdesk.widgets.status_bar import StatusBar


class SupplementScreen(ScanningMixin, CounterScreen):
    BINDINGS = [
        Binding("escape", "back", "Back", id="supplement.back"),
        Binding("f5", "all_present", "All present", id="supplement.all_present"),
        Binding("f7", "decide('accept')", "Accept", id="supplement.accept"),
        Binding("f7", "fulfil", "Papers brought", id="supplement.fulfil"),
        Binding("f8", "decide('accept_deferral')", "Defer", id="supplement.defer"),
        Binding("f9", "decide('notice')", "Notice", id="supplement.notice"),
        Binding("f10", "decide('refuse')", "Refuse", id="supplement.refuse"),
    ]

    allowed: reactive[frozenset[str]] = reactive(frozenset(), bindings=True)

    @dataclass
    class Saved(Message):
        saved: SavedCase

    @dataclass
    class Failed(Message):
        error: CaseActionError

    def __init__(self, case: Case, fallback: dict[str, Any] | None = None) -> None:
        super().__init__()
        self.recheck = supplement.Recheck.start(case, False, fallback)
        self.catalogue: Catalogue | None = None
        self.assessment = Assessment(None)
        self.submitting = False

    @property
    def kind(self) -> str:
        return self.recheck.kind

    def compose(self) -> ComposeResult:
        case = self.recheck.case
        yield Static(
            f"{recheck_title(self.kind)} · {case.number} · {case.applicant.name} · "
            f"{case.target.name}",
            id="supplement-title",
            classes="title-bar",
        )
        yield Static("", id="supplement-asked")
        yield Static(_("Materials"), classes="section")
        yield ChecklistTable(id="checklist")
        yield Static("", id="supplement-verdict")
        yield StatusBar()
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one(ChecklistTable).focus()
        available = self.services.connectivity.state().sharing_available
        self.recheck = supplement.Recheck.start(self.recheck.case, available, self.recheck.fallback)
        self.load_catalogue()

    @work(thread=True, exclusive=True, group="supplement-catalogue", exit_on_error=False)
    def load_catalogue(self) -> None:
        catalogue = self.services.catalogue
        self.app.call_from_thread(self._catalogue_ready, catalogue)

    def _catalogue_ready(self, catalogue: Catalogue) -> None:
        self.catalogue = catalogue
        self.query_one("#supplement-asked", Static).update(self._asked_text())
        self.reassess()
        self.refresh_pages()  # pages scanned earlier for this case, not yet attached

    def _asked_text(self) -> Text:
        case = self.recheck.case
        text = Text()
        decision = case.decision
        if self.kind == "decide":
            assert self.catalogue is not None
            due = notice_deadline(self.catalogue, case.received_at.date())
            text.append(
                _("Received {date}: the decision or the one-time notice is due by {due}.").format(
                    date=case.received_at.date().isoformat(), due=due.isoformat()
                ),
                style="bold",
            )
            return text
        if decision is None:
            return text
        if self.kind == "supplement":
            text.append(
                _("The one-time notice of {date} asked for (due {due}):").format(
                    date=decision.decided_at.date().isoformat(),
                    due=decision.due.isoformat() if decision.due else "—",
                ),
                style="bold",
            )
        else:
            text.append(
                _("The commitment promised, by {due}:").format(
                    due=decision.due.isoformat() if decision.due else "—"
                ),
                style="bold",
            )
        for material, counts in self.recheck.asked.items():
            name = self._material_name(material)
            text.append(f"\n• {name}  {counts_label(counts['original'], counts['copies'])}")
        return text

    def _material_name(self, material: str) -> str:
        found = self.catalogue.materials.get(material) if self.catalogue else None
        return found.name if found else material

    # The check

    def reassess(self) -> None:
        if self.catalogue is None:
            return
        today = self.counter.clock.today()
        self.assessment = supplement.assess(self.catalogue, self.recheck, today)
        self.query_one(ChecklistTable).show(self.assessment.result, self.recheck.received)
        self.query_one("#supplement-verdict", Static).update(self._verdict())
        self.allowed = frozenset(supplement.allowed(self.recheck, self.assessment))

    def _verdict(self) -> Text:
        text = Text()
        result = self.assessment.result
        if self.assessment.problem:
            text.append(bilingual(self.assessment.problem), style="bold red")
            return text
        if result is None:
            return text
        if self.kind == "deferral":
            if result.outcome == "complete":
                text.append(_("Everything is here: the commitment is kept (F7)."), "bold green")
            else:
                text.append(
                    _("Still missing: {n} papers. The case stays accepted with deferral.").format(
                        n=len(result.missing) + len(result.deferred)
                    ),
                    style="bold yellow",
                )
            return text
        if result.outcome == "complete":
            text.append(_("Complete: accept (F7); the time limit runs from today."), "bold green")
        elif result.outcome == "deferrable":
            text.append(
                _("Only deferrable papers missing: defer (F8) or notice (F9)."), "bold yellow"
            )
        else:
            text.append(
                _("{n} required papers still missing: a new notice (F9) of what remains.").format(
                    n=len(result.missing)
                ),
                style="bold red",
            )
        text.append(
            "\n"
            + _("Promised {p} working days (by {pd}), legal {l} (by {ld})").format(
                p=result.promised_days,
                pd=result.promised_by.strftime("%m-%d"),
                l=result.legal_days,
                ld=result.legal_by.strftime("%m-%d"),
            )
        )
        return text

    def scan_owner(self) -> str:
        return self.recheck.case.id

    def pages_changed(self, material: str, before: int, after: int) -> None:
        """A scanned line counts as a copy made at the counter (the services' rule)."""
        from counterdesk.services.attachments import credit_scanned_copy

        credit_scanned_copy(self.recheck.received, material, before, after)
        self.reassess()

    @on(ChecklistTable.LineEdited)
    def _line_edited(self, event: ChecklistTable.LineEdited) -> None:
        intake.edit_line(
            self.recheck, self.assessment, event.edit, event.material, event.original, event.copies
        )
        self.reassess()

    def action_all_present(self) -> None:
        intake.mark_all_present(self.recheck, self.assessment)
        self.reassess()

    # Deciding

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "decide":
            if self.kind == "deferral":
                return False
            return True if parameters[0] in self.allowed and not self.submitting else None
        if action == "fulfil":
            if self.kind != "deferral":
                return False
            return True if supplement.FULFIL in self.allowed and not self.submitting else None
        if action == "all_present":
            return True if self.assessment.result is not None else None
        return True

    def action_decide(self, outcome: str) -> None:
        from counterdesk.screens import decisions

        result = self.assessment.result
        if outcome not in self.allowed or self.submitting or result is None:
            return
        catalogue = self.catalogue
        assert catalogue is not None
        today = self.counter.clock.today()
        if outcome == "accept":
            self.submit(DecisionInput("accept"))
            return
        if outcome == "accept_deferral":
            modal: Any = decisions.DeferralModal(
                catalogue, result.deferred, default_due(catalogue, today, outcome)
            )
        elif outcome == "notice":
            modal = decisions.NoticeModal(
                catalogue,
                (*result.missing, *result.deferred),
                default_due(catalogue, today, outcome),
            )
        else:
            modal = decisions.RefusalModal()
        self.app.push_screen(modal, callback=self._decided)

    def _decided(self, decision: DecisionInput | None) -> None:
        if decision is not None:
            self.submit(decision)

    def action_fulfil(self) -> None:
        if supplement.FULFIL in self.allowed and not self.submitting:
            self.submit(None)

    def submit(self, decision: DecisionInput | None) -> None:
        self.submitting = True
        self.refresh_bindings()
        self.run_submit(decision)

    @work(thread=True, exclusive=True, group="supplement-submit", exit_on_error=False)
    def run_submit(self, decision: DecisionInput | None) -> None:
        from counterdesk.services.case_actions import context_of

        ctx = context_of(self.services, self.officer)
        try:
            if decision is None:
                saved = supplement.fulfil(ctx, self.recheck)
            else:
                saved = supplement.decide(ctx, self.recheck, decision)
        except CaseActionError as exc:
            self.post_message(self.Failed(exc))
            return
        saved = self._attach_scans(ctx, saved)
        self.post_message(self.Saved(saved))

    def _attach_scans(self, ctx: Any, saved: SavedCase) -> SavedCase:
        """The pages scanned here become the case's attachments (their own batch, after
        the decision's; pages a crash left waiting are attached at the next save)."""
        from counterdesk.services.case_actions import writing

        desk = self.services.attachments
        if not desk.page_counts(saved.case.id):
            return saved
        with writing(ctx):
            attached = desk.attach_now(saved.case.id, self.officer.username)
        if attached is None:
            return saved
        self.services.saved()
        return SavedCase(attached, saved.papers)

    def on_supplement_screen_failed(self, message: Failed) -> None:
        self.submitting = False
        self.refresh_bindings()
        self.notify(bilingual(str(message.error)), title=_("Not saved"), severity="error")

    def on_supplement_screen_saved(self, message: Saved) -> None:
        case = message.saved.case
        papers = ", ".join(paper_label(doc.value) for doc in message.saved.papers)
        self.notify(
            _("Case {number}: {state}. Printing: {papers}").format(
                number=case.number, state=state_label(case.state.value), papers=papers
            ),
            title=_("Saved"),
        )
        self.counter.print_papers(case.id, tuple(doc.value for doc in message.saved.papers))
        self.app.post_message(CaseSaved(case.id, case.number, case.state.value))
        self.dismiss(case.id)

    def action_back(self) -> None:
        self.dismiss(None)
