"""Coming back to a case's papers, by keys on the real App: a supplement that completes the
case (accepted, the limit running from that day), one that still falls short (a new
notice of what remains), a received case decided on working day four, deferred papers
brought, and a lapsed commitment terminated (and not before it lapsed)."""

from __future__ import annotations

import datetime as dt

from counterdesk.domain.cases import Case
from counterdesk.domain.clock import CHINA_TZ
from counterdesk.screens.case import CaseScreen
from counterdesk.screens.case_dialogs import ReasonModal
from counterdesk.screens.decisions import NoticeModal
from counterdesk.screens.supplement import SupplementScreen
from counterdesk.widgets.checklist_table import ChecklistTable
from tests.tui.case_seeds import app_on, open_case, seeded
from tests.tui.harness import (
    NOW,
    InstantPrinter,
    screen_text,
    signed_in_standalone,
    store_of,
    wait_for,
)


def day(month: int, dom: int, hour: int = 10) -> dt.datetime:
    return dt.datetime(2026, month, dom, hour, 0, tzinfo=CHINA_TZ)


async def open_recheck(pilot, applicant: str) -> tuple[CaseScreen, SupplementScreen]:
    app = pilot.app
    case_screen = await open_case(pilot, applicant)
    await pilot.press("f3")
    await wait_for(pilot, lambda: isinstance(app.screen, SupplementScreen) and app.screen.catalogue)
    await wait_for(pilot, lambda: app.screen.assessment.result is not None)
    return case_screen, app.screen


async def tick(pilot, screen: SupplementScreen, material: str) -> None:
    table = screen.query_one(ChecklistTable)
    row = next(i for i, line in enumerate(table.lines) if line.material == material)
    table.move_cursor(row=row)
    await pilot.press("space")
    await pilot.pause()


def printed_titles(printer: InstantPrinter) -> list[str]:
    return [title for title, _queue, _size in printer.printed]


async def test_a_supplement_that_completes_the_case_accepts_it_and_restarts_the_clock() -> None:
    settings = signed_in_standalone()
    [doc] = seeded(
        settings, [{"at": NOW, "name": "李补正", "code": "SCJG-GT-001", "outcome": "notice"}]
    )
    [missing] = doc["decision"]["missing"]
    printer = InstantPrinter()
    app = app_on(settings, day(12, 2), printer=printer)  # the applicant is back 9 days later
    async with app.run_test(size=(100, 30)) as pilot:
        case_screen, screen = await open_recheck(pilot, "李补正")
        assert "2026-11-23" in screen_text(app)  # the notice and what it asked for
        assert screen.allowed == frozenset({"notice", "refuse"})
        assert screen.check_action("decide", ("accept",)) is None  # greyed: still short
        await tick(pilot, screen, missing["material"])
        assert screen.assessment.outcome == "complete"
        await pilot.press("f7")
        await wait_for(pilot, lambda: isinstance(app.screen, CaseScreen))
        await wait_for(pilot, lambda: case_screen.record.case.state.value == "accepted")
        case = Case.model_validate(store_of(app).get(doc["id"]))
        assert case.decision.outcome == "accept"
        assert case.limits.accepted_on == dt.date(2026, 12, 2)  # the clock starts today
        assert case.received[missing["material"]].original >= missing["original"]
        assert [e.state_to.value for e in case.timeline][-1] == "accepted"
        reading = case_screen.record.clock
        assert reading.deadline.value == "promised" and reading.due >= dt.date(2026, 12, 2)
        await wait_for(pilot, lambda: any("receipt" in t for t in printed_titles(printer)))
        decided = [e for e in store_of(app).audit_entries() if e["action"] == "case.accept"]
        assert [(e["step"], e["actor"]) for e in decided] == [("supplement", "wang.li")]
        app.close_services()


async def test_a_supplement_still_short_issues_a_new_notice_of_what_remains() -> None:
    settings = signed_in_standalone()
    [doc] = seeded(
        settings, [{"at": NOW, "name": "钱两缺", "code": "B-STORE", "outcome": "receive"}]
    )
    printer = InstantPrinter()
    app = app_on(settings, day(11, 24), printer=printer)
    async with app.run_test(size=(100, 30)) as pilot:
        # First the one-time notice, two required papers left out.
        _case_screen, screen = await open_recheck(pilot, "钱两缺")
        required = [line for line in screen.assessment.result.checklist if line.need == "required"]
        first, second = required[0].material, required[1].material
        await tick(pilot, screen, first)
        await tick(pilot, screen, second)
        assert {s.material for s in screen.assessment.result.missing} >= {first, second}
        await pilot.press("f9")
        await wait_for(pilot, lambda: isinstance(app.screen, NoticeModal))
        await pilot.press("enter")
        await wait_for(
            pilot, lambda: store_of(app).get(doc["id"])["state"] == "awaiting_supplement"
        )
        await wait_for(pilot, lambda: isinstance(app.screen, CaseScreen))
        # The applicant brings one of the two: a new notice lists only the other.
        await wait_for(pilot, lambda: app.screen.record.case.state.value == "awaiting_supplement")
        await pilot.press("f3")
        await wait_for(
            pilot, lambda: isinstance(app.screen, SupplementScreen) and app.screen.catalogue
        )
        screen = app.screen
        await wait_for(pilot, lambda: screen.assessment.result is not None)
        await tick(pilot, screen, first)
        await pilot.press("f9")
        await wait_for(pilot, lambda: isinstance(app.screen, NoticeModal))
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, CaseScreen))
        await wait_for(
            pilot, lambda: len(Case.model_validate(store_of(app).get(doc["id"])).timeline) == 3
        )
        case = Case.model_validate(store_of(app).get(doc["id"]))
        assert [
            (e.state_from.value if e.state_from else None, e.state_to.value) for e in case.timeline
        ] == [
            (None, "received"),
            ("received", "awaiting_supplement"),
            ("awaiting_supplement", "awaiting_supplement"),
        ]
        remaining = {s.material for s in case.decision.missing}
        assert second in remaining and first not in remaining
        await wait_for(
            pilot, lambda: sum("notice" in t for t in printed_titles(printer)) == 2, timeout=30
        )
        app.close_services()


async def test_a_received_case_decided_on_working_day_four_runs_the_intakes_decision() -> None:
    settings = signed_in_standalone()
    [doc] = seeded(
        settings, [{"at": NOW, "name": "周收件", "code": "SCJG-GT-001", "outcome": "receive"}]
    )
    # Received Monday 23 November; Friday 27 is the fourth working day after it.
    app = app_on(settings, day(11, 27))
    async with app.run_test(size=(100, 30)) as pilot:
        case_screen = await open_case(pilot, "周收件")
        reading = case_screen.record.clock
        assert reading.deadline.value == "notice" and reading.due == dt.date(2026, 11, 30)
        assert reading.remaining == 1 and reading.status.value == "warning"
        assert "2026-11-30" in screen_text(app) and "剩1个工作日" in screen_text(app)
        await pilot.press("f3")
        await wait_for(
            pilot, lambda: isinstance(app.screen, SupplementScreen) and app.screen.catalogue
        )
        screen = app.screen
        await wait_for(pilot, lambda: screen.assessment.result is not None)
        assert "2026-11-30" in screen_text(app)
        assert screen.assessment.outcome == "complete"  # everything came at intake
        await pilot.press("f7")
        await wait_for(pilot, lambda: store_of(app).get(doc["id"])["state"] == "accepted")
        case = Case.model_validate(store_of(app).get(doc["id"]))
        assert case.decision.outcome == "accept" and case.decision.decided_at.date() == dt.date(
            2026, 11, 27
        )
        assert case.limits.accepted_on == dt.date(2026, 11, 27)
        assert case.check["outcome"] == "complete"
        # The intake's receive (create), then the one transition intake itself would make
        # (the receipt's print record may follow it: not a move of the case).
        ops = [
            row["op"]
            for row in store_of(app).outbox_of_case(doc["id"])
            if row["op"]["kind"] != "record_print"
        ]
        assert [op["kind"] for op in ops] == ["create", "transition"]
        assert ops[-1]["payload"]["to"] == "accepted"
        assert set(ops[-1]["payload"]["changes"]) >= {"decision", "check", "limits", "received"}
        app.close_services()


async def test_deferred_papers_brought_keep_the_first_acceptances_limits() -> None:
    settings = signed_in_standalone()
    [doc] = seeded(
        settings,
        [{"at": NOW, "name": "孙容缺", "code": "RSJ-TX-001", "outcome": "accept_deferral"}],
    )
    [deferred] = doc["decision"]["deferred"]
    printer = InstantPrinter()
    app = app_on(settings, day(11, 30), printer=printer)
    async with app.run_test(size=(100, 30)) as pilot:
        case_screen, screen = await open_recheck(pilot, "孙容缺")
        assert screen.check_action("fulfil", ()) is None  # not yet: nothing brought
        await tick(pilot, screen, deferred["material"])
        assert screen.check_action("fulfil", ()) is True
        await pilot.press("f7")
        await wait_for(pilot, lambda: store_of(app).get(doc["id"])["state"] == "accepted")
        case = Case.model_validate(store_of(app).get(doc["id"]))
        assert case.limits.accepted_on == NOW.date()  # the limit runs from the acceptance
        assert case.decision.outcome == "accept_deferral"  # the decision stays on record
        assert case.timeline[-1].reason.startswith("容缺材料已补齐")
        await wait_for(pilot, lambda: any("materials" in t for t in printed_titles(printer)))
        app.close_services()


async def test_a_lapsed_commitment_is_flagged_and_the_case_terminated_with_a_reason() -> None:
    settings = signed_in_standalone()
    [doc] = seeded(
        settings,
        [{"at": NOW, "name": "吴逾期", "code": "RSJ-TX-001", "outcome": "accept_deferral"}],
    )
    due = dt.date.fromisoformat(doc["decision"]["due"])
    # On the due day the applicant still has time: F9 is greyed.
    app = app_on(settings, dt.datetime.combine(due, dt.time(15), CHINA_TZ))
    async with app.run_test(size=(100, 30)) as pilot:
        case_screen = await open_case(pilot, "吴逾期")
        assert not case_screen.record.commitment_overdue
        assert case_screen.check_action("terminate", ()) is None
        await pilot.press("f9")
        assert not isinstance(app.screen, ReasonModal)
        app.close_services()

    later = dt.datetime.combine(due + dt.timedelta(days=3), dt.time(9), CHINA_TZ)
    app = app_on(settings, later)
    async with app.run_test(size=(100, 30)) as pilot:
        from tests.tui.harness import open_queue

        queue = await open_queue(pilot)
        [row] = [r for r in queue.rows if r.key == doc["id"]]
        assert row.deadline == "deferral" and row.status == "overdue"  # flagged in the queue
        case_screen = await open_case(pilot, "吴逾期")
        assert case_screen.record.commitment_overdue
        assert "承诺逾期" in screen_text(app)
        await pilot.press("f9")
        await wait_for(pilot, lambda: isinstance(app.screen, ReasonModal))
        assert "容缺材料逾期未补齐" in screen_text(app)  # the reason offered
        await pilot.press("enter")
        await wait_for(pilot, lambda: store_of(app).get(doc["id"])["state"] == "terminated")
        case = Case.model_validate(store_of(app).get(doc["id"]))
        assert case.timeline[-1].reason == "容缺材料逾期未补齐"
        assert "case.terminate" in [e["action"] for e in store_of(app).audit_entries()]
        await wait_for(pilot, lambda: case_screen.record.case.state.value == "terminated")
        assert case_screen.check_action("terminate", ()) is False
        app.close_services()
