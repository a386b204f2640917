"""Logging to the platformdirs log folder, rotated, with personal data and secrets masked.

Code should never log a full ID number, phone number, password or token in the first
place; the redacting formatter is the second line of defence, applied to every record.
"""

from __future__ import annotations

import logging
import re
from logging.handlers import RotatingFileHandler

from counterdesk import locations

LOG_FILE_NAME = "counterdesk.log"
MAX_BYTES = 1_000_000
BACKUPS = 5

_REDACTIONS: list[tuple[re.Pattern[str], str | None]] = [
    # Resident ID numbers: keep the first 6 and last 4, as on paper.
    (
        re.compile(r"(?<![0-9A-Za-z])([1-9][0-9]{5})[0-9]{8}([0-9]{3}[0-9Xx])(?![0-9A-Za-z])"),
        r"\1********\2",
    ),
    # Mobile numbers, with or without +86.
    (re.compile(r"(?<![0-9])((?:\+?86)?1[3-9][0-9])[0-9]{4}([0-9]{4})(?![0-9])"), r"\1****\2"),
    # Landlines: area code kept.
    (re.compile(r"(?<![0-9])(0[0-9]{2,3})[- ]?[0-9]{3,4}([0-9]{4})(?![0-9])"), r"\1-****\2"),
    # Bearer tokens, JWTs and key=value secrets.
    (re.compile(r"(?i)(bearer\s+)[A-Za-z0-9._~+/=-]+"), r"\1[redacted]"),
    (re.compile(r"eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*"), "[redacted-jwt]"),
    (
        re.compile(
            r"(?i)((?:password|passphrase|token|secret|refresh_token|access_token)[\"']?\s*[:=]\s*[\"']?)[^\s\"',}]+"
        ),
        r"\1[redacted]",
    ),
]


def redact(text: str) -> str:
    for pattern, replacement in _REDACTIONS:
        text = pattern.sub(replacement or "", text)
    return text


class RedactingFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record))


def setup_logging(level: str = "INFO") -> RotatingFileHandler:
    """Send counterdesk's logs to the rotated file; returns the handler (tests close it)."""
    path = locations.log_dir() / LOG_FILE_NAME
    handler = RotatingFileHandler(path, maxBytes=MAX_BYTES, backupCount=BACKUPS, encoding="utf-8")
    handler.setFormatter(RedactingFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    for old in [h for h in root.handlers if getattr(h, "counterdesk", False)]:
        root.removeHandler(old)
        old.close()
    handler.counterdesk = True  # type: ignore[attr-defined]
    root.addHandler(handler)
    root.setLevel(level.upper())
    logging.captureWarnings(True)
    return handler
