"""出件: hand a decided case's result over at the counter, or mail it.

Pickup: the collector's ID number is read (typed, or from a card reader) and checked
against the case as it is typed: the applicant, the agent, or (F4) a delegate with the
applicant's power of attorney, whose name is recorded. Mail (F3): address, courier company,
tracking number. F7 (or Enter in the last entry) hands over: the case is delivered and
the delivery receipt (送达回执) printed. Who may collect is the domain's rule.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget
from textual.widgets import Input, Static

from counterdesk.domain.cases import Case
from counterdesk.i18n import _, bilingual
from counterdesk.messages import CaseSaved
from counterdesk.screens.base import CounterScreen
from counterdesk.screens.case_labels import collector_label
from counterdesk.screens.labels import state_label
from counterdesk.services import issuance
from counterdesk.services.case_actions import CaseActionError, SavedCase
from counterdesk.widgets.fields import FieldRow
from counterdesk.widgets.key_bar import KeyBar
from counterdesk.widgets.status_bar import StatusBar

PICKUP_INPUTS = ("collector_id", "delegate_name", "power_of_attorney")
MAIL_INPUTS = ("address", "courier", "tracking_number")
YES = {"y", "yes", "是", "1", "true"}


class IssuanceScreen(CounterScreen):
    BINDINGS = [
        Binding("escape", "back", "Back", id="issuance.back"),
        Binding("f3", "method", "Pickup/Mail", id="issuance.method"),
        Binding("f4", "delegate", "Delegate", id="issuance.delegate"),
        Binding("f7", "deliver", "Hand over", id="issuance.deliver"),
    ]

    method: reactive[str] = reactive("pickup", bindings=True)
    delegate: reactive[bool] = reactive(False, bindings=True)

    @dataclass
    class Saved(Message):
        saved: SavedCase

    @dataclass
    class Failed(Message):
        error: CaseActionError

    def __init__(self, case: Case, fallback: dict[str, Any] | None = None) -> None:
        super().__init__()
        self.case = case
        self.fallback = fallback
        self.submitting = False

    def compose(self) -> ComposeResult:
        case = self.case
        yield Static(
            f"{_('Hand over')} · {case.number} · {case.applicant.name} · {case.target.name}",
            classes="title-bar",
        )
        with VerticalScroll(id="issuance-body"):
            yield Static(self._result_text(), id="issuance-result")
            yield Static("", id="issuance-method")
            with Vertical(id="issuance-pickup"):
                yield FieldRow(_("Collector's ID"), "collector_id", required=True)
                yield FieldRow(_("Delegate name"), "delegate_name", required=True)
                yield FieldRow(
                    _("Power of att."),
                    "power_of_attorney",
                    placeholder=_("seen? y / n"),
                    required=True,
                )
            with Vertical(id="issuance-mail"):
                yield FieldRow(
                    _("Address"), "address", value=issuance.mailing_address(case), required=True
                )
                yield FieldRow(_("Courier"), "courier", required=True)
                yield FieldRow(_("Tracking no."), "tracking_number", required=True)
            yield Static("", id="issuance-who")
        yield StatusBar()
        yield KeyBar()

    def on_mount(self) -> None:
        self._show_method()

    def _result_text(self) -> Text:
        case = self.case
        text = Text()
        text.append(state_label(case.state.value), style="bold")
        result = case.department_result
        if result is not None:
            text.append(" · " + (_("approved") if result.approved else _("rejected")))
            if result.text:
                text.append(f" · {result.text}")
        applicant = case.applicant
        if case.agent is not None:
            text.append("\n" + _("Agent on the case: {name}").format(name=case.agent.name))
        elif applicant.type == "legal":
            text.append("\n" + _("An organisation: its agent or a delegate collects."))
        return text

    # Pickup or mail, applicant or delegate

    def action_method(self) -> None:
        self.method = "mail" if self.method == "pickup" else "pickup"
        self._show_method()

    def action_delegate(self) -> None:
        self.delegate = not self.delegate
        self._show_method()
        if self.delegate:
            self.query_one("#delegate_name", Input).focus()

    def _show_method(self) -> None:
        pickup = self.method == "pickup"
        line = Text()
        line.append(
            ("● " if pickup else "○ ") + _("Pickup at the counter"), "bold" if pickup else ""
        )
        line.append("   ")
        line.append(("● " if not pickup else "○ ") + _("By mail"), "bold" if not pickup else "")
        line.append("  (F3)", style="dim")
        self.query_one("#issuance-method", Static).update(line)
        self.query_one("#issuance-pickup").display = pickup
        self.query_one("#issuance-mail").display = not pickup
        for name in ("delegate_name", "power_of_attorney"):
            self.query_one(f"#row-{name}").display = self.delegate
        self._inputs()[0].focus()
        self._check()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "delegate":
            return True if self.method == "pickup" else None
        if action == "deliver":
            return None if self.submitting else True
        return True

    def _inputs(self) -> list[Input]:
        names = PICKUP_INPUTS if self.method == "pickup" else MAIL_INPUTS
        rows = [self.query_one(f"#row-{name}", FieldRow) for name in names]
        return [row.input for row in rows if row.display]

    # Entries

    def hand_over(self) -> issuance.HandOver:
        def value(name: str) -> str:
            return self.query_one(f"#{name}", Input).value

        return issuance.HandOver(
            method="mail" if self.method == "mail" else "pickup",
            collector_id=value("collector_id"),
            delegate=self.delegate,
            delegate_name=value("delegate_name"),
            power_of_attorney=value("power_of_attorney").strip().lower() in YES,
            address=value("address"),
            courier=value("courier"),
            tracking_number=value("tracking_number"),
        )

    @on(Input.Changed)
    def _edited(self, event: Input.Changed) -> None:
        self._check()

    def _check(self, *, final: bool = False) -> dict[str, str]:
        """Notes under the entries and who the collector is, as typed."""
        hand_over = self.hand_over()
        today = self.counter.clock.today()
        problems = issuance.problems(self.case, hand_over, today)
        who = self.query_one("#issuance-who", Static)
        for name in (*PICKUP_INPUTS, *MAIL_INPUTS):
            row = self.query_one(f"#row-{name}", FieldRow)
            value = row.input.value.strip()
            shown = problems.get(name, "") if (final or value) else ""
            typing = name == "collector_id" and not final and len(value) < 18
            row.show_note(shown, level="pending" if typing else "error")
        if hand_over.method == "pickup":
            verdict = issuance.collector(self.case, hand_over, today)
            if verdict.ok:
                who.update(
                    Text(
                        "✓ "
                        + _("{name}: {who}").format(
                            name=verdict.name, who=collector_label(verdict.kind or "")
                        ),
                        style="bold green",
                    )
                )
            else:
                who.update("")
        else:
            who.update("")
        return problems

    def after_enter(self, field: Input) -> Widget | None:
        """Enter goes to the next entry; in the last one it hands over."""
        inputs = self._inputs()
        if field in inputs and inputs.index(field) + 1 < len(inputs):
            return inputs[inputs.index(field) + 1]
        return None

    @on(Input.Submitted)
    def _entered(self, event: Input.Submitted) -> None:
        event.stop()
        inputs = self._inputs()
        if inputs and event.input is inputs[-1]:
            self.action_deliver()

    # Handing over

    def action_deliver(self) -> None:
        if self.submitting:
            return
        problems = self._check(final=True)
        if problems:
            first = next(iter(problems))
            if first in (*PICKUP_INPUTS, *MAIL_INPUTS):
                self.query_one(f"#{first}", Input).focus()
            self.notify(next(iter(problems.values())), title=_("Not handed over"), severity="error")
            return
        self.submitting = True
        self.refresh_bindings()
        self.run_issue(self.hand_over())

    @work(thread=True, exclusive=True, group="issuance", exit_on_error=False)
    def run_issue(self, hand_over: issuance.HandOver) -> None:
        from counterdesk.services.case_actions import context_of

        ctx = context_of(self.services, self.officer)
        try:
            saved = issuance.issue(ctx, self.case.id, hand_over, self.fallback)
        except CaseActionError as exc:
            self.post_message(self.Failed(exc))
            return
        self.post_message(self.Saved(saved))

    def on_issuance_screen_failed(self, message: Failed) -> None:
        self.submitting = False
        self.refresh_bindings()
        self.notify(bilingual(str(message.error)), title=_("Not handed over"), severity="error")

    def on_issuance_screen_saved(self, message: Saved) -> None:
        case = message.saved.case
        self.notify(
            _("Case {number} delivered. Printing the delivery receipt.").format(number=case.number),
            title=_("Saved"),
        )
        self.counter.print_papers(case.id, tuple(doc.value for doc in message.saved.papers))
        self.app.post_message(CaseSaved(case.id, case.number, case.state.value))
        self.dismiss(case.id)

    def action_back(self) -> None:
        self.dismiss(None)
