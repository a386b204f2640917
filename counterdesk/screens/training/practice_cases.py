"""The sandbox's queue in training mode: practice cases go on to the live case view,
supplement and issuance screens, unchanged, on the sandbox; F6 plays the back office on an
accepted practice case (approve or reject, as the department would), so its result can be
handed over; F10 comes back to the scenarios.

Only this screen offers the back office, and only training mode opens it: the live queue
has no such key, and the service refuses any store but the sandbox's.
"""

from __future__ import annotations

from textual import on, work
from textual.binding import Binding
from textual.widgets import DataTable

from counterdesk.i18n import _
from counterdesk.screens.queue import QueueScreen
from counterdesk.services.case_actions import CaseActionError
from counterdesk.services.training_back_office import can_decide_state


class PracticeCasesScreen(QueueScreen):
    @classmethod
    def help_title(cls) -> str:
        return _("Training: the sandbox's cases")

    BINDINGS = [
        Binding("f6", "back_office", "Back office", id="training.back_office"),
        Binding("f10", "scenarios", "Scenarios", id="training.cases_back"),
    ]

    def action_scenarios(self) -> None:
        self.dismiss(None)

    # The back office

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "back_office":
            row = self.current_row()
            decidable = row is not None and not row.is_draft and can_decide_state(row.state)
            return True if decidable and self.in_training else None
        return True

    def render_rows(self) -> None:
        super().render_rows()
        self.refresh_bindings()

    @on(DataTable.RowHighlighted)
    def _moved(self) -> None:
        self.refresh_bindings()

    def action_back_office(self) -> None:
        from counterdesk.screens.training.back_office import BackOfficeModal

        row = self.current_row()
        if row is None or not self.check_action("back_office", ()):
            return
        case_id = row.key

        def decided(answer: tuple[bool, str] | None) -> None:
            if answer is not None:
                self.decide(case_id, *answer)

        self.app.push_screen(BackOfficeModal(row.number, row.target), callback=decided)

    @work(thread=True, exclusive=True, group="training-back-office", exit_on_error=False)
    def decide(self, case_id: str, approve: bool, text: str) -> None:
        from counterdesk.services.training_back_office import decide_as_department

        try:
            case = decide_as_department(
                self.services, case_id, approve, text, self.officer.username
            )
        except CaseActionError as exc:  # the back office's refusal, or the case is gone
            self.app.call_from_thread(
                self.notify, str(exc), title=_("Not decided"), severity="error"
            )
            return
        verdict = _("approved") if approve else _("rejected")
        self.app.call_from_thread(
            self.notify,
            _(
                "Case {number}: {verdict} by the back office. Hand the result over (F4 on the case)."
            ).format(number=case.number, verdict=verdict),
            title=_("Back office"),
        )
        self.app.call_from_thread(self.load)
