"""Files from a folder, as a document camera (高拍仪) leaves them: PDF, JPEG and PNG, in name
order (cameras number their shots), each read whole and checked like a scan.

The camera writes them in clear; once ``services/attachments.py`` has sealed them they are
deleted from the folder (``remove_imported``) so that no citizen's papers stay there.
Files being written (hidden, ``.part``, ``.tmp``) are left alone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from counterdesk.i18n import _
from counterdesk.services.scanning.errors import ScanProblem
from counterdesk.services.scanning.pages import MAX_PAGE_BYTES, CheckedPage, check_page, megabytes

MAX_FILES = 50  # in one import
IN_PROGRESS = (".part", ".tmp", ".crdownload", ".partial")


@dataclass(frozen=True)
class FolderFile:
    path: Path
    data: bytes
    page: CheckedPage


@dataclass(frozen=True)
class FolderContents:
    files: list[FolderFile]  # good files, in order
    refused: list[tuple[str, str]]  # file name, reason


def _natural(name: str) -> list[object]:
    """IMG_9.jpg before IMG_10.jpg."""
    return [int(part) if part.isdigit() else part.lower() for part in re.split(r"(\d+)", name)]


def read_folder(folder: Path) -> FolderContents:
    """Every file of ``folder`` (not its subfolders), checked. Raises ScanProblem when
    there is nothing to import at all. Blocking."""
    folder = Path(folder).expanduser()
    if not str(folder).strip() or not folder.is_dir():
        raise ScanProblem(_("There is no folder {folder}.").format(folder=folder))
    try:
        entries = sorted(
            (p for p in folder.iterdir() if p.is_file() and _finished(p.name)),
            key=lambda p: _natural(p.name),
        )
    except OSError as exc:
        raise ScanProblem(
            _("The folder {folder} cannot be read: {reason}").format(
                folder=folder, reason=exc.strerror or exc
            )
        ) from exc
    if not entries:
        raise ScanProblem(_("There are no files in {folder} to import.").format(folder=folder))
    if len(entries) > MAX_FILES:
        raise ScanProblem(
            _("{folder} holds {count} files; import at most {limit} at a time.").format(
                folder=folder, count=len(entries), limit=MAX_FILES
            )
        )
    files: list[FolderFile] = []
    refused: list[tuple[str, str]] = []
    for path in entries:
        try:
            files.append(_read_one(path))
        except ScanProblem as exc:
            refused.append((path.name, str(exc)))
    return FolderContents(files, refused)


def _finished(name: str) -> bool:
    return not name.startswith((".", "~")) and not name.lower().endswith(IN_PROGRESS)


def _read_one(path: Path) -> FolderFile:
    try:
        size = path.stat().st_size
        if size > MAX_PAGE_BYTES:
            raise ScanProblem(
                _("{what} is {size} MB; a page may be at most {limit} MB.").format(
                    what=path.name, size=megabytes(size), limit=megabytes(MAX_PAGE_BYTES)
                )
            )
        data = path.read_bytes()
    except OSError as exc:
        raise ScanProblem(
            _("{what} cannot be read: {reason}").format(what=path.name, reason=exc.strerror or exc)
        ) from exc
    return FolderFile(path, data, check_page(data, path.name))


def remove_imported(paths: list[Path]) -> list[str]:
    """Delete files now sealed in the store; the names that could not be deleted."""
    left = []
    for path in paths:
        try:
            path.unlink(missing_ok=True)
        except OSError:
            left.append(path.name)
    return left
