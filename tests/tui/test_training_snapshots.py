"""Training mode as the trainee sees it, kept as snapshots with Chinese text: the
scenarios (100x30), an applicant's desk (80x24), and a debrief with two serious mistakes
(100x30). Update with ``pytest tests/tui/test_training_snapshots.py --snapshot-update``
after a deliberate change, and look at the report before accepting it."""

from __future__ import annotations

import dataclasses

from counterdesk.domain.catalogue import bundled_catalogue_path, load_catalogue
from counterdesk.domain.training import Received, perfect_handling
from tests.tui.harness import make_app, open_queue, signed_in_standalone, wait_for
from tests.tui.test_training import scenario
from tests.tui.training_driver import TrainingDriver

CATALOGUE = load_catalogue(bundled_catalogue_path())


async def settled(pilot) -> None:
    """The banner's tick and the status bar current, nothing printing, and no toast (the
    intake's says the case number, which names the store: different each run)."""
    app = pilot.app
    seen = app.training_tick
    await wait_for(pilot, lambda: app.training_tick > seen and app.printing.waiting == 0)
    app.clear_notifications()
    await pilot.pause()


def test_scenarios_snapshot(snap_compare) -> None:
    app = make_app(signed_in_standalone())

    async def ready(pilot) -> None:
        await open_queue(pilot)
        await TrainingDriver(pilot).enter_training()
        await settled(pilot)

    assert snap_compare(app, terminal_size=(100, 30), run_before=ready)
    app.close_services()


def test_brief_snapshot_80x24(snap_compare) -> None:
    app = make_app(signed_in_standalone())

    async def ready(pilot) -> None:
        await open_queue(pilot)
        await TrainingDriver(pilot).open_scenario("agent-company-no-attorney")
        await settled(pilot)

    assert snap_compare(app, terminal_size=(80, 24), run_before=ready)
    app.close_services()


def test_debrief_snapshot(snap_compare) -> None:
    app = make_app(signed_in_standalone())
    chosen = scenario("expired-id-card")
    right = perfect_handling(chosen, CATALOGUE)
    counted = dataclasses.replace(
        right,
        received={**right.received, "id_card": Received(1, 1)},
        outcome="accept",
        missing=(),
        printed=("receipt",),
    )

    async def ready(pilot) -> None:
        await open_queue(pilot)
        driver = TrainingDriver(pilot)
        await driver.open_scenario(chosen.id)
        await driver.handle(chosen, counted)
        await settled(pilot)

    assert snap_compare(app, terminal_size=(100, 30), run_before=ready)
    app.close_services()
