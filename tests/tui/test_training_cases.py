"""The after-intake screens work in training mode unchanged, on the sandbox: a practice
case from an exercise goes on from the sandbox's queue to the case view, a supplement
that completes it, and (once the back office's approval is in, as a sync would bring it)
the handing over of the result, with training papers and nothing in the live store."""

from __future__ import annotations

import datetime as dt

from counterdesk.domain.cases import Case, OperationKind, Role, apply_operation, new_operation
from counterdesk.domain.catalogue import bundled_catalogue_path, load_catalogue
from counterdesk.domain.training import perfect_handling
from counterdesk.screens.case import CaseScreen
from counterdesk.screens.issuance import IssuanceScreen
from counterdesk.screens.supplement import SupplementScreen
from tests.tui.case_seeds import open_case
from tests.tui.harness import NOW, make_app, open_queue, paste_text, signed_in_standalone, wait_for
from tests.tui.test_training import KeepingPrinter, pdf_text, scenario
from tests.tui.training_driver import TrainingDriver

CATALOGUE = load_catalogue(bundled_catalogue_path())


async def practise(pilot, scenario_id: str) -> dict:
    """An exercise done right; returns its practice case, from the sandbox."""
    app = pilot.app
    chosen = scenario(scenario_id)
    driver = TrainingDriver(pilot)
    await driver.open_scenario(chosen.id)
    await driver.handle(chosen, perfect_handling(chosen, CATALOGUE))
    [case] = [
        c
        for c in app.services.store.list_queue()
        if c["applicant"]["name"] == chosen.applicant.name
    ]
    await pilot.press("enter")  # the debrief, back to the scenarios
    await driver.enter_training()
    await pilot.press("f4")  # the sandbox's queue
    await open_queue(pilot)
    return case


async def test_a_practice_case_takes_its_supplement_on_the_sandbox() -> None:
    printer = KeepingPrinter()
    app = make_app(signed_in_standalone(), printer=printer)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_queue(pilot)
        live = app.services
        case = await practise(pilot, "expired-id-card")
        assert case["state"] == "awaiting_supplement"
        case_screen = await open_case(pilot, "彭丽")
        assert case_screen.in_training and case_screen.services is app.services
        await pilot.press("f3")  # the supplement: she is back with a renewed card
        await wait_for(pilot, lambda: isinstance(app.screen, SupplementScreen))
        screen = app.screen
        await wait_for(pilot, lambda: screen.assessment.result is not None)
        await pilot.press("f5")
        await wait_for(pilot, lambda: screen.assessment.outcome == "complete")
        await pilot.press("f7")
        await wait_for(pilot, lambda: isinstance(app.screen, CaseScreen))
        await wait_for(pilot, lambda: app.services.store.get(case["id"])["state"] == "accepted")
        assert app.services.store.get(case["id"])["training"] is True
        assert live.store.list_queue() == [] and live.store.outbox_peek() == []
        await wait_for(pilot, lambda: len(printer.pdfs) == 2)  # the notice, then the receipt
        assert all("培训TRAINING" in pdf_text(pdf) for _title, pdf in printer.pdfs)
        await pilot.press("escape")  # the case, back to the practice cases
        await open_queue(pilot)
        await pilot.press("f10")  # and to the scenarios
        await wait_for(pilot, lambda: type(app.screen).__name__ == "TrainingHomeScreen")
        app.close_services()


def approved_by_the_department(store, case_id: str) -> None:
    """The back office's approval, saved as a sync would bring it (no operation here)."""
    case = Case.model_validate(store.get(case_id))
    at = NOW + dt.timedelta(days=3)
    for to, extra in (
        ("under_review", {}),
        (
            "approved",
            {
                "department_result": {
                    "approved": True,
                    "text": "准予转移",
                    "decided_at": at.isoformat(),
                    "decided_by": "gjj",
                }
            },
        ),
    ):
        op = new_operation(
            OperationKind.TRANSITION, case.id, "gjj", at, case.version, {"to": to, **extra}
        )
        case = apply_operation(case, op, Role.DEPARTMENT)
    store.save_batch(cases=[case.to_json()])


async def test_a_practice_result_is_handed_over_on_the_sandbox() -> None:
    printer = KeepingPrinter()
    app = make_app(signed_in_standalone(), printer=printer)
    chosen = scenario("gjj-transfer-hangzhou-jiaxing")
    async with app.run_test(size=(100, 30)) as pilot:
        await open_queue(pilot)
        live = app.services
        case = await practise(pilot, chosen.id)
        approved_by_the_department(app.services.store, case["id"])
        await pilot.press("f5")  # the queue, read again
        await open_case(pilot, chosen.applicant.name)
        await pilot.press("f4")
        await wait_for(pilot, lambda: isinstance(app.screen, IssuanceScreen))
        await paste_text(pilot, chosen.applicant.id_number)  # she collects it herself
        await pilot.press("f7")
        await wait_for(pilot, lambda: app.services.store.get(case["id"])["state"] == "delivered")
        assert live.store.list_queue() == [] and live.store.outbox_peek() == []
        await wait_for(pilot, lambda: len(printer.pdfs) == 2)  # receipt, delivery receipt
        assert all("培训TRAINING" in pdf_text(pdf) for _title, pdf in printer.pdfs)
        app.close_services()
