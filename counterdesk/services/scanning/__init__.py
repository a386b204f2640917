"""Scanning papers at the counter: SANE's ``scanimage`` (one call, one page), files from a
document camera's folder, each page checked (type, size, decodable, not blank), and the
pages of one material combined into one PDF.

Nothing here writes a page to disk: ``scanimage`` writes to a pipe read into memory, and
what is kept is sealed by ``services/attachments.py``. Every refusal is a ``ScanProblem``
whose message is in the officer's words.
"""

from __future__ import annotations

from counterdesk.services.scanning.errors import ScanProblem
from counterdesk.services.scanning.pages import (
    MAX_MATERIAL_BYTES,
    MAX_PAGE_BYTES,
    MAX_PAGES_PER_MATERIAL,
    CheckedPage,
    check_page,
)
from counterdesk.services.scanning.sane import ScannerDevice, list_devices, scan_page

__all__ = [
    "MAX_MATERIAL_BYTES",
    "MAX_PAGES_PER_MATERIAL",
    "MAX_PAGE_BYTES",
    "CheckedPage",
    "ScanProblem",
    "ScannerDevice",
    "check_page",
    "list_devices",
    "scan_page",
]
