"""Scanning on the intake screen, by keys on the real App, with SANE's test device: the
scanner is chosen once (S) and saved to config.toml, s scans a page for the highlighted
line, the checklist shows its pages and counts it as a copy made at the counter, v shows
the pages, x removes the last one, i imports a document camera's folder; the decision
attaches one PDF per line to the case."""

from __future__ import annotations

import io
import tomllib
from pathlib import Path
from typing import Any

from PIL import Image
from pypdf import PdfReader

from counterdesk import locations
from counterdesk.screens.preview import BlockPicture, PreviewScreen
from counterdesk.screens.scanner import ImportFolderModal, ScannerScreen
from counterdesk.widgets.checklist_table import ChecklistTable
from tests.tui.harness import (
    answer_until_checklist,
    make_app,
    open_queue,
    paste_text,
    screen_text,
    signed_in_standalone,
    start_intake,
    store_of,
    wait_for,
)
from tests.tui.test_intake import ANSWERS

ITEM = ("gtgsh", "SCJG-GT-001")


async def to_checklist(pilot: Any) -> Any:
    await open_queue(pilot)
    screen = await start_intake(pilot, *ITEM)
    await answer_until_checklist(pilot, ANSWERS)
    return screen


async def on_line(pilot: Any, table: ChecklistTable, material: str) -> None:
    row = next(i for i, line in enumerate(table.lines) if line.material == material)
    table.move_cursor(row=row)
    await pilot.pause()


async def choose_test_scanner(pilot: Any) -> None:
    app = pilot.app
    await wait_for(pilot, lambda: isinstance(app.screen, ScannerScreen))
    chooser = app.screen
    await wait_for(pilot, lambda: len(chooser.devices) == 2, timeout=60)
    await pilot.press("enter")  # the first: test:0
    await wait_for(pilot, lambda: not isinstance(app.screen, ScannerScreen))


async def scan_pages(pilot: Any, screen: Any, material: str, count: int) -> None:
    table = screen.query_one(ChecklistTable)
    for _ in range(count):
        before = table.pages.get(material, 0)
        await pilot.press("s")
        await wait_for(pilot, lambda b=before: table.pages.get(material, 0) == b + 1, timeout=60)


def first_copy_line(table: ChecklistTable) -> str:
    return next(line.material for line in table.lines if line.copies and line.need == "required")


async def test_two_pages_scanned_for_a_line_become_one_pdf_on_the_case() -> None:
    settings = signed_in_standalone()
    app = make_app(settings)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await to_checklist(pilot)
        table = screen.query_one(ChecklistTable)
        material = first_copy_line(table)
        await on_line(pilot, table, material)
        assert material not in screen.draft.received

        await pilot.press("s")  # no scanner yet: the chooser opens first, then it scans
        await choose_test_scanner(pilot)
        await wait_for(pilot, lambda: table.pages.get(material) == 1, timeout=60)
        saved = tomllib.loads(locations.config_file().read_text(encoding="utf-8"))
        assert saved["scanner_device"] == "test:0"
        assert app.services.settings.scanner_device == "test:0"
        await scan_pages(pilot, screen, material, 1)

        # The scanned line counts as a copy made at the counter, once, whatever its pages.
        assert screen.draft.received[material] == {"copies": 1, "made_at_counter": 1}
        row = table.get_row(material)
        assert row[3] == "2"  # the pages column

        await pilot.press("f5", "f7")  # every paper present, accept
        await open_queue(pilot)
        store = store_of(app)
        [case] = store.list_queue()
        [attachment] = case["attachments"]
        assert attachment["material"] == material and attachment["pages"] == 2
        assert case["received"][material]["pages"] == 2
        kinds = [row["op"]["kind"] for row in store.outbox_peek()]
        assert kinds[:3] == ["create", "transition", "attach"]  # then the receipt's print
        data = app.services.attachments.files.read(attachment["id"])
        assert len(PdfReader(io.BytesIO(data)).pages) == 2
        actions = [e["action"] for e in store.audit_entries() if e.get("case_id") == case["id"]]
        assert actions.count("scan.page") == 2 and "case.attach" in actions
        uploads = store.setting("sync:uploads")
        assert uploads[attachment["id"]]["sha256"] == attachment["sha256"]
        assert app.services.attachments.pages_of(case["id"]) == {}  # pages now in the PDF
        assert not any((app.services.data_dir / "scans" / "pages").glob("*.scan"))
        app.close_services()


async def test_view_and_remove_pages_and_the_scanner_chooser_from_the_checklist() -> None:
    settings = signed_in_standalone()
    app = make_app(settings)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await to_checklist(pilot)
        table = screen.query_one(ChecklistTable)
        await pilot.press("S")  # choose the scanner before anything else
        await choose_test_scanner(pilot)
        material = first_copy_line(table)
        await on_line(pilot, table, material)
        await scan_pages(pilot, screen, material, 2)

        await pilot.press("v")
        await wait_for(pilot, lambda: isinstance(app.screen, PreviewScreen))
        preview = app.screen
        await wait_for(pilot, lambda: preview.shown == preview.page_ids[0])
        assert isinstance(preview.query_one("#preview-picture"), BlockPicture)  # no tty here
        assert "▀" in screen_text(app)
        await pilot.press("right")
        await wait_for(pilot, lambda: preview.shown == preview.page_ids[1])
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is screen)
        views = [e for e in store_of(app).audit_entries() if e["action"] == "scan.view"]
        assert [v["detail"]["page"] for v in views] == preview.page_ids

        await pilot.press("x")
        await wait_for(pilot, lambda: table.pages.get(material) == 1)
        await pilot.press("x")
        await wait_for(pilot, lambda: not table.pages.get(material))
        assert material not in screen.draft.received  # the counter's copy is taken back
        removed = [e for e in store_of(app).audit_entries() if e["action"] == "scan.remove"]
        assert len(removed) == 2
        app.close_services()


async def test_files_from_a_document_cameras_folder_are_imported_and_deleted(
    tmp_path: Path,
) -> None:
    camera = tmp_path / "camera"
    camera.mkdir()
    Image.effect_mandelbrot((600, 800), (-2, -1.5, 1, 1.5), 60).convert("RGB").save(
        camera / "IMG_0002.jpg", quality=85
    )
    Image.linear_gradient("L").resize((400, 500)).save(camera / "IMG_0010.png")
    (camera / "IMG_0011.jpg").write_bytes(b"\xff\xd8\xff\xe0 not really a photo")
    (camera / "notes.txt").write_text("不是图片", encoding="utf-8")
    settings = signed_in_standalone()
    app = make_app(settings)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await to_checklist(pilot)
        table = screen.query_one(ChecklistTable)
        material = first_copy_line(table)
        await on_line(pilot, table, material)
        await pilot.press("i")
        await wait_for(pilot, lambda: isinstance(app.screen, ImportFolderModal))
        await paste_text(pilot, str(camera))
        await pilot.press("enter")
        await wait_for(pilot, lambda: table.pages.get(material) == 2, timeout=60)
        left = sorted(p.name for p in camera.iterdir())
        assert left == ["IMG_0011.jpg", "notes.txt"]  # the refused stay, with their reason
        [notice] = [n for n in app._notifications if "IMG_0011.jpg" in n.message]
        assert "notes.txt" in notice.message
        pages = app.services.attachments.pages_of(screen.draft.id)[material]
        assert [p.content_type for p in pages] == ["image/jpeg", "image/png"]
        assert [p.source for p in pages] == ["import", "import"]
        assert screen.draft.received[material]["made_at_counter"] == 1
        saved = tomllib.loads(locations.config_file().read_text(encoding="utf-8"))
        assert saved["scan_folder"] == str(camera)
        app.close_services()
