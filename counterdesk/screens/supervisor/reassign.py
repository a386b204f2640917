"""Reassigning from the board, always with a reason: one case, the marked ones, or every
open case of an absent officer, to one officer or spread over several by their load.

F2 first asks the server for the plan (who takes which case; nothing changes yet) and
shows it; F2 again carries it out. The server checks everything again: only supervisors
may, the officers must be active colleagues, a case that changed hands meanwhile is not
taken from its new officer. Each officer concerned is told at their next sync.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, OptionList, SelectionList, Static
from textual.widgets.option_list import Option

from counterdesk.i18n import _
from counterdesk.screens.base import CounterModal
from counterdesk.services.board import BoardService, BoardUnavailable
from counterdesk.services.board_rows import BoardRow
from counterdesk.widgets.fields import FieldRow
from counterdesk.widgets.key_bar import KeyBar


def officer_label(officer: dict[str, Any]) -> str:
    name = officer.get("name") or officer["officer"]
    shown = f"{name} ({officer['officer']})" if name != officer["officer"] else name
    load = _("{open} open, {due} due soon, {over} overdue").format(
        open=officer.get("open", 0), due=officer.get("due_soon", 0), over=officer.get("overdue", 0)
    )
    return f"{shown} · {load}"


def can_take_cases(officer: dict[str, Any]) -> bool:
    return bool(officer.get("active")) and officer.get("role") in ("officer", "supervisor")


class ReassignModal(CounterModal):
    """Returns the server's answer ``{moved, results}``, or None when cancelled."""

    @classmethod
    def help_title(cls) -> str:
        return _("Supervisor: reassign")

    BINDINGS = [
        Binding("f2", "go", "Plan / reassign", id="reassign.go"),
        Binding("escape", "cancel", "Cancel", id="reassign.cancel"),
    ]

    def __init__(
        self,
        board: BoardService,
        *,
        cases: list[BoardRow] | None = None,
        from_officer: str | None = None,
    ) -> None:
        super().__init__()
        self.board = board
        self.cases = cases or []
        self.from_officer = from_officer
        self.officers: list[dict[str, Any]] = []
        self.plan: dict[str, Any] | None = None
        self.planned_for: tuple[tuple[str, ...], str] | None = None
        self.busy = False

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide", id="reassign-box"):
            yield Static(self._title(), classes="dialog-title")
            yield Static(self._what(), id="reassign-what", classes="dialog-body")
            yield Static(
                _("Who takes them (Space: choose; several: spread by load)"), classes="section"
            )
            yield SelectionList[str](id="reassign-officers")
            yield FieldRow(
                _("Reason"), "reassign-reason", required=True, hint=_("e.g. on sick leave today")
            )
            yield Static("", id="reassign-plan", classes="dialog-body")
            yield Static(
                _("Tab: officers / reason    F2: show the plan, F2 again: reassign    Esc: cancel"),
                classes="dialog-keys",
            )
        yield KeyBar()

    def _title(self) -> str:
        if self.from_officer:
            return _("Reassign all open cases of {officer}").format(officer=self.from_officer)
        return _("Reassign {n} cases").format(n=len(self.cases))

    def _what(self) -> str:
        if self.from_officer:
            return _(
                "Every open case of {officer} goes to the officers chosen, the most urgent first."
            ).format(officer=self.from_officer)
        shown = [
            f"{row.number or row.key[:8]} {row.target_name} ({row.officer})"
            for row in self.cases[:4]
        ]
        more = len(self.cases) - len(shown)
        if more > 0:
            shown.append(_("and {n} more").format(n=more))
        return "\n".join(shown)

    def on_mount(self) -> None:
        self.query_one("#reassign-officers", SelectionList).focus()
        self.fetch_officers()

    @work(thread=True, exclusive=True, group="reassign-officers", exit_on_error=False)
    def fetch_officers(self) -> None:
        try:
            fetched = self.board.load(self.counter.clock.today())
        except BoardUnavailable as exc:
            self.app.call_from_thread(self._say, str(exc), True)
            return
        officers = [o for o in fetched.data.get("officers", []) if can_take_cases(o)]
        self.app.call_from_thread(self._show_officers, officers)

    def _show_officers(self, officers: list[dict[str, Any]]) -> None:
        self.officers = [o for o in officers if o["officer"] != self.from_officer]
        picker = self.query_one("#reassign-officers", SelectionList)
        picker.clear_options()
        picker.add_options([(officer_label(o), o["officer"], False) for o in self.officers])

    def _say(self, message: str, error: bool = False) -> None:
        self.query_one("#reassign-plan", Static).update(
            Text(message, style="bold red" if error else "")
        )

    # F2: plan, then carry it out

    def chosen(self) -> list[str]:
        return list(self.query_one("#reassign-officers", SelectionList).selected)

    def reason(self) -> str:
        return self.query_one("#reassign-reason", Input).value.strip()

    def action_go(self) -> None:
        if self.busy:
            return
        targets = self.chosen()
        if not targets:
            self._say(_("Choose who takes the cases (Space in the list)."), True)
            self.query_one("#reassign-officers", SelectionList).focus()
            return
        reason = self.reason()
        if not reason:
            self._say(_("A reassignment needs a reason: the officers concerned are told it."), True)
            self.query_one("#reassign-reason", Input).focus()
            return
        if self.plan is not None and self.planned_for == (tuple(targets), reason):
            self.busy = True
            self._say(_("Reassigning…"))
            self.carry_out(self.plan, reason)
        else:
            self.busy = True
            self._say(_("Asking the server for the plan…"))
            self.make_plan(targets, reason)

    @on(Input.Submitted, "#reassign-reason")
    def _reason_entered(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_go()

    @on(SelectionList.SelectedChanged)
    def _targets_changed(self) -> None:
        self.plan = None  # another choice: a new plan first

    @work(thread=True, exclusive=True, group="reassign", exit_on_error=False)
    def make_plan(self, targets: list[str], reason: str) -> None:
        try:
            plan = self.board.plan(
                targets,
                case_ids=[row.key for row in self.cases],
                from_officer=self.from_officer,
            )
        except BoardUnavailable as exc:
            self.app.call_from_thread(self._failed, str(exc))
            return
        self.app.call_from_thread(self._planned, plan, targets, reason)

    def _planned(self, plan: dict[str, Any], targets: list[str], reason: str) -> None:
        self.busy = False
        self.plan = plan
        self.planned_for = (tuple(targets), reason)
        moves = plan["moves"]
        if not moves:
            self._say(_("Nothing would change hands: the cases are already with these officers."))
            return
        text = Text(_("The plan ({n} cases):").format(n=len(moves)) + "\n", style="bold")
        before, after = plan["loads_before"], plan["loads_after"]
        for target in targets:
            given = [m for m in moves if m["to"] == target]
            urgent = sum(1 for m in given if m["at_risk"])
            line = _("{officer}: {n} cases ({urgent} at risk), open {before} → {after}").format(
                officer=target,
                n=len(given),
                urgent=urgent,
                before=before.get(target, 0),
                after=after.get(target, 0),
            )
            text.append("  " + line + "\n")
        text.append(_("F2 again to reassign, Esc to cancel."), style="bold")
        self._say_text(text)

    def _say_text(self, text: Text) -> None:
        self.query_one("#reassign-plan", Static).update(text)

    @work(thread=True, exclusive=True, group="reassign", exit_on_error=False)
    def carry_out(self, plan: dict[str, Any], reason: str) -> None:
        moves = [{"case_id": m["case_id"], "from": m["from"], "to": m["to"]} for m in plan["moves"]]
        try:
            result = self.board.reassign(moves, reason) if moves else {"moved": 0, "results": []}
        except BoardUnavailable as exc:
            self.app.call_from_thread(self._failed, str(exc))
            return
        self.app.call_from_thread(self._done, result)

    def _failed(self, reason: str) -> None:
        self.busy = False
        self.plan = None
        self._say(reason, True)

    def _done(self, result: dict[str, Any]) -> None:
        refused = [r for r in result["results"] if r.get("error")]
        message = _("{n} cases reassigned.").format(n=result["moved"])
        if refused:
            first = refused[0]
            message += " " + _("{n} not moved: {reason}").format(
                n=len(refused), reason=first["error"]
            )
        self.app.notify(
            message, title=_("Reassigned"), severity="warning" if refused else "information"
        )
        self.dismiss(result)

    def action_cancel(self) -> None:
        self.dismiss(None)


class AbsentModal(CounterModal):
    """Choose the absent officer whose open cases are spread over colleagues; returns the
    username, or None."""

    @classmethod
    def help_title(cls) -> str:
        return _("Supervisor: absent officer")

    BINDINGS = [
        Binding("enter", "choose", "Choose", id="absent.choose"),
        Binding("escape", "cancel", "Cancel", id="absent.cancel"),
    ]

    def __init__(self, board: BoardService, preselect: str = "") -> None:
        super().__init__()
        self.board = board
        self.preselect = preselect
        self.names: list[str] = []

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide", id="absent-box"):
            yield Static(_("Whose cases are to be spread over colleagues?"), classes="dialog-title")
            yield OptionList(id="absent-officers")
            yield Static("", id="absent-message", classes="dialog-body")
            yield Static(_("Enter: choose    Esc: cancel"), classes="dialog-keys")
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()
        self.fetch()

    @work(thread=True, exclusive=True, group="absent", exit_on_error=False)
    def fetch(self) -> None:
        try:
            fetched = self.board.load(self.counter.clock.today())
        except BoardUnavailable as exc:
            self.app.call_from_thread(self._say, str(exc))
            return
        officers = [o for o in fetched.data.get("officers", []) if o.get("open")]
        self.app.call_from_thread(self._show, officers)

    def _show(self, officers: list[dict[str, Any]]) -> None:
        picker = self.query_one(OptionList)
        picker.clear_options()
        self.names = [o["officer"] for o in officers]
        picker.add_options([Option(officer_label(o), id=o["officer"]) for o in officers])
        if self.preselect in self.names:
            picker.highlighted = self.names.index(self.preselect)
        elif self.names:
            picker.highlighted = 0
        if not officers:
            self._say(_("No officer holds open cases."))

    def _say(self, message: str) -> None:
        self.query_one("#absent-message", Static).update(Text(message, style="bold red"))

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(event.option.id)

    def action_choose(self) -> None:
        picker = self.query_one(OptionList)
        if picker.highlighted is not None and self.names:
            self.dismiss(self.names[picker.highlighted])

    def action_cancel(self) -> None:
        self.dismiss(None)
