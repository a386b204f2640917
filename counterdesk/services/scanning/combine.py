"""The pages of one material as one PDF: what the back office opens.

Scanned and photographed pages (PNG, JPEG) become PDF pages at their own size (from the
resolution the scanner wrote into the file, else 200 dpi), JPEG embedded as it is; PDF
files imported from a folder keep their pages, in order. All in memory. reportlab draws
the image pages (as in ``forms/``); pypdf joins imported PDFs in.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

from counterdesk.i18n import _
from counterdesk.services.scanning.errors import ScanProblem

DEFAULT_DPI = 200.0
PDF = "application/pdf"


def combine_pages(pages: Sequence[tuple[str, bytes]], title: str = "") -> bytes:
    """One PDF of ``pages`` ((content type, bytes) in order), with ``title`` (no personal
    data: the material's code) in its information."""
    if not pages:
        raise ScanProblem(_("There are no pages to put together."))
    parts: list[bytes] = []
    images: list[bytes] = []
    for content_type, data in pages:
        if content_type == PDF:
            if images:
                parts.append(_images_pdf(images, title))
                images = []
            parts.append(data)
        else:
            images.append(data)
    if images:
        parts.append(_images_pdf(images, title))
    return parts[0] if len(parts) == 1 else _join(parts, title)


def _images_pdf(images: Sequence[bytes], title: str) -> bytes:
    from PIL import Image
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    pdf = canvas.Canvas(out, pageCompression=1)
    pdf.setTitle(title)
    pdf.setCreator("counterdesk")
    for data in images:
        with Image.open(io.BytesIO(data)) as image:
            width_px, height_px = image.size
            dpi = _dpi(image.info.get("dpi"))
            if image.format == "JPEG" and image.mode in ("RGB", "L", "CMYK"):
                reader = ImageReader(io.BytesIO(data))  # embedded as it is (DCT)
            else:
                image.load()
                flat = image.convert("RGB") if image.mode not in ("RGB", "L") else image
                reader = ImageReader(flat)
            width, height = width_px / dpi * 72, height_px / dpi * 72
            pdf.setPageSize((width, height))
            pdf.drawImage(reader, 0, 0, width, height)
            pdf.showPage()
    pdf.save()
    return out.getvalue()


def _dpi(found: object) -> float:
    """The resolution a scanner wrote into the file; PNG stores it rounded (e.g. 199.9)."""
    if isinstance(found, tuple) and found and isinstance(found[0], int | float):
        value = float(found[0])
        if 30 <= value <= 2400:
            return round(value)
    return DEFAULT_DPI


def _join(parts: Sequence[bytes], title: str) -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for part in parts:
        writer.append(PdfReader(io.BytesIO(part), strict=False))
    writer.add_metadata({"/Title": title, "/Creator": "counterdesk"})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
