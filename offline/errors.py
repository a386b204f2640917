"""What can go wrong in the offline store, said so that a caller can show it as is.

Every message names the file or folder concerned and what to do, because the person
reading it is an officer or an administrator at a counter, not a developer with a
traceback.
"""

from __future__ import annotations

from pathlib import Path


class StoreError(Exception):
    """Base of every error the store raises on purpose."""


class StoreLocked(StoreError):
    """Another process owns the store folder."""

    def __init__(self, folder: Path, pid: int | None) -> None:
        who = f"process {pid}" if pid else "another process"
        super().__init__(
            f"the local store in {folder} is already open by {who}: "
            "close the other counterdesk window first"
        )
        self.folder = folder
        self.pid = pid


class StoreKeyError(StoreError):
    """The data key given does not open this store."""


class StoreClosed(StoreError):
    """The store was closed, or stopped writing after a failure it could not undo."""


class StoreWriteError(StoreError):
    """A write could not be made durable; nothing of it was acknowledged."""


class DamagedFile(StoreError):
    """A file failed its integrity check (bad structure or failed authentication)."""

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(f"{path}: damaged ({reason})")
        self.path = path
        self.reason = reason


class StoreCorrupted(StoreError):
    """Damage the store could not come back from on its own."""


class AuditChainBroken(StoreError):
    """An audit entry does not match the hash chain: the trail was altered."""


class RecoveryError(StoreError):
    """The recovery file is missing or damaged, or the passphrase does not open it."""
