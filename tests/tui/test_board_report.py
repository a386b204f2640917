"""The board's other screens against the real server: trainees' progress from results
posted through the API (as training mode posts them), and the daily centre report on
screen and exported as a PDF paper (the embedded CJK font, the figures in its text) and
a CSV file; offline, the last report stays on screen and can still be exported."""

from __future__ import annotations

import csv
import dataclasses
import io
import shutil
import subprocess
from pathlib import Path

import pytest

from counterdesk.domain.catalogue import bundled_catalogue_path, load_catalogue
from counterdesk.domain.training import bundled_scenarios, perfect_handling, score, training_result
from counterdesk.screens.supervisor.report import ReportScreen
from counterdesk.screens.supervisor.trainees import TraineesScreen
from tests.sync.harness import CaseServer
from tests.tui.board_harness import counter_settings, officer_pc, open_board, server, supervisor_app
from tests.tui.harness import NOW, screen_text, wait_for

__all__ = ["server"]


def post_results(server: CaseServer) -> None:
    catalogue = load_catalogue(bundled_catalogue_path())
    scenario = {s.id: s for s in bundled_scenarios()}["expired-id-card"]
    perfect = perfect_handling(scenario, catalogue)
    wrong = dataclasses.replace(perfect, outcome="accept", missing=())
    trainee = server.client("trainee1")
    for minute, handling in enumerate((wrong, wrong, perfect)):
        scored = score(scenario, handling, catalogue)
        finished = NOW.replace(minute=minute)
        record = training_result(
            "trainee1", scenario, handling, scored, mode="exam", finished_at=finished
        )
        answer = trainee.post("/training/results", json=record.to_server_json())
        assert answer.status_code == 201, answer.text


async def test_trainees_progress_from_posted_results(server: CaseServer) -> None:
    post_results(server)
    app = supervisor_app(counter_settings(server))
    async with app.run_test(size=(100, 30)) as pilot:
        await open_board(pilot)
        await pilot.press("f9")
        await wait_for(pilot, lambda: isinstance(app.screen, TraineesScreen) and app.screen.loads)
        screen = app.screen
        [trainee] = screen.trainees
        assert (trainee["results"], trainee["scenarios_done"], trainee["scenarios_passed"]) == (
            3,
            1,
            1,
        )
        assert trainee["mistakes"][0] == {
            "code": "accepted_incomplete",
            "category": "outcome",
            "count": 2,
        }
        text = screen_text(app)
        assert "accepted_incomplete ×2" in text
        assert "身份证" in text or "受理" in text  # the rule behind it, from the training core
        app.close_services()


async def test_the_daily_report_on_screen_and_exported(server: CaseServer, tmp_path: Path) -> None:
    settings = counter_settings(server)
    one = officer_pc(settings, tmp_path / "pc-officer1", "officer1")
    for _ in range(3):
        one.new_case()
    one.new_case(received_at="2026-11-13T10:00:00+08:00")
    await one.sync()
    one.close()
    app = supervisor_app(settings)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_board(pilot, cases=4)
        await pilot.press("f10")
        await wait_for(pilot, lambda: isinstance(app.screen, ReportScreen) and app.screen.loads)
        report = app.screen
        assert report.report is not None and report.report["totals"]["received"] == 4
        text = screen_text(app)
        assert "按人员" in text and "王丽" in text and "市场监督管理局" in text
        await pilot.press("f6")
        await wait_for(pilot, lambda: len(report.exported) == 1, 60)
        await pilot.press("f7")
        await wait_for(pilot, lambda: len(report.exported) == 2, 30)
        pdf_path, csv_path = map(Path, report.exported)

        server.live.stop()  # offline: the report shown stays, and exports still work
        await wait_for(pilot, lambda: app.services.sync.status.state.value == "offline", 60)
        await pilot.press("f5")
        await wait_for(pilot, lambda: report.loads >= 2, 30)
        assert "离线：显示" in screen_text(app) and report.report["totals"]["received"] == 4
        app.close_services()

    pdf = pdf_path.read_bytes()
    assert pdf.startswith(b"%PDF") and pdf_path.name == "centre-report-JX-NANHU-2026-11-23.pdf"
    if shutil.which("pdftotext"):
        words = subprocess.run(
            ["pdftotext", "-layout", str(pdf_path), "-"], capture_output=True, text=True, check=True
        ).stdout
        assert "窗口日报" in words and "王丽" in words and "市场监督管理局" in words
    else:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    rows = list(csv.reader(io.StringIO(csv_path.read_text(encoding="utf-8-sig"))))
    assert rows[0] == ["day", "2026-11-23", "centre", "JX-NANHU"]
    officer = next(r for r in rows if r[:2] == ["officer", "officer1"])
    header = rows[1]
    assert officer[header.index("received")] == "4"
    assert officer[header.index("overdue")] == "1"  # the five-day notice deadline is past
    total = next(r for r in rows if r[0] == "total")
    assert total[header.index("open")] == "4"
