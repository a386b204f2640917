"""After intake with a real case server on 127.0.0.1: a supplement made while the server is
down waits in the outbox (the case view says so) and reaches the server once it is back;
a department's decision made on the server arrives by sync and the queue shows the case
for issuance by itself; a colleague's case is found on the server and acted on here."""

from __future__ import annotations

from pathlib import Path

from counterdesk.screens.case import CaseScreen
from counterdesk.screens.find_case import FindCaseScreen
from counterdesk.screens.issuance import IssuanceScreen
from counterdesk.screens.queue import QueueScreen
from counterdesk.screens.supplement import SupplementScreen
from counterdesk.services.connectivity import LinkMode
from counterdesk.services.queue import QueueView, matches
from counterdesk.widgets.checklist_table import ChecklistTable
from tests.sync.harness import CaseServer, case_doc, make_counter
from tests.tui.case_seeds import open_case
from tests.tui.harness import (
    PERSON,
    answer_until_checklist,
    make_app,
    open_queue,
    paste_text,
    start_intake,
    wait_for,
)
from tests.tui.test_intake import ANSWERS, leave_out
from tests.tui.test_online import counter_for, server, sign_in_online  # noqa: F401


async def intake(pilot, outcome: str) -> str:
    """An intake of 个体工商户设立登记 for the reference applicant; returns its material left
    out for a notice."""
    screen = await start_intake(pilot, "gtgsh", "SCJG-GT-001")
    await answer_until_checklist(pilot, ANSWERS)
    await pilot.press("f5")
    left_out = ""
    if outcome == "notice":
        left_out = await leave_out(pilot, screen, "required")
        await pilot.press("f9")
        await pilot.pause()
        await pilot.press("enter")
    else:
        await pilot.press("f7")
    await open_queue(pilot)
    return left_out


async def synced(pilot, app) -> None:
    store = app.services.store
    app.services.saved()
    await wait_for(pilot, lambda: store.outbox_peek() == [], timeout=30)


async def test_a_supplement_made_offline_syncs_when_the_server_is_back(
    server: CaseServer,  # noqa: F811
) -> None:
    settings = counter_for(server)
    app = make_app(settings)
    async with app.run_test(size=(100, 30)) as pilot:
        await sign_in_online(pilot)
        await open_queue(pilot)
        missing = await intake(pilot, "notice")
        await synced(pilot, app)
        [doc] = app.services.store.list_queue()
        assert server.case(doc["id"])["state"] == "awaiting_supplement"

        server.live.stop()  # the network goes; the applicant comes back with the paper
        case_screen = await open_case(pilot, PERSON["name"])
        await pilot.press("f3")
        await wait_for(
            pilot, lambda: isinstance(app.screen, SupplementScreen) and app.screen.catalogue
        )
        screen = app.screen
        await wait_for(pilot, lambda: screen.assessment.result is not None)
        table = screen.query_one(ChecklistTable)
        table.move_cursor(
            row=next(i for i, line in enumerate(table.lines) if line.material == missing)
        )
        await pilot.press("space")
        await pilot.press("f7")
        await wait_for(pilot, lambda: isinstance(app.screen, CaseScreen))
        await wait_for(pilot, lambda: case_screen.record.case.state.value == "accepted")
        await wait_for(pilot, lambda: app.link.mode is LinkMode.OFFLINE, timeout=30)
        assert case_screen.record.timeline[-1].sync == "waiting"
        assert case_screen.record.waiting >= 1
        waiting = [row["op"] for row in app.services.store.outbox_of_case(doc["id"])]
        kinds = [(op["kind"], op["payload"].get("to")) for op in waiting]
        # Kept, not lost (beside print records, the notice's among them if it had not synced).
        assert ("transition", "accepted") in kinds

        server.live.start()  # back: the counter's own engine sends what waited
        await synced(pilot, app)
        on_server = server.case(doc["id"])
        assert on_server["state"] == "accepted"
        assert on_server["received"][missing]["original"] >= 1
        # The case view reads the store again when the sync ends.
        await wait_for(pilot, lambda: case_screen.record.timeline[-1].sync == "synced", timeout=30)
        app.close_services()


async def test_a_department_decision_arrives_by_sync_and_the_queue_shows_it_for_issuance(
    server: CaseServer,  # noqa: F811
) -> None:
    settings = counter_for(server)
    app = make_app(settings)
    async with app.run_test(size=(100, 30)) as pilot:
        await sign_in_online(pilot)
        queue = await open_queue(pilot)
        await intake(pilot, "accept")
        await synced(pilot, app)
        [doc] = app.services.store.list_queue()
        on_server = server.case(doc["id"])
        admin = server.client("admin1")
        answer = admin.post(
            f"/cases/{doc['id']}/decision",
            json={"base_version": on_server["version"], "approve": True, "reason": "准予登记"},
        )
        assert answer.status_code == 200, answer.text
        assert isinstance(app.screen, QueueScreen)
        seen = queue.rows

        await pilot.press("ctrl+y")  # sync now; no F5: the queue reloads by itself
        await wait_for(
            pilot,
            lambda: [r.state for r in queue.rows if r.key == doc["id"]] == ["approved"],
            timeout=30,
        )
        assert queue.rows != seen
        [row] = [r for r in queue.rows if r.key == doc["id"]]
        assert matches(row, QueueView.ISSUANCE, "")

        await open_case(pilot, PERSON["name"])
        await pilot.press("f4")
        await wait_for(pilot, lambda: isinstance(app.screen, IssuanceScreen))
        assert "准予登记" in str(app.screen.query_one("#issuance-result").render())
        await paste_text(pilot, PERSON["id_number"])
        await pilot.press("f7")
        await wait_for(pilot, lambda: isinstance(app.screen, CaseScreen))
        await synced(pilot, app)
        on_server = server.case(doc["id"])
        assert on_server["state"] == "delivered"
        assert on_server["issuance"]["collector_id"] == PERSON["id_number"]
        app.close_services()


async def test_a_colleagues_case_is_found_on_the_server_and_withdrawn_here(
    server: CaseServer,  # noqa: F811
    tmp_path: Path,
) -> None:
    colleague = make_counter(server, tmp_path, "officer2")
    theirs = colleague.new_case(
        **case_doc(
            target={"kind": "item", "code": "SCJG-GT-001", "name": "个体工商户设立登记"},
            applicant={
                "type": "natural",
                "name": "郑别窗",
                "id_kind": "resident_id",
                "id_number": "330402198808080021",
                "phone": "13900001111",
            },
            received_by="officer2",
            assignee="officer2",
        )
    )
    colleague.sync()
    colleague.store.close()
    settings = counter_for(server)
    app = make_app(settings)
    async with app.run_test(size=(100, 30)) as pilot:
        await sign_in_online(pilot)
        await open_queue(pilot)
        await wait_for(pilot, lambda: app.link.mode is LinkMode.ONLINE, timeout=30)
        assert app.services.store.get(theirs["id"]) is None  # not this officer's case
        await pilot.press("ctrl+f")
        await wait_for(pilot, lambda: isinstance(app.screen, FindCaseScreen))
        finder = app.screen
        await wait_for(pilot, lambda: finder.server_note, timeout=30)
        await paste_text(pilot, "330402198808080021")
        await wait_for(pilot, lambda: finder.found and finder.found[0].case_id == theirs["id"])
        assert finder.found[0].where == "server"
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, CaseScreen) and app.screen.record)
        screen = app.screen
        assert screen.record.source == "server"
        await pilot.press("f8")
        await pilot.pause()
        await paste_text(pilot, "申请人到其他窗口撤回")
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.services.store.get(theirs["id"]) is not None)
        await synced(pilot, app)
        on_server = server.case(theirs["id"])
        assert on_server["state"] == "withdrawn"
        assert on_server["timeline"][-1]["by"] == "officer1"
        app.close_services()
