"""Every bundled scenario, done on the real intake screen in training mode the way its
expected handling says, scores full marks: the three matters no item of this centre covers
(trademark, driving licence, vegetables) too, refused on the intake with no item chosen,
their refusal notice printed.
"""

from __future__ import annotations

import pytest

from counterdesk.domain.catalogue import bundled_catalogue_path, load_catalogue
from counterdesk.domain.training import bundled_scenarios, perfect_handling
from tests.tui.harness import make_app, signed_in_standalone
from tests.tui.training_driver import TrainingDriver

BUNDLED = bundled_scenarios()
CATALOGUE = load_catalogue(bundled_catalogue_path())


@pytest.mark.parametrize("scenario", BUNDLED, ids=lambda s: s.id)
async def test_the_expected_handling_scores_full_marks(scenario) -> None:
    app = make_app(signed_in_standalone())
    async with app.run_test(size=(100, 30)) as pilot:
        driver = TrainingDriver(pilot)
        await driver.queue_shown()
        await driver.open_scenario(scenario.id)
        debrief = await driver.handle(scenario, perfect_handling(scenario, CATALOGUE))
        result = debrief.finished.result
        assert [(m.code, m.detail_en) for m in result.mistakes] == []
        assert (result.points, result.passed) == (100, True)
        assert result.keys == driver.keys
        if scenario.expected.target is None:  # a practice case, refused, its notice printed
            [case] = app.services.store.list_queue(
                where=lambda d: d["applicant"]["name"] == scenario.applicant.name
            )
            assert (case["target"]["kind"], case["state"], case["training"]) == (
                "unlisted",
                "refused",
                True,
            )
            assert debrief.finished.handling.printed == ("refusal",)
        app.close_services()
