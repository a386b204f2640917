"""Writes that are on disk when they return.

A write is acknowledged only once the bytes and the name pointing at them survive a power
cut: the data is fsynced before a rename makes it visible, and the directory is fsynced
after, since the rename itself lives in the directory. Temporary files carry a name the
store recognises so that those a crash leaves behind are removed at the next start.
"""

from __future__ import annotations

import os
import secrets
import shutil
import sys
from pathlib import Path

TEMP_SUFFIX = ".tmp"
_BINARY = getattr(os, "O_BINARY", 0)  # Windows would otherwise translate newlines


def fsync_file(fd: int) -> None:
    """Flush one open file to the disk itself."""
    os.fsync(fd)
    if sys.platform == "darwin":  # macOS fsync stops at the drive's cache
        import fcntl

        fcntl.fcntl(fd, fcntl.F_FULLFSYNC)


def fsync_directory(folder: Path) -> None:
    """Make renames, creations and removals in a folder durable."""
    if os.name == "nt":  # a folder cannot be opened there; NTFS journals its renames
        return
    fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        view = view[written:]


def temp_path_for(path: Path) -> Path:
    return path.with_name(f".{path.name}.{secrets.token_hex(4)}{TEMP_SUFFIX}")


def write_atomic(path: Path, data: bytes, *, mode: int = 0o600, durable: bool = True) -> None:
    """Replace ``path`` with ``data``: readers and crashes see the old file or the new one.
    ``durable=False`` skips the flushes to the disk, for a note that may be lost in a crash
    (a reader still never sees half of it)."""
    temp = temp_path_for(path)
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _BINARY, mode)
    try:
        try:
            write_all(fd, data)
            if durable:
                fsync_file(fd)
        finally:
            os.close(fd)
        os.replace(temp, path)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    if durable:
        fsync_directory(path.parent)


def copy_durably(source: Path, target: Path) -> None:
    """Copy a file so that the copy is complete on disk before it carries its name."""
    temp = temp_path_for(target)
    try:
        shutil.copyfile(source, temp)
        fd = os.open(temp, os.O_RDONLY | _BINARY)
        try:
            fsync_file(fd)
        finally:
            os.close(fd)
        os.replace(temp, target)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    fsync_directory(target.parent)


def is_temp_name(name: str) -> bool:
    return name.startswith(".") and name.endswith(TEMP_SUFFIX)


def remove_orphan_temps(folder: Path) -> list[str]:
    """Delete the temporary files an interrupted write left; they were never acknowledged.

    Call only while holding the store's lock: another process's live temp files would
    otherwise be removed under it.
    """
    removed = []
    for entry in folder.iterdir():
        if entry.is_file() and is_temp_name(entry.name):
            entry.unlink(missing_ok=True)
            removed.append(entry.name)
    if removed:
        fsync_directory(folder)
    return removed
