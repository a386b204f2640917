"""Is this a page the back office can read? Type by the file's own first bytes (never by
its name), size limits, and the whole file decoded: an empty scan, a file that is not a
PDF, JPEG or PNG, a truncated or damaged one, a blank page (one colour all over: face
down, or the lid open) are refused with the reason.

Limits: a page file at most ``MAX_PAGE_BYTES``; the pages of one material at most
``MAX_MATERIAL_BYTES`` together (the server's default limit per file is 20 MiB, and the
combined PDF is about the size of its pages) and ``MAX_PAGES_PER_MATERIAL``.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from counterdesk.i18n import _
from counterdesk.services.scanning.errors import ScanProblem

MiB = 1 << 20
MAX_PAGE_BYTES = 15 * MiB
MAX_MATERIAL_BYTES = 18 * MiB  # leaves room under the server's 20 MiB for the PDF itself
MAX_PAGES_PER_MATERIAL = 50
MIN_SIDE_PX = 100  # smaller is a thumbnail or an icon, not a scanned page
MAX_PIXELS = 60_000_000  # an A3 page at 600 dpi is 70 MP in grey; 60 MP keeps memory sane
BLANK_STDDEV = 1.5  # grey-level spread below which a page is one colour all over

SIGNATURES = {
    "image/png": b"\x89PNG\r\n\x1a\n",
    "image/jpeg": b"\xff\xd8\xff",
    "application/pdf": b"%PDF-",
}


@dataclass(frozen=True)
class CheckedPage:
    content_type: str  # image/png, image/jpeg or application/pdf
    pages: int  # 1 for an image; a PDF's page count
    width: int = 0  # pixels (images)
    height: int = 0


def megabytes(size: int) -> str:
    return f"{size / MiB:.1f}"


def content_type_of(data: bytes) -> str | None:
    for content_type, signature in SIGNATURES.items():
        if data.startswith(signature):
            return content_type
    return None


def check_page(data: bytes, what: str) -> CheckedPage:
    """Check one scanned page or imported file; ``what`` names it in the message ("the
    scan", "photo_0012.jpg"). Raises ScanProblem with the reason."""
    if not data:
        raise ScanProblem(_("{what} is empty (0 bytes): there is nothing on it.").format(what=what))
    if len(data) > MAX_PAGE_BYTES:
        raise ScanProblem(
            _("{what} is {size} MB; a page may be at most {limit} MB.").format(
                what=what, size=megabytes(len(data)), limit=megabytes(MAX_PAGE_BYTES)
            )
        )
    content_type = content_type_of(data)
    if content_type is None:
        raise ScanProblem(
            _("{what} is not a PDF, JPEG or PNG file: only these can be attached.").format(
                what=what
            )
        )
    if content_type == "application/pdf":
        return CheckedPage(content_type, _pdf_pages(data, what))
    return _check_image(data, content_type, what)


def _check_image(data: bytes, content_type: str, what: str) -> CheckedPage:
    from PIL import Image, ImageStat, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as image:
            width, height = image.size
            if width * height > MAX_PIXELS:
                raise ScanProblem(
                    _(
                        "{what} is too large ({width}×{height} pixels): scan at a lower resolution."
                    ).format(what=what, width=width, height=height)
                )
            image.load()  # decodes every byte: a truncated or damaged file fails here
            grey = image.convert("L")
    except ScanProblem:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise ScanProblem(
            _("{what} is damaged and cannot be read as an image ({reason}).").format(
                what=what, reason=str(exc) or type(exc).__name__
            )
        ) from exc
    if width < MIN_SIDE_PX or height < MIN_SIDE_PX:
        raise ScanProblem(
            _("{what} is only {width}×{height} pixels: too small to be a page.").format(
                what=what, width=width, height=height
            )
        )
    if ImageStat.Stat(grey).stddev[0] < BLANK_STDDEV:
        raise ScanProblem(
            _(
                "{what} is a blank page (one colour all over): is the paper face down, or "
                "the lid open?"
            ).format(what=what)
        )
    return CheckedPage(content_type, 1, width, height)


def _pdf_pages(data: bytes, what: str) -> int:
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            raise ScanProblem(
                _("{what} is protected by a password: attach an unprotected copy.").format(
                    what=what
                )
            )
        pages = len(reader.pages)
        for page in reader.pages:
            page.mediabox  # noqa: B018 (each page must at least have a size)
    except ScanProblem:
        raise
    except (PyPdfError, OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise ScanProblem(
            _("{what} is a damaged PDF and cannot be read ({reason}).").format(
                what=what, reason=str(exc) or type(exc).__name__
            )
        ) from exc
    if pages == 0:
        raise ScanProblem(_("{what} is a PDF without pages.").format(what=what))
    return pages


def check_material_room(pages_so_far: int, bytes_so_far: int, page: CheckedPage, size: int) -> None:
    """A material's pages must fit into one file the server takes."""
    if pages_so_far + page.pages > MAX_PAGES_PER_MATERIAL:
        raise ScanProblem(
            _("A material may have at most {limit} pages; this one has {pages}.").format(
                limit=MAX_PAGES_PER_MATERIAL, pages=pages_so_far
            )
        )
    if bytes_so_far + size > MAX_MATERIAL_BYTES:
        raise ScanProblem(
            _(
                "The pages of one material may be at most {limit} MB together; this page "
                "would make {size} MB."
            ).format(limit=megabytes(MAX_MATERIAL_BYTES), size=megabytes(bytes_so_far + size))
        )
