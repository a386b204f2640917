"""Setting damaged files aside instead of deleting them.

A damaged file may still hold the only copy of unsynced work that a specialist could get
back, so the store never deletes one: it moves (or copies) it into ``damaged/`` with the
time in its name and carries on from a good generation.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from offline.durable import copy_durably, fsync_directory

DAMAGED_FOLDER = "damaged"


def _target(path: Path) -> Path:
    folder = path.parent / DAMAGED_FOLDER
    folder.mkdir(exist_ok=True)
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%fZ")
    target = folder / f"{path.name}.{stamp}"
    n = 1
    while target.exists():
        n += 1
        target = folder / f"{path.name}.{stamp}-{n}"
    return target


def move_aside(path: Path) -> Path:
    """Move a damaged file into ``damaged/``; returns where it went."""
    target = _target(path)
    os.replace(path, target)
    fsync_directory(target.parent)
    fsync_directory(path.parent)
    return target


def copy_aside(path: Path) -> Path:
    """Keep a copy of a file the store goes on using in part (a journal cut short)."""
    target = _target(path)
    copy_durably(path, target)
    return target


def relative(path: Path, folder: Path) -> str:
    try:
        return str(path.relative_to(folder))
    except ValueError:
        return str(path)
