"""One case: who and what, where it stands and its clock, the papers as received, every
state change (and whether it has reached the server), the papers printed, scans and the
audit trail; and what can be done with it now: decide, supplement, deferred papers, hand
over, print again, withdraw, terminate.

Opening it is recorded in the audit trail (who saw whose personal data) before anything
is shown. The keys that apply depend on the case (``check_action`` asks the
``CaseRecord``, which asks the domain); the command palette asks the same check.
"""

from __future__ import annotations

from typing import Any

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.reactive import reactive
from textual.widgets import Static

from counterdesk.domain.cases import Case, CaseState, Role
from counterdesk.forms.paper import DocKind
from counterdesk.i18n import _, bilingual
from counterdesk.messages import CaseSaved, SyncFinished
from counterdesk.screens import case_view
from counterdesk.screens.base import CounterScreen
from counterdesk.screens.labels import paper_label, state_label
from counterdesk.services.case_record import CaseRecord, record_of
from counterdesk.services.supplement import kind_of
from counterdesk.widgets.key_bar import KeyBar
from counterdesk.widgets.status_bar import StatusBar

TERMINATION_REASON = "容缺材料逾期未补齐"  # offered; the officer may write another


class CaseScreen(CounterScreen):
    BINDINGS = [
        Binding("escape", "back", "Back", id="case.back"),
        Binding("f2", "reprint", "Print again", id="case.reprint"),
        Binding("f3", "recheck('decide')", "Decide", id="case.decide"),
        Binding("f3", "recheck('supplement')", "Supplement papers", id="case.supplement"),
        Binding("f3", "recheck('deferral')", "Deferred papers", id="case.deferral"),
        Binding("f4", "issue", "Hand over", id="case.issue"),
        Binding("f8", "withdraw", "Withdraw", id="case.withdraw"),
        Binding("f9", "terminate", "Terminate", id="case.terminate"),
    ]

    record: reactive[CaseRecord | None] = reactive(None, bindings=True)

    def __init__(self, case_id: str, server_copy: dict[str, Any] | None = None) -> None:
        super().__init__()
        self.case_id = case_id
        self.server_copy = server_copy  # found on the server, not kept on this counter
        self.busy = False
        self.loads = 0  # tests wait for a reload

    @property
    def case(self) -> Case | None:
        return self.record.case if self.record is not None else None

    def compose(self) -> ComposeResult:
        yield Static(_("Case"), id="case-title", classes="title-bar")
        with VerticalScroll(id="case-body"):
            yield Static(_("Opening…"), id="case-details")
        yield StatusBar()
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one("#case-body").focus()
        self.load(opening=True)

    def on_screen_resume(self) -> None:
        if self.record is not None:
            self.load()

    def on_sync_finished(self, message: SyncFinished) -> None:
        if self.record is not None and not self.busy and not self.services._closed:
            self.load()

    # Loading

    @work(thread=True, exclusive=True, group="case", exit_on_error=False)
    def load(self, opening: bool = False) -> None:
        services = self.services
        officer = self.officer
        document = (
            services.open_case(self.case_id, officer)
            if opening
            else services.store.get(self.case_id)
        )
        source = "here"
        if document is None:
            document, source = self._from_server(opening)
        if document is None:
            self.app.call_from_thread(self.notify, _("This case is no longer here."))
            return
        case = Case.model_validate(document)
        record = record_of(services, case, _role(officer.role), source)
        catalogue = services.catalogue
        self.app.call_from_thread(self.show, record, catalogue)

    def _from_server(self, opening: bool) -> tuple[dict[str, Any] | None, str]:
        services = self.services
        if self.server_copy is None:
            return None, "here"
        fresh = None
        if services.sync is not None:
            from counterdesk.services.find import fetch_server_case

            fresh = fetch_server_case(services.sync, self.case_id)
        if opening:  # the server audits its own reading; this counter records its own
            services.store.audit_append(
                [{"actor": self.officer.username, "action": "case.open", "case_id": self.case_id}]
            )
        if fresh is not None:
            self.server_copy = fresh
        return self.server_copy, "server"

    def show(self, record: CaseRecord, catalogue: Any) -> None:
        self.record = record
        self.loads += 1
        case = record.case
        self.query_one("#case-title", Static).update(
            f"{_('Case')} {case.number} · {case.target.name} · {state_label(case.state.value)}"
        )
        self.query_one("#case-details", Static).update(case_view.whole(record, catalogue))

    # What applies now

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        record = self.record
        if action == "recheck":
            if record is None or kind_of(record.case.state) != parameters[0]:
                return False
            return None if self.busy else True
        if action in ("issue", "withdraw"):
            if record is None or not record.allows(action):
                return False
            return None if self.busy else True
        if action == "terminate":
            if record is None or record.case.state is not CaseState.ACCEPTED_DEFERRAL:
                return False
            return True if record.allows("terminate") and not self.busy else None
        if action == "reprint":
            return True if record is not None and record.allows("reprint") else None
        return True

    # Actions

    def action_back(self) -> None:
        self.dismiss()

    def action_recheck(self, kind: str) -> None:
        from counterdesk.screens.supplement import SupplementScreen

        if self.check_action("recheck", (kind,)) and self.record is not None:
            self.app.push_screen(SupplementScreen(self.record.case, self._fallback()))

    def action_issue(self) -> None:
        from counterdesk.screens.issuance import IssuanceScreen

        if self.check_action("issue", ()) and self.record is not None:
            self.app.push_screen(IssuanceScreen(self.record.case, self._fallback()))

    def action_withdraw(self) -> None:
        from counterdesk.screens.case_dialogs import ReasonModal

        if not self.check_action("withdraw", ()):
            return
        modal = ReasonModal(
            _("Withdraw the case"),
            _(
                "The applicant takes the application back. The case is closed; the reason stays on record."
            ),
            _("Enter withdraws the case."),
        )
        self.app.push_screen(modal, callback=lambda reason: self._move("withdraw", reason))

    def action_terminate(self) -> None:
        from counterdesk.screens.case_dialogs import ReasonModal

        if not self.check_action("terminate", ()):
            return
        modal = ReasonModal(
            _("Terminate the case"),
            _(
                "The deferred papers were not brought by the date the applicant committed to: the law ends the case."
            ),
            _("Enter terminates the case."),
            TERMINATION_REASON,
        )
        self.app.push_screen(modal, callback=lambda reason: self._move("terminate", reason))

    def _move(self, which: str, reason: str | None) -> None:
        if reason:
            self.busy = True
            self.refresh_bindings()
            self.run_move(which, reason)

    @work(thread=True, exclusive=True, group="case-move", exit_on_error=False)
    def run_move(self, which: str, reason: str) -> None:
        from counterdesk.services import case_actions

        ctx = case_actions.context_of(self.services, self.officer)
        move = case_actions.withdraw if which == "withdraw" else case_actions.terminate
        try:
            saved = move(ctx, self.case_id, reason, self._fallback())
        except case_actions.CaseActionError as exc:
            self.app.call_from_thread(self._failed, str(exc))
            return
        self.app.call_from_thread(self._moved, saved.case)

    def _failed(self, reason: str) -> None:
        self.busy = False
        self.refresh_bindings()
        self.notify(bilingual(reason), title=_("Not saved"), severity="error")

    def _moved(self, case: Case) -> None:
        self.busy = False
        self.notify(
            _("Case {number}: {state}.").format(
                number=case.number, state=state_label(case.state.value)
            ),
            title=_("Saved"),
        )
        self.app.post_message(CaseSaved(case.id, case.number, case.state.value))
        self.load()

    def action_reprint(self) -> None:
        from counterdesk.screens.case_dialogs import PapersModal

        if self.record is None or not self.record.allows("reprint"):
            return
        self.app.push_screen(PapersModal(self.record.papers), callback=self._print)

    def _print(self, doc: DocKind | None) -> None:
        if doc is not None:
            self.run_print(doc)

    @work(thread=True, group="print", exit_on_error=False)
    def run_print(self, doc: DocKind) -> None:
        from counterdesk.services import case_actions

        services = self.services
        ctx = case_actions.context_of(services, self.officer)
        case = case_actions.keep_here(ctx, self.case_id, self._fallback())
        services.printer.reprint(case, doc, self.officer.username)
        self.app.call_from_thread(
            self.notify, _("Printing: {papers}").format(papers=paper_label(doc.value))
        )
        self.app.call_from_thread(self.counter.refresh_status)
        self.app.call_from_thread(self.counter.poll_printer)

    def _fallback(self) -> dict[str, Any] | None:
        record = self.record
        return record.case.to_json() if record is not None and record.source == "server" else None


def _role(role: str) -> Role:
    try:
        return Role(role)
    except ValueError:
        return Role.OFFICER
