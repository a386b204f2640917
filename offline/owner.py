"""One owner per store folder: a second process gets "already open by process N".

The operating system's file lock (``filelock``) is released when its holder dies, even by
SIGKILL, so a crashed counter never leaves the store locked. The holder's process id is
written beside it, in a file of its own because a contender must not touch the lock file.
"""

from __future__ import annotations

import os
from pathlib import Path

from filelock import FileLock, Timeout

from offline.durable import write_atomic
from offline.errors import StoreLocked

LOCK_FILE = "store.lock"
OWNER_FILE = "store.owner"


class OwnerLock:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._lock = FileLock(folder / LOCK_FILE, timeout=0, thread_local=False)

    def acquire(self) -> None:
        try:
            self._lock.acquire()
        except Timeout:
            raise StoreLocked(self.folder, self._owner_pid()) from None
        write_atomic(self.folder / OWNER_FILE, f"{os.getpid()}\n".encode("ascii"), mode=0o644)

    def release(self) -> None:
        if self._lock.is_locked:
            self._lock.release()

    def _owner_pid(self) -> int | None:
        try:
            return int((self.folder / OWNER_FILE).read_text(encoding="ascii").strip())
        except (OSError, ValueError):
            return None
