"""The after-intake screens work in training mode unchanged, on the sandbox: a practice
case from an exercise goes on from the sandbox's queue to the case view, a supplement
that completes it, and, once the sandbox's back office (F6 on the practice cases) has
approved it, the handing over of the result, with training papers and nothing in the
live store."""

from __future__ import annotations

from counterdesk.domain.cases import Case
from counterdesk.domain.catalogue import bundled_catalogue_path, load_catalogue
from counterdesk.domain.training import perfect_handling
from counterdesk.screens.case import CaseScreen
from counterdesk.screens.issuance import IssuanceScreen
from counterdesk.screens.supplement import SupplementScreen
from counterdesk.screens.training.back_office import BackOfficeModal
from counterdesk.screens.training.practice_cases import PracticeCasesScreen
from tests.tui.case_seeds import open_case
from tests.tui.harness import (
    make_app,
    open_queue,
    paste_text,
    screen_text,
    signed_in_standalone,
    wait_for,
)
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


async def test_a_practice_result_is_decided_by_the_sandbox_back_office_and_handed_over() -> None:
    printer = KeepingPrinter()
    app = make_app(signed_in_standalone(), printer=printer)
    chosen = scenario("gjj-transfer-hangzhou-jiaxing")
    async with app.run_test(size=(100, 30)) as pilot:
        await open_queue(pilot)
        live = app.services
        case = await practise(pilot, chosen.id)
        assert case["state"] == "accepted"
        queue = app.screen
        assert isinstance(queue, PracticeCasesScreen)
        await wait_for(pilot, lambda: queue.check_action("back_office", ()) is True)
        assert "后台审批" in screen_text(app)  # the key, in the key bar
        await pilot.press("f6")  # the back office: approve, with the department's words
        await wait_for(pilot, lambda: isinstance(app.screen, BackOfficeModal))
        await pilot.press("tab")
        await paste_text(pilot, "准予转移")
        await pilot.press("enter")
        store = app.services.store
        await wait_for(pilot, lambda: store.get(case["id"])["state"] == "approved")
        decided = Case.model_validate(store.get(case["id"]))
        assert decided.department_result is not None
        assert (decided.department_result.approved, decided.department_result.text) == (
            True,
            "准予转移",
        )
        assert [e.state_to.value for e in decided.timeline][-1] == "approved"
        # As a sync brings a department's decision: nothing of it in the outbox.
        assert {row["op"]["kind"] for row in store.outbox_of_case(case["id"])} <= {
            "create",
            "transition",
            "record_print",
        }
        assert not any(
            (row["op"].get("payload") or {}).get("to") == "approved"
            for row in store.outbox_of_case(case["id"])
        )
        await wait_for(pilot, lambda: queue.check_action("back_office", ()) is None)

        await open_case(pilot, chosen.applicant.name)
        await pilot.press("f4")  # the real issuance screen
        await wait_for(pilot, lambda: isinstance(app.screen, IssuanceScreen))
        await paste_text(pilot, chosen.applicant.id_number)  # she collects it herself
        await pilot.press("f7")
        await wait_for(pilot, lambda: store.get(case["id"])["state"] == "delivered")
        assert live.store.list_queue() == [] and live.store.outbox_peek() == []
        await wait_for(pilot, lambda: len(printer.pdfs) == 2)  # receipt, delivery receipt
        (_receipt, _pdf), (title, delivery) = printer.pdfs
        assert "送达回执" in pdf_text(delivery)
        assert all("培训TRAINING" in pdf_text(pdf) for _title, pdf in printer.pdfs)
        app.close_services()
