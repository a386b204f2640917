"""Cases in every state after intake, for the case view, supplement and issuance tests: made
through the real intake service (``harness.seed_cases``), then moved on the way the
counter or the server would move them (the department's result as a sync brings it: the
server's version saved in the store, no operation of this counter)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from counterdesk.domain.cases import Case, OperationKind, Role, apply_operation, new_operation
from counterdesk.domain.clock import FixedClock
from counterdesk.services.counter import open_counter
from counterdesk.settings import Settings
from tests.tui.harness import NOW, OFFICER, make_app, open_queue, seed_cases, wait_for

AGENT_ID = "330402198506150014"
DELEGATE_ID = "330402198808080021"


def seeded(settings: Settings, specs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Seed intakes and return their stored documents, oldest first."""
    seed_cases(settings, specs)
    services = open_counter(settings, FixedClock(NOW))
    try:
        docs = services.store.list_queue()
    finally:
        services.close()
    return sorted(docs, key=lambda doc: doc["received_at"])


def app_on(settings: Settings, at: dt.datetime, **kwargs: Any) -> Any:
    """The counter on another day, the officer signed in for that day's shift."""
    clock = FixedClock(at)
    services = open_counter(settings, clock)
    try:
        officer = services.officers.get(OFFICER.username)
        assert officer is not None
        services.sign_in.sessions.remember(officer, online=False)
    finally:
        services.close()
    return make_app(settings, clock=clock, **kwargs)


def department_decides(
    settings: Settings, case_id: str, approve: bool = True, text: str = "准予登记"
) -> dict[str, Any]:
    """The back office's decision as a sync would bring it: the server's version (under
    review, then approved or rejected) saved over the counter's copy."""
    services = open_counter(settings, FixedClock(NOW))
    try:
        case = Case.model_validate(services.store.get(case_id))
        at = NOW + dt.timedelta(days=3)
        for to, extra in (
            ("under_review", {}),
            (
                "approved" if approve else "rejected",
                {
                    "department_result": {
                        "approved": approve,
                        "text": text,
                        "decided_at": at.isoformat(),
                        "decided_by": "scjg",
                    }
                },
            ),
        ):
            op = new_operation(
                OperationKind.TRANSITION,
                case.id,
                "scjg",
                at,
                case.version,
                {"to": to, "reason": "" if approve else text, **extra},
            )
            case = apply_operation(case, op, Role.DEPARTMENT)
        services.store.save_batch(cases=[case.to_json()])
        return case.to_json()
    finally:
        services.close()


def with_agent(settings: Settings, case_id: str) -> None:
    """The case names an agent (代办人), as an intake with F4 would have."""
    services = open_counter(settings, FixedClock(NOW))
    try:
        doc = services.store.get(case_id)
        doc["agent"] = {"name": "李代办", "id_number": AGENT_ID, "phone": ""}
        services.store.save_batch(cases=[Case.model_validate(doc).to_json()])
    finally:
        services.close()


async def open_case(pilot: Any, applicant: str) -> Any:
    """From the queue: type the applicant's name in the filter and open the case."""
    from counterdesk.screens.case import CaseScreen
    from tests.tui.harness import paste_text

    app = pilot.app
    queue = await open_queue(pilot)
    await pilot.press("escape")  # the filter, cleared
    await paste_text(pilot, applicant)
    await wait_for(pilot, lambda: len(queue.shown) == 1)
    await pilot.press("enter")
    await wait_for(pilot, lambda: isinstance(app.screen, CaseScreen) and app.screen.record)
    return app.screen
