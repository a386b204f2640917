"""Driving training mode with Pilot: into training mode, a scenario from the picker, and
an intake on the real intake screen that does what a ``Handling`` says (the expected one
from the scorer's ``perfect_handling``, or a wrong one), through to the debrief. A
handling without a target searches for what the applicant asked for, takes no item and
refuses (F10), as a live officer does.

Entries are filled the way a paste fills them (one change each); papers, decisions and
dialogs go through their keys. Every key the driver presses during an exercise is counted,
so a test can compare that with the App's own count.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from textual.pilot import Pilot
from textual.widgets import Input, RadioButton, RadioSet

from counterdesk.domain.training import Handling, Scenario
from tests.tui.harness import screen_text, wait_for

GROUNDS = ("no_licence_needed", "not_this_authority", "other")
DECISION_KEYS = {
    "accept": "f7",
    "accept_deferral": "f8",
    "notice": "f9",
    "refuse": "f10",
    "receive": "f6",
}


def asked_for(scenario: Scenario) -> str:
    """What the applicant asks for, as the trainee would search for it."""
    refusal = scenario.expected.refusal
    wanted = refusal.asked_for if refusal is not None else None
    return wanted.zh if wanted is not None else scenario.request.zh


def as_text(value: Any) -> str:
    if value is True:
        return "y"
    if value is False:
        return "n"
    return str(value)


@dataclass
class TrainingDriver:
    pilot: Pilot[Any]
    keys: int = 0  # keys pressed since the exercise began
    pressed: list[str] = field(default_factory=list)

    @property
    def app(self) -> Any:
        return self.pilot.app

    async def press(self, *keys: str) -> None:
        self.keys += len(keys)
        self.pressed += keys
        await self.pilot.press(*keys)

    # Getting there

    async def queue_shown(self) -> None:
        """The counter is up on its queue (without waiting for the status bar's refresh)."""
        from counterdesk.screens.queue import QueueScreen

        app = self.app
        await wait_for(
            self.pilot, lambda: isinstance(app.screen, QueueScreen) and app.screen.loaded
        )

    async def enter_training(self) -> Any:
        from counterdesk.screens.training.picker import TrainingHomeScreen

        app = self.app
        if not app.training:
            await self.pilot.press("ctrl+t")
        await wait_for(
            self.pilot, lambda: isinstance(app.screen, TrainingHomeScreen) and app.screen.loaded
        )
        return app.screen

    async def open_scenario(self, scenario_id: str, mode: str = "guided") -> Any:
        """From the picker: the scenario under the cursor, Enter; returns the brief."""
        from counterdesk.screens.training.brief import BriefScreen

        picker = await self.enter_training()
        if picker.mode != mode:
            await self.pilot.press("f3")
            await wait_for(self.pilot, lambda: picker.mode == mode)
        picker.select(scenario_id)
        await self.pilot.press("enter")
        await wait_for(self.pilot, lambda: isinstance(self.app.screen, BriefScreen))
        self.keys, self.pressed = 0, []
        await wait_for(self.pilot, lambda: self.app.training_mode.run is not None)
        return self.app.screen

    # The exercise

    async def handle(self, scenario: Scenario, handling: Handling) -> Any:
        """Do ``handling`` from the brief; returns the debrief once the scorer is done."""
        await self.intake(scenario, handling)
        return await self.debrief()

    async def debrief(self) -> Any:
        from counterdesk.screens.training.debrief import DebriefScreen

        app = self.app
        await wait_for(self.pilot, lambda: isinstance(app.screen, DebriefScreen), timeout=30)
        return app.screen

    async def intake(self, scenario: Scenario, handling: Handling) -> None:
        from counterdesk.screens.intake import IntakeScreen

        app = self.app
        await self.press("enter")
        await wait_for(
            self.pilot, lambda: isinstance(app.screen, IntakeScreen) and app.screen.catalogue
        )
        screen = app.screen
        if handling.target is None:  # no item covers it: searched for, nothing taken
            self.fill(screen, "search", asked_for(scenario))
            await self.pilot.pause()
            await self.applicant(screen, scenario, handling)
        else:
            await self.choose_target(screen, handling.target)
            await self.applicant(screen, scenario, handling)
            await self.fields(screen, handling)
            await self.papers(screen, handling)
        await self.decide(screen, handling)

    async def choose_target(self, screen: Any, code: str) -> None:
        self.fill(screen, "search", code)
        await self.pilot.pause()
        await self.press("enter")
        await wait_for(self.pilot, lambda: screen.draft.target == code)
        await wait_for(self.pilot, lambda: screen.assessment.result is not None)

    def fill(self, screen: Any, input_id: str, text: str) -> None:
        """An entry filled in one go (as a paste or an ID card reader does)."""
        widget = screen.query_one(f"#{input_id}", Input)
        widget.focus()
        widget.value = text

    async def applicant(self, screen: Any, scenario: Scenario, handling: Handling) -> None:
        person = scenario.applicant
        want_type = handling.facts.get("applicant_type", person.type)
        if screen.draft.applicant_type != want_type:
            await self.press("f3")
            await wait_for(self.pilot, lambda: screen.draft.applicant_type == want_type)
        want_agent = bool(handling.facts.get("agent", False))
        if screen.draft.has_agent != want_agent:
            await self.press("f4")
            await wait_for(self.pilot, lambda: screen.draft.has_agent == want_agent)
        entries = {"name": person.name, "id_number": person.id_number, "phone": person.phone}
        if want_type == "legal":
            entries["contact_name"] = person.contact_name
        if want_agent and scenario.agent is not None:
            agent = scenario.agent
            entries |= {"agent_name": agent.name, "agent_id": agent.id_number}
            entries["agent_phone"] = agent.phone
        for input_id, text in entries.items():
            self.fill(screen, input_id, text)
        await self.pilot.pause()

    async def fields(self, screen: Any, handling: Handling) -> None:
        for key, value in handling.facts.items():
            if key in ("applicant_type", "agent"):
                continue
            if not screen.query(f"#field-{key}"):
                continue  # not a field of the chosen target
            self.fill(screen, f"field-{key}", as_text(value))
        await self.pilot.pause()
        await wait_for(self.pilot, lambda: screen.assessment.result is not None)

    async def papers(self, screen: Any, handling: Handling) -> None:
        """Each checklist line set to what the handling records, with the line's keys."""
        from counterdesk.widgets.checklist_table import ChecklistTable

        table = screen.query_one(ChecklistTable)
        table.focus()
        await self.pilot.pause()
        for line in [line for line in table.lines if line.status != "by_sharing"]:
            got = handling.received.get(line.material)
            if got is None:
                continue
            row = next(i for i, x in enumerate(table.lines) if x.material == line.material)
            table.move_cursor(row=row)
            await self.pilot.pause()
            brought = got.copies - got.made_at_counter
            await self.press(
                *(["o"] * got.original + ["c"] * brought + ["m"] * got.made_at_counter)
            )

            def recorded(material: str = line.material, want: Any = got) -> bool:
                counts = screen.draft.received.get(material, {})
                return (
                    counts.get("original", 0),
                    counts.get("copies", 0),
                    counts.get("made_at_counter", 0),
                ) == (want.original, want.copies, want.made_at_counter)

            await wait_for(self.pilot, recorded)

    async def decide(self, screen: Any, handling: Handling) -> None:
        from counterdesk.screens.decisions import (
            DeferralModal,
            NoticeModal,
            ReceiveModal,
            RefusalModal,
        )

        outcome = handling.outcome
        allowed = {"accept_deferral": "accept_deferral"}.get(outcome, outcome)
        await wait_for(self.pilot, lambda: allowed in screen.allowed)
        await self.press(DECISION_KEYS[outcome])
        modal = {
            "accept_deferral": DeferralModal,
            "notice": NoticeModal,
            "refuse": RefusalModal,
            "receive": ReceiveModal,
        }.get(outcome)
        if modal is None:
            return
        await wait_for(self.pilot, lambda: isinstance(self.app.screen, modal))
        if outcome == "refuse":
            await self.refusal_dialog(handling)
            return
        await self.press("enter")

    async def refusal_dialog(self, handling: Handling) -> None:
        from counterdesk.screens.decisions import RefusalModal

        app = self.app
        await wait_for(self.pilot, lambda: isinstance(app.screen, RefusalModal))
        modal = app.screen
        buttons = list(modal.query_one(RadioSet).query(RadioButton))
        buttons[GROUNDS.index(handling.refusal_ground or "other")].value = True
        await self.pilot.pause()
        if handling.competent_authority:
            modal.query_one("#competent_authority", Input).value = handling.competent_authority
        reason = modal.query_one("#reason", Input)
        reason.value = "依法不予受理"
        reason.focus()
        await self.pilot.pause()
        await self.press("enter")


def describe_failure(app: Any) -> str:
    return screen_text(app)
