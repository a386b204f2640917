"""Reassigning from the supervisor board, driven with keys in the real App against the real
server on 127.0.0.1, and seen from the officers' own counters (their own data folders,
their own sync runners): one case (with the previous officer's offline edit handed over),
a marked selection spread over two officers, and every case of an absent officer. The
server refuses all of it to an officer, through the client."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Input, SelectionList

from counterdesk.screens.queue import QueueScreen
from counterdesk.screens.supervisor.board import BoardScreen
from counterdesk.screens.supervisor.load import OfficersLoadScreen
from counterdesk.screens.supervisor.reassign import AbsentModal, ReassignModal
from counterdesk.screens.supervisor.table import BoardTable
from counterdesk.services.board import BoardRefused, BoardService
from counterdesk.services.session import Officer
from tests.sync.harness import CaseServer
from tests.tui.board_harness import (
    counter_settings,
    officer_pc,
    open_board,
    server,
    supervisor_app,
)
from tests.tui.harness import make_app, paste_text, screen_text, wait_for

__all__ = ["server"]  # the fixture
REASON = "王丽今天病假"


def shown(board: BoardScreen) -> list[str]:
    return [row.key for row in board.query_one(BoardTable).rows()]


async def reassign_with_keys(pilot: Any, targets: list[str], reason: str = REASON) -> None:
    """In the open reassignment dialog: choose the officers (Space), type the reason, see
    the plan (Enter), carry it out (F2); waits until the dialog has closed."""
    app = pilot.app
    modal = app.screen
    assert isinstance(modal, ReassignModal)
    await wait_for(pilot, lambda: modal.officers, 30)
    picker = modal.query_one("#reassign-officers", SelectionList)
    names = [o["officer"] for o in modal.officers]
    for target in targets:
        picker.highlighted = names.index(target)
        await pilot.press("space")
    await wait_for(pilot, lambda: sorted(picker.selected) == sorted(targets))
    await pilot.press("tab")
    assert app.focused is modal.query_one("#reassign-reason", Input)
    await paste_text(pilot, reason)
    await pilot.press("enter")
    await wait_for(pilot, lambda: modal.plan is not None, 30)
    await pilot.press("f2")
    await wait_for(pilot, lambda: isinstance(app.screen, BoardScreen), 30)


async def test_one_case_with_the_previous_officers_offline_edit_handed_over(
    server: CaseServer, tmp_path: Path
) -> None:
    settings = counter_settings(server)
    one = officer_pc(settings, tmp_path / "pc-officer1", "officer1")
    two = officer_pc(settings, tmp_path / "pc-officer2", "officer2")
    cases = [one.new_case() for _ in range(3)]
    await one.sync()
    moved = one.store.get(cases[1]["id"])
    number = moved["numbers"]["official"]  # given at the sync, from the server's lease
    # officer1 edits the case while the network is out: the edit waits in the outbox.
    one.edit_fields(moved["id"], business_scope="小吃")
    app = supervisor_app(settings)
    async with app.run_test(size=(100, 30)) as pilot:
        board = await open_board(pilot, cases=3)
        await paste_text(pilot, number)  # the filter has the keyboard
        await wait_for(pilot, lambda: shown(board) == [moved["id"]])
        await pilot.press("f7")
        await wait_for(pilot, lambda: isinstance(app.screen, ReassignModal))
        await reassign_with_keys(pilot, ["officer2"])
        assert server.case(moved["id"])["assignee"] == "officer2"
        # The board's own sync brings the move back from the change feed.
        await wait_for(pilot, lambda: board.model.rows[moved["id"]].officer == "officer2", 30)
        assert "李明" in screen_text(app)
        app.close_services()
    # officer1's next sync delivers the offline edit to the case they no longer hold.
    await one.sync()
    on_server = server.case(moved["id"])
    assert on_server["fields"]["business_scope"] == "小吃"
    assert on_server["assignee"] == "officer2"
    [away] = one.notices("reassign_out")
    assert REASON in away.text and "officer2" in away.text
    assert one.notices("handover_out")  # "your unsynced change goes to officer2"
    assert one.services.queue_rows(Officer("officer1", "")) and all(
        row.key != moved["id"] for row in one.services.queue_rows(Officer("officer1", ""))
    )
    # officer2's next sync: the case, the edit, who moved it and why, and the handover.
    await two.sync()
    await two.sync()
    here = two.store.get(moved["id"])
    assert here["assignee"] == "officer2" and here["fields"]["business_scope"] == "小吃"
    [given] = two.notices("reassign_in")
    assert REASON in given.text and "supervisor1" in given.text
    [handed] = two.notices("handover_in")
    assert handed.detail["from"] == "officer1" and handed.detail["operations"] == 1
    assert [r.key for r in two.services.queue_rows(Officer("officer2", ""))] == [moved["id"]]
    # The audit trail names the supervisor, the officers and the reason.
    trail = server.client("supervisor1").get("/audit", params={"action": "case.reassign"}).json()
    [line] = trail["events"]
    assert (line["actor"], line["case_id"]) == ("supervisor1", moved["id"])
    assert line["detail"]["reason"] == REASON and line["detail"]["from"] == "officer1"
    one.close()
    two.close()


async def test_a_marked_selection_spread_over_two_officers(
    server: CaseServer, tmp_path: Path
) -> None:
    settings = counter_settings(server)
    one = officer_pc(settings, tmp_path / "pc-officer1", "officer1")
    two = officer_pc(settings, tmp_path / "pc-officer2", "officer2")
    cases = [one.new_case() for _ in range(4)]
    await one.sync()
    app = supervisor_app(settings)
    async with app.run_test(size=(100, 30)) as pilot:
        board = await open_board(pilot, cases=4)
        table = board.query_one(BoardTable)
        await pilot.press("f6", "f6")  # mark two cases (the cursor moves down each time)
        marked = set(table.marked)
        assert len(marked) == 2
        await pilot.press("f7")
        await wait_for(pilot, lambda: isinstance(app.screen, ReassignModal))
        assert len(app.screen.cases) == 2
        await reassign_with_keys(pilot, ["officer2", "supervisor1"], "平衡工作量")
        holders = {case_id: server.case(case_id)["assignee"] for case_id in marked}
        assert sorted(holders.values()) == ["officer2", "supervisor1"]  # one each: by load
        await wait_for(pilot, lambda: not table.marked)
        left = {c["id"] for c in cases} - marked
        assert all(server.case(case_id)["assignee"] == "officer1" for case_id in left)
        app.close_services()
    await two.sync()
    mine = [case_id for case_id, who in holders.items() if who == "officer2"]
    assert [r.key for r in two.services.queue_rows(Officer("officer2", ""))] == mine
    assert [n.case_id for n in two.notices("reassign_in")] == mine
    await one.sync()
    assert sorted(n.case_id for n in one.notices("reassign_out")) == sorted(marked)
    one.close()
    two.close()


async def test_every_case_of_an_absent_officer_spread_by_load(
    server: CaseServer, tmp_path: Path
) -> None:
    settings = counter_settings(server)
    one = officer_pc(settings, tmp_path / "pc-officer1", "officer1")
    two = officer_pc(settings, tmp_path / "pc-officer2", "officer2")
    absent = [one.new_case() for _ in range(4)]
    two.new_case()
    await one.sync()
    await two.sync()
    app = supervisor_app(settings)
    async with app.run_test(size=(100, 30)) as pilot:
        board = await open_board(pilot, cases=5)
        await paste_text(pilot, "officer1")
        await wait_for(pilot, lambda: len(shown(board)) == 4)
        await pilot.press("f8")
        await wait_for(pilot, lambda: isinstance(app.screen, AbsentModal) and app.screen.names)
        assert app.screen.names[app.screen.query_one("#absent-officers").highlighted] == "officer1"
        await pilot.press("enter")  # the officer under the board's cursor is offered first
        await wait_for(pilot, lambda: isinstance(app.screen, ReassignModal))
        modal = app.screen
        assert modal.from_officer == "officer1"
        await wait_for(pilot, lambda: modal.officers, 30)
        assert "officer1" not in [o["officer"] for o in modal.officers]
        await reassign_with_keys(pilot, ["officer2", "supervisor1"])
        holders = [server.case(c["id"])["assignee"] for c in absent]
        assert set(holders) <= {"officer2", "supervisor1"}
        # officer2 held one already: the four spread so that both end with about as many.
        final = {
            "officer2": 1 + holders.count("officer2"),
            "supervisor1": holders.count("supervisor1"),
        }
        assert abs(final["officer2"] - final["supervisor1"]) <= 1
        await wait_for(
            pilot, lambda: all(board.model.rows[c["id"]].officer != "officer1" for c in absent), 30
        )
        app.close_services()
    await one.sync()
    assert one.services.queue_rows(Officer("officer1", "")) == []
    assert len(one.notices("reassign_out")) == 4
    await two.sync()
    theirs = sorted(c["id"] for c, who in zip(absent, holders, strict=True) if who == "officer2")
    assert sorted(n.case_id for n in two.notices("reassign_in")) == theirs
    one.close()
    two.close()


async def test_the_server_refuses_an_officer_through_the_client(
    server: CaseServer, tmp_path: Path
) -> None:
    settings = counter_settings(server)
    one = officer_pc(settings, tmp_path / "pc-officer1", "officer1")
    case = one.new_case()
    await one.sync()
    board = BoardService(one.services)  # an officer's counter asking anyway
    moves = [{"case_id": case["id"], "from": "officer1", "to": "officer2"}]
    with pytest.raises(BoardRefused, match="无权访问"):  # "role officer may not do this"
        board.reassign(moves, REASON)
    with pytest.raises(BoardRefused, match="无权访问"):
        board.plan(["officer2"], case_ids=[case["id"]])
    with pytest.raises(BoardRefused):
        board.load(one.services.clock.today())
    assert server.case(case["id"])["assignee"] == "officer1"
    one.close()

    # The officer's App hides the board (Ctrl+B does nothing, the palette does not offer
    # it); forced open, the server still refuses what it asks.
    from counterdesk.domain.clock import FixedClock
    from counterdesk.services.counter import prepare_signed_in
    from tests.sync.harness import CENTRE, PASSWORD
    from tests.tui.harness import NOW

    prepare_signed_in(
        settings, FixedClock(NOW), username="officer2", password=PASSWORD, centre=CENTRE
    )
    app = make_app(settings)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, QueueScreen) and app.screen.loaded, 30)
        assert not app.check_action("board", ())
        await pilot.press("ctrl+b")
        await pilot.pause()
        assert isinstance(app.screen, QueueScreen)
        await app.switch_mode("supervisor")
        await wait_for(pilot, lambda: isinstance(app.screen, BoardScreen) and app.screen.loaded, 30)
        await pilot.press("f2")
        await wait_for(
            pilot, lambda: isinstance(app.screen, OfficersLoadScreen) and app.screen.loads
        )
        assert "无权访问" in screen_text(app)
        app.close_services()
