"""The queue: this officer's open cases, most urgent first, in working days, with views
and a filter that narrows as the officer types."""

from __future__ import annotations

import datetime as dt

from counterdesk.domain.cases.states import CaseState
from counterdesk.domain.cases.timelimit import LimitStatus
from counterdesk.screens.case import CaseScreen
from counterdesk.services.queue import VIEW_ORDER, QueueRow, QueueView, counts_by_view, filter_rows
from tests.tui.harness import (
    NOW,
    make_app,
    open_queue,
    screen_text,
    seed_cases,
    signed_in_standalone,
    type_text,
    wait_for,
)

FRIDAY_BEFORE = NOW - dt.timedelta(days=10)  # 2026-11-13: its five-day notice ran out 11-20

SEEDS = [
    {"at": FRIDAY_BEFORE, "name": "逾期甲", "code": "SCJG-GT-001", "outcome": "receive"},
    {"at": NOW, "name": "今日乙", "code": "SCJG-GT-001", "outcome": "accept"},
    {"at": NOW, "name": "补正丙", "code": "SCJG-GT-001", "outcome": "notice"},
    {"at": NOW, "name": "收件丁", "code": "B-STORE", "outcome": "receive"},
    {"at": NOW, "name": "别人的", "code": "SCJG-GT-001", "outcome": "accept", "officer": "li.na"},
]


async def test_the_queue_shows_this_officers_cases_most_urgent_first() -> None:
    settings = signed_in_standalone()
    seed_cases(settings, SEEDS)
    app = make_app(settings)
    async with app.run_test(size=(100, 30)) as pilot:
        queue = await open_queue(pilot)
        names = [row.applicant for row in queue.shown]
        assert names == ["逾期甲", "今日乙", "收件丁", "补正丙"]  # not li.na's case
        statuses = {row.applicant: row.status for row in queue.shown}
        assert statuses == {
            "逾期甲": "overdue",
            "今日乙": "warning",
            "收件丁": "normal",
            "补正丙": "stopped",
        }
        overdue = queue.shown[0]
        assert (overdue.deadline, overdue.due, overdue.remaining) == (
            "notice",
            dt.date(2026, 11, 20),
            -1,
        )
        text = screen_text(app)
        assert "逾1天" in text and "今日到期" in text and "暂停" in text
        assert "JX2026-000001" in text
        app.close_services()


async def test_views_and_the_filter_narrow_the_list_as_the_officer_types() -> None:
    settings = signed_in_standalone()
    seed_cases(settings, SEEDS)
    app = make_app(settings)
    async with app.run_test(size=(100, 30)) as pilot:
        queue = await open_queue(pilot)
        await pilot.press("f3")  # to decide: received, five-day deadline
        assert queue.view is QueueView.RECEIVED
        assert [r.applicant for r in queue.shown] == ["逾期甲", "收件丁"]
        for _ in range(4):
            await pilot.press("f3")
        assert queue.view is QueueView.DUE_SOON
        assert [r.applicant for r in queue.shown] == ["今日乙"]
        await pilot.press("f3")
        assert [r.applicant for r in queue.shown] == ["逾期甲"]
        await pilot.press("escape")
        assert queue.view is QueueView.ALL
        await type_text(pilot, "便利")  # the bundle's name
        assert [r.applicant for r in queue.shown] == ["收件丁"]
        await pilot.press("escape")
        await type_text(pilot, "jx2026-000002")
        assert len(queue.shown) == 1
        await pilot.press("enter")
        case_screen = await wait_for(
            pilot, lambda: isinstance(app.screen, CaseScreen) and app.screen
        )
        await wait_for(pilot, lambda: case_screen.case is not None)
        opened = [
            e
            for e in app.services.store.audit_entries()
            if e["action"] == "case.open" and e["case_id"] == case_screen.case.id
        ]
        assert opened and opened[0]["actor"] == "wang.li"  # who saw whose data is recorded
        await pilot.press("escape")
        await open_queue(pilot)
        app.close_services()


def test_each_views_count_is_the_number_of_rows_it_shows() -> None:
    states = [state.value for state in CaseState] + ["draft"]
    rows = [
        QueueRow(
            key=f"{state}-{status.value}",
            number="",
            provisional=False,
            target="",
            applicant="",
            state=state,
            deadline="",
            due=None,
            remaining=None,
            status=status.value,
            received_at="",
            search_text="",
        )
        for state in states
        for status in LimitStatus
    ]
    counts = counts_by_view(rows)
    assert counts == {view: len(filter_rows(rows, view, "")) for view in VIEW_ORDER}
    assert counts[QueueView.ALL] == len(rows) and counts[QueueView.OVERDUE] == len(states)


async def test_the_queue_is_read_with_the_sign_in_at_start_and_again_on_each_return(
    monkeypatch,
) -> None:
    from textual.worker import get_current_worker

    from counterdesk.screens.help import HelpScreen
    from counterdesk.services.counter import CounterServices

    settings = signed_in_standalone()
    seed_cases(settings, SEEDS)
    reads: list[str] = []  # the worker group of each read
    read = CounterServices.queue_rows

    def counted(self: CounterServices, officer: object) -> object:
        reads.append(get_current_worker().group)
        return read(self, officer)

    monkeypatch.setattr(CounterServices, "queue_rows", counted)
    app = make_app(settings)
    async with app.run_test(size=(100, 30)) as pilot:
        queue = await open_queue(pilot)
        await pilot.pause(0.3)  # time for any second read to show itself
        assert reads == ["open"], "read once, by the worker that opened the store"
        assert len(queue.shown) == 4 and app.first_queue is None
        await pilot.press("f1")
        await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen))
        await pilot.press("escape")
        await wait_for(pilot, lambda: reads == ["open", "queue"])  # back: read afresh
        app.close_services()
