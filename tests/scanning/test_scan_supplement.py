"""Scanning on the supplement screen (补正), which shows the intake's checklist: the papers
the applicant brings against a one-time notice are scanned per line with the same keys,
count as copies made at the counter, and are attached to the case when it is saved."""

from __future__ import annotations

import datetime as dt
import io

from pypdf import PdfReader

from counterdesk.domain.cases import Case
from counterdesk.domain.clock import CHINA_TZ
from counterdesk.screens.case import CaseScreen
from counterdesk.services.settings_file import write_settings_file
from counterdesk.settings import load_settings
from counterdesk.widgets.checklist_table import ChecklistTable
from tests.scanning.test_scan_tui import on_line, scan_pages
from tests.tui.case_seeds import app_on, seeded
from tests.tui.harness import NOW, signed_in_standalone, store_of, wait_for
from tests.tui.test_case_supplement import open_recheck


async def test_papers_brought_for_a_notice_are_scanned_and_attached_to_the_case() -> None:
    signed_in_standalone()
    write_settings_file({"scanner_device": "test:0"})
    settings = load_settings()
    [doc] = seeded(
        settings, [{"at": NOW, "name": "李补扫", "code": "SCJG-GT-001", "outcome": "notice"}]
    )
    [missing] = doc["decision"]["missing"]
    material = missing["material"]
    app = app_on(settings, dt.datetime(2026, 12, 2, 10, 0, tzinfo=CHINA_TZ))
    async with app.run_test(size=(100, 30)) as pilot:
        _case_screen, screen = await open_recheck(pilot, "李补扫")
        table = screen.query_one(ChecklistTable)
        await on_line(pilot, table, material)
        before = dict(screen.recheck.received.get(material, {}))
        await scan_pages(pilot, screen, material, 2)
        after = screen.recheck.received[material]
        assert after.get("copies", 0) == before.get("copies", 0) + 1
        assert after.get("made_at_counter", 0) == before.get("made_at_counter", 0) + 1
        await pilot.press("space")  # the original was shown too
        await wait_for(pilot, lambda: screen.assessment.outcome == "complete")
        await pilot.press("f7")
        await wait_for(pilot, lambda: isinstance(app.screen, CaseScreen))
        store = store_of(app)
        await wait_for(pilot, lambda: store.get(doc["id"])["attachments"])
        case = Case.model_validate(store.get(doc["id"]))
        assert case.state.value == "accepted"
        [ref] = case.attachments
        assert ref.material == material and ref.pages == 2
        assert case.received[material].pages == 2
        pdf = app.services.attachments.files.read(ref.id)
        assert len(PdfReader(io.BytesIO(pdf)).pages) == 2
        kinds = [row["op"]["kind"] for row in store.outbox_peek()][-3:]
        assert kinds == ["transition", "attach", "update_fields"]
        assert app.services.attachments.pages_of(doc["id"]) == {}
        app.close_services()
