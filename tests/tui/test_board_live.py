"""The board live and offline, against the real server on 127.0.0.1: a case received at
another counter appears by itself; with the server gone the board keeps its cases, says
how old they are and why reassigning is off, and the officers' load shows the figures it
kept; an officer's own App tells them at once when a case is moved to them. The mode is
entered with Ctrl+B and from the command palette."""

from __future__ import annotations

from pathlib import Path

from counterdesk.screens.queue import QueueScreen
from counterdesk.screens.supervisor.board import BoardScreen
from counterdesk.screens.supervisor.load import OfficersLoadScreen
from counterdesk.services.board import BoardService
from counterdesk.services.connectivity import LinkMode
from tests.sync.harness import CENTRE, PASSWORD, CaseServer
from tests.tui.board_harness import counter_settings, officer_pc, open_board, server, supervisor_app
from tests.tui.harness import NOW, make_app, screen_text, type_text, wait_for

__all__ = ["server"]


async def test_a_case_received_elsewhere_appears_by_itself(
    server: CaseServer, tmp_path: Path
) -> None:
    settings = counter_settings(server)
    two = officer_pc(settings, tmp_path / "pc-officer2", "officer2")
    two.new_case()
    await two.sync()
    app = supervisor_app(settings)
    async with app.run_test(size=(100, 30)) as pilot:
        board = await open_board(pilot, cases=1)
        paints = board.paints
        overdue = two.new_case(received_at="2026-11-13T10:00:00+08:00")  # five-day notice past
        await two.sync()
        # No key pressed: the board's sync reads the change feed and repaints.
        await wait_for(pilot, lambda: overdue["id"] in board.model.rows, 30)
        await wait_for(pilot, lambda: board.paints > paints)
        assert board.last_change_ms is not None
        first = board.query_one("BoardTable").rows()[0]
        assert first.key == overdue["id"] and first.risk == "notice_past"  # on top
        assert "超五日未告知" in screen_text(app)
        app.close_services()
    two.close()


async def test_offline_the_board_keeps_its_cases_and_says_why_reassigning_is_off(
    server: CaseServer, tmp_path: Path
) -> None:
    settings = counter_settings(server)
    one = officer_pc(settings, tmp_path / "pc-officer1", "officer1")
    for _ in range(2):
        one.new_case()
    await one.sync()
    one.close()
    app = supervisor_app(settings)
    async with app.run_test(size=(100, 30)) as pilot:
        board = await open_board(pilot, cases=2)
        await pilot.press("f2")  # the load once online: kept for later
        await wait_for(
            pilot, lambda: isinstance(app.screen, OfficersLoadScreen) and app.screen.loads
        )
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, BoardScreen))

        server.live.stop()  # the network goes
        await wait_for(pilot, lambda: app.link.mode is LinkMode.OFFLINE, 60)
        await wait_for(pilot, lambda: board.server_problem, 10)
        # The banner repaints after the flag is set: wait for the screen, not the flag.
        await wait_for(
            pilot, lambda: "离线" in (text := screen_text(app)) and "改派需要连接服务器" in text, 10
        )
        assert len(board.model.rows) == 2  # the last data, still there
        assert board.check_action("reassign", ()) is None  # greyed, not hidden
        await pilot.press("f7")
        await pilot.pause()
        assert isinstance(app.screen, BoardScreen)  # nothing opens
        await pilot.press("f2")
        await wait_for(
            pilot, lambda: isinstance(app.screen, OfficersLoadScreen) and app.screen.loads
        )
        assert "离线：显示" in screen_text(app)  # the kept figures, with their age
        assert app.screen.query_one("#load-officers").row_count == 3
        await pilot.press("escape")

        server.live.start()  # back
        board.board.wake_sync()
        await wait_for(pilot, lambda: not board.server_problem, 60)
        assert board.check_action("reassign", ()) is True
        app.close_services()


async def test_the_officer_is_told_at_once_when_a_case_is_moved_to_them(
    server: CaseServer, tmp_path: Path
) -> None:
    settings = counter_settings(server)
    one = officer_pc(settings, tmp_path / "pc-officer1", "officer1")
    case = one.new_case()
    await one.sync()
    boss = officer_pc(settings, tmp_path / "pc-supervisor", "supervisor1")
    from counterdesk.domain.clock import FixedClock
    from counterdesk.services.counter import prepare_signed_in

    prepare_signed_in(
        settings, FixedClock(NOW), username="officer2", password=PASSWORD, centre=CENTRE
    )
    app = make_app(settings)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, QueueScreen) and app.screen.loaded)
        await wait_for(pilot, lambda: app.link.mode is LinkMode.ONLINE, 30)
        moves = [{"case_id": case["id"], "from": "officer1", "to": "officer2"}]
        done = BoardService(boss.services).reassign(moves, "窗口3暂停服务")
        assert done["moved"] == 1
        app.services.saved()  # as the next poll would
        await wait_for(
            pilot,
            lambda: any("窗口3暂停服务" in n.message for n in app._notifications),
            30,
        )
        queue = app.screen
        await wait_for(pilot, lambda: [r.key for r in queue.rows] == [case["id"]], 30)
        app.close_services()
    one.close()
    boss.close()


async def test_the_board_from_the_command_palette_and_back_with_ctrl_b(
    server: CaseServer,
) -> None:
    settings = counter_settings(server)
    app = supervisor_app(settings)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, QueueScreen) and app.screen.loaded)
        await wait_for(pilot, lambda: app.check_action("board", ()) is True, 30)
        await pilot.press("ctrl+p")
        await type_text(pilot, "值班看板")
        await wait_for(pilot, lambda: "值班看板：全部在办件" in screen_text(app))
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, BoardScreen) and app.screen.loaded)
        assert app.current_mode == "supervisor"
        await pilot.press("ctrl+b")
        await wait_for(pilot, lambda: isinstance(app.screen, QueueScreen))
        assert app.current_mode == "counter"
        app.close_services()
