"""Scans travel with the case, end to end: an officer signed in at a real case server on
127.0.0.1 loses the network, scans two pages for a line with SANE's test device, and
accepts the case offline; nothing of the pages lies in clear anywhere in the counter's
data folder (or its temporary folder); once the server is back, the counter's own sync
engine sends the case and uploads the line's PDF, and the back office downloads a PDF
with both pages (the download audited)."""

from __future__ import annotations

import io
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from pypdf import PdfReader

from counterdesk import locations
from counterdesk.services.connectivity import LinkMode
from counterdesk.services.scanning import scan_page
from counterdesk.services.settings_file import write_settings_file
from counterdesk.settings import load_settings
from counterdesk.widgets.checklist_table import ChecklistTable
from counterdesk_server.db import migrate
from counterdesk_server.db.engine import Database
from tests.scanning.test_scan_tui import first_copy_line, on_line, scan_pages
from tests.sync.harness import CaseServer, start_server
from tests.tui.harness import (
    answer_until_checklist,
    make_app,
    open_queue,
    start_intake,
    wait_for,
)
from tests.tui.test_intake import ANSWERS
from tests.tui.test_online import counter_for, sign_in_online


@pytest.fixture
def server(tmp_path: Path) -> Iterator[CaseServer]:
    url = f"sqlite:///{tmp_path / 'server.sqlite3'}"
    database = Database(url)
    migrate.upgrade(database.engine)
    database.dispose()
    running = start_server(url, tmp_path)
    yield running
    running.close()


@pytest.fixture
def private_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setenv("TMPDIR", str(folder))
    monkeypatch.setattr(tempfile, "tempdir", None)
    yield folder


def files_holding(folders: list[Path], needles: dict[str, bytes]) -> dict[str, list[str]]:
    """Which files of ``folders`` contain which of ``needles`` (as bytes)."""
    found: dict[str, list[str]] = {}
    for folder in folders:
        for root, _dirs, names in os.walk(folder):
            for name in names:
                path = Path(root) / name
                data = path.read_bytes()
                for label, needle in needles.items():
                    if needle in data:
                        found.setdefault(label, []).append(str(path))
    return found


async def test_two_scanned_pages_reach_the_server_as_one_pdf_never_in_clear_on_the_counter(
    server: CaseServer, private_tmp: Path
) -> None:
    counter_for(server)
    write_settings_file({"scanner_device": "test:0"})
    settings = load_settings()
    page_png = scan_page("test:0")  # the test device scans the same page every time
    app = make_app(settings)
    async with app.run_test(size=(100, 30)) as pilot:
        await sign_in_online(pilot)
        await open_queue(pilot)
        await wait_for(pilot, lambda: app.link.mode is LinkMode.ONLINE, timeout=30)
        server.live.stop()  # the network goes away
        await wait_for(pilot, lambda: app.services.sync.engine.status.state.value != "syncing")

        screen = await start_intake(pilot, "gtgsh", "SCJG-GT-001")
        await answer_until_checklist(pilot, ANSWERS)
        table = screen.query_one(ChecklistTable)
        material = first_copy_line(table)
        await on_line(pilot, table, material)
        await scan_pages(pilot, screen, material, 2)
        await pilot.press("f5", "f7")
        await open_queue(pilot)

        services = app.services
        store = services.store
        [case] = store.list_queue()
        [ref] = case["attachments"]
        pdf = services.attachments.files.read(ref["id"])
        assert len(PdfReader(io.BytesIO(pdf)).pages) == 2
        middle = len(page_png) // 2
        needles = {
            "pdf start": pdf[:64],
            "pdf middle": pdf[len(pdf) // 2 : len(pdf) // 2 + 64],
            "png signature": b"\x89PNG\r\n\x1a\n",
            "png slice": page_png[middle : middle + 64],
            "applicant": "张三".encode(),
        }
        assert files_holding([locations.data_dir(), private_tmp], needles) == {}

        server.live.start()  # back: the counter's engine sends the case, then the file
        services.saved()
        await wait_for(
            pilot,
            lambda: not store.outbox_peek() and not store.setting("sync:uploads"),
            timeout=60,
        )
        assert not services.attachments.files.exists(ref["id"])  # the server holds it now
        app.close_services()

    back_office = server.client("supervisor1")
    on_server = back_office.get(f"/cases/{case['id']}").json()["case"]
    assert on_server["attachments"] == [ref]
    assert on_server["received"][material]["pages"] == 2
    assert on_server["received"][material]["made_at_counter"] >= 1
    [upload] = back_office.get(f"/attachments/by-case/{case['id']}").json()
    assert upload["complete"] and upload["id"] == ref["id"]
    download = back_office.get(f"/attachments/{ref['id']}/content")
    assert download.status_code == 200 and download.content == pdf
    assert len(PdfReader(io.BytesIO(download.content)).pages) == 2
    audit = server.client("admin1").get(
        "/audit", params={"case_id": case["id"], "action": "attachment.download"}
    )
    assert [e["actor"] for e in audit.json()["events"]] == ["supervisor1"]
