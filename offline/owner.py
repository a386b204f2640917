"""One owner per store folder: a second process gets "already open by process N".

The operating system's file lock is released when its holder dies, even by SIGKILL, so a
crashed counter never leaves the store locked. The holder's process id is written beside
it, in a file of its own because a contender must not touch the lock file.

On POSIX the lock is ``flock`` itself (what ``filelock`` would use there, without its
import at every start); elsewhere ``filelock`` provides it.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Protocol

from offline.durable import write_atomic
from offline.errors import StoreError, StoreLocked

LOCK_FILE = "store.lock"
OWNER_FILE = "store.owner"


class _Lock(Protocol):
    def take(self) -> bool: ...  # False: another holder has it
    def drop(self) -> None: ...


class _Flock:
    def __init__(self, path: Path) -> None:
        self.path = path
        self._fd: int | None = None

    def take(self) -> bool:
        import fcntl

        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            return False
        except OSError as exc:  # e.g. a network share without locks
            os.close(fd)
            raise StoreError(
                f"{self.path.parent}: this disk cannot lock files ({exc.strerror or exc}); "
                "keep the counter's data folder on a local disk"
            ) from exc
        self._fd = fd
        return True

    def drop(self) -> None:
        if self._fd is not None:
            fd, self._fd = self._fd, None
            os.close(fd)  # closing the descriptor releases the lock


class _PortableLock:
    def __init__(self, path: Path) -> None:
        from filelock import FileLock

        self._lock = FileLock(path, timeout=0, thread_local=False)

    def take(self) -> bool:
        from filelock import Timeout

        try:
            self._lock.acquire()
        except Timeout:
            return False
        return True

    def drop(self) -> None:
        if self._lock.is_locked:
            self._lock.release()


class OwnerLock:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        path = folder / LOCK_FILE
        self._lock: _Lock = _Flock(path) if os.name == "posix" else _PortableLock(path)

    def acquire(self) -> None:
        if not self._lock.take():
            raise StoreLocked(self.folder, self._owner_pid())
        # Only to name the holder in the error another process gets: not worth a flush to
        # the disk at every start (after a crash the lock is free and the note stale anyway).
        pid = f"{os.getpid()}\n".encode("ascii")
        write_atomic(self.folder / OWNER_FILE, pid, mode=0o644, durable=False)

    def release(self) -> None:
        self._lock.drop()

    def _owner_pid(self) -> int | None:
        try:
            return int((self.folder / OWNER_FILE).read_text(encoding="ascii").strip())
        except (OSError, ValueError):
            return None
