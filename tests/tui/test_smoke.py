from __future__ import annotations

from counterdesk.screens.queue import QueueScreen
from tests.tui.harness import make_app, signed_in_standalone, wait_for


async def test_signed_in_counter_opens_on_the_queue() -> None:
    settings = signed_in_standalone()
    app = make_app(settings)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, QueueScreen) and app.screen.loaded)
        assert app.officer is not None
        app.close_services()
