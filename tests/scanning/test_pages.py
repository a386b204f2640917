"""What is refused before it is kept, with the reason: empty, not an image, damaged,
truncated, too small, too large, a damaged or locked PDF, and a material over its limits.
Combining keeps every page, images and imported PDFs alike, in order."""

from __future__ import annotations

import io

import pytest
from PIL import Image
from pypdf import PdfReader, PdfWriter

from counterdesk.services.scanning import (
    MAX_MATERIAL_BYTES,
    MAX_PAGE_BYTES,
    MAX_PAGES_PER_MATERIAL,
    ScanProblem,
    check_page,
    scan_page,
)
from counterdesk.services.scanning.combine import combine_pages
from counterdesk.services.scanning.pages import CheckedPage, check_material_room

pytestmark = pytest.mark.usefixtures("english")


def picture(kind: str = "PNG", size: tuple[int, int] = (400, 500)) -> bytes:
    out = io.BytesIO()
    Image.effect_mandelbrot(size, (-2, -1.5, 1, 1.5), 40).convert("RGB").save(out, kind)
    return out.getvalue()


def pdf_of(pages: int, password: str = "") -> bytes:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(595, 842)
    if password:
        writer.encrypt(password)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty"),
        ("身份证复印件".encode(), "not a PDF, JPEG or PNG"),
        (b"GIF89a" + bytes(200), "not a PDF, JPEG or PNG"),
        (b"\x89PNG\r\n\x1a\n" + bytes(300), "damaged"),
        (b"\xff\xd8\xff\xe0" + bytes(300), "damaged"),
        (b"%PDF-1.7\n garbage", "damaged PDF"),
    ],
)
def test_what_is_not_a_readable_page_is_refused(data: bytes, reason: str) -> None:
    with pytest.raises(ScanProblem, match=reason):
        check_page(data, "photo.jpg")


def test_a_scan_cut_short_is_refused() -> None:
    page = scan_page("test:0")
    with pytest.raises(ScanProblem, match="damaged"):
        check_page(page[: len(page) // 2], "The scan")


def test_size_and_shape_limits() -> None:
    with pytest.raises(ScanProblem, match="too small"):
        check_page(picture(size=(40, 60)), "icon.png")
    with pytest.raises(ScanProblem, match="at most 15.0 MB"):
        check_page(b"\x89PNG\r\n\x1a\n" + bytes(MAX_PAGE_BYTES), "huge.png")
    page = CheckedPage("image/png", 1)
    with pytest.raises(ScanProblem, match=f"at most {MAX_PAGES_PER_MATERIAL} pages"):
        check_material_room(MAX_PAGES_PER_MATERIAL, 0, page, 1000)
    with pytest.raises(ScanProblem, match="18.0 MB together"):
        check_material_room(3, MAX_MATERIAL_BYTES - 10, page, 1000)
    check_material_room(3, 1000, page, 1000)  # room enough


def test_pdfs_are_read_for_their_pages_and_locked_ones_refused() -> None:
    assert check_page(pdf_of(3), "contract.pdf") == CheckedPage("application/pdf", 3)
    with pytest.raises(ScanProblem, match="password"):
        check_page(pdf_of(1, password="secret-1"), "locked.pdf")
    assert check_page(picture("JPEG"), "photo.jpg").content_type == "image/jpeg"


def test_a_materials_pages_become_one_pdf_in_order() -> None:
    parts = [
        ("image/png", scan_page("test:0")),
        ("application/pdf", pdf_of(2)),
        ("image/jpeg", picture("JPEG")),
    ]
    reader = PdfReader(io.BytesIO(combine_pages(parts, title="id_card")))
    assert len(reader.pages) == 4
    assert reader.metadata.title == "id_card"
    scanned = reader.pages[0].mediabox
    assert round(float(scanned.width) / 72 * 25.4) == 80  # the page at its own size (mm)
    assert round(float(reader.pages[1].mediabox.width)) == 595
