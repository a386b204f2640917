"""What the officer sees after intake, kept as snapshots with Chinese text: the case view
(100x30 and 80x24), the supplement against a one-time notice, and the issuance screen
with a delegate. Update with ``pytest tests/tui/test_case_snapshots.py --snapshot-update``
after a deliberate change, and look at the report before accepting it."""

from __future__ import annotations

from counterdesk.screens.issuance import IssuanceScreen
from counterdesk.screens.supplement import SupplementScreen
from tests.tui.case_seeds import DELEGATE_ID, department_decides, open_case, seeded
from tests.tui.harness import NOW, make_app, paste_text, signed_in_standalone, wait_for


def notice_app():
    settings = signed_in_standalone()
    seeded(settings, [{"at": NOW, "name": "李补正", "code": "B-STORE", "outcome": "notice"}])
    return make_app(settings)


def approved_app():
    settings = signed_in_standalone()
    [doc] = seeded(
        settings, [{"at": NOW, "name": "张出件", "code": "SCJG-GT-001", "outcome": "accept"}]
    )
    department_decides(settings, doc["id"], approve=True, text="准予个体工商户登记")
    return make_app(settings)


def test_case_view_snapshot(snap_compare) -> None:
    app = notice_app()

    async def ready(pilot) -> None:
        await open_case(pilot, "李补正")

    assert snap_compare(app, terminal_size=(100, 30), run_before=ready)
    app.close_services()


def test_case_view_snapshot_80x24(snap_compare) -> None:
    app = notice_app()

    async def ready(pilot) -> None:
        await open_case(pilot, "李补正")
        await pilot.press("pagedown")

    assert snap_compare(app, terminal_size=(80, 24), run_before=ready)
    app.close_services()


def test_supplement_snapshot(snap_compare) -> None:
    app = notice_app()

    async def ready(pilot) -> None:
        await open_case(pilot, "李补正")
        await pilot.press("f3")
        await wait_for(pilot, lambda: isinstance(app.screen, SupplementScreen))
        screen = app.screen
        await wait_for(pilot, lambda: screen.assessment.result is not None)

    assert snap_compare(app, terminal_size=(100, 30), run_before=ready)
    app.close_services()


def test_issuance_snapshot_with_a_delegate(snap_compare) -> None:
    app = approved_app()

    async def ready(pilot) -> None:
        await open_case(pilot, "张出件")
        await pilot.press("f4")
        await wait_for(pilot, lambda: isinstance(app.screen, IssuanceScreen))
        await paste_text(pilot, DELEGATE_ID)
        await pilot.press("f4")
        await paste_text(pilot, "赵受托")
        await pilot.press("enter")
        await paste_text(pilot, "y")

    assert snap_compare(app, terminal_size=(100, 30), run_before=ready)
    app.close_services()


def test_issuance_snapshot_80x24(snap_compare) -> None:
    app = approved_app()

    async def ready(pilot) -> None:
        await open_case(pilot, "张出件")
        await pilot.press("f4")
        await wait_for(pilot, lambda: isinstance(app.screen, IssuanceScreen))
        await pilot.press("f3")

    assert snap_compare(app, terminal_size=(80, 24), run_before=ready)
    app.close_services()
