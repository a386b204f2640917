"""Every bundled scenario, done on the real intake screen in training mode the way its
expected handling says, scores full marks.

A matter no item of this centre covers is refused at once from the brief (an intake needs
an item); no case is opened, so the counter cannot print its refusal notice and the scorer
takes the 5 points of an unprinted paper, and nothing else. That is a gap of the counter
(no refusal without an item), said in docs/training.md, not of the trainee's handling.
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
        if scenario.expected.target is None:
            assert [(m.code, m.points) for m in result.mistakes] == [("paper_not_printed", 5)]
            assert (result.points, result.passed) == (95, True)
        else:
            assert [(m.code, m.detail_en) for m in result.mistakes] == []
            assert (result.points, result.passed) == (100, True)
        assert result.keys == driver.keys
        app.close_services()
