"""Scanned papers kept on the counter: sealed files beside the store, and their upload queue.

A citizen's papers must never lie in clear on the counter's disk, so every scan (a page
waiting for its case, or a material's combined file waiting for the server) is sealed with
the store's data key, cipher and identity, under a name that binds it to what it is
(``page|<id>``, ``scan|<id>``): a file renamed or copied from another store fails to open.
The bytes are too big for the journal, so they live in files of their own, written
atomically; what refers to them (page lists, the upload queue) is in the store's journaled
settings, written in the same batch as the case that uses them.

The upload queue (setting ``sync:uploads``) is read by the sync engine
(``offline.sync.uploads``); it lives here, apart from the engine, so that a standalone
counter can queue files without loading the network code.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import threading
import uuid
from pathlib import Path
from typing import Any

from offline.durable import write_atomic
from offline.sealing import Sealer
from offline.store import Store

UPLOADS = "sync:uploads"  # local id -> upload spec
SUFFIX = ".scan"


def store_lock(store: Store) -> threading.RLock:
    """The store's own (reentrant) lock, to make read-then-write steps atomic against other
    writers. The store serialises each call with it; holding it across calls makes a
    read of a setting and the batch that rewrites it one step."""
    return store._lock  # same package


class ScanFolder:
    """Sealed files in ``folder`` with the store's key and identity; ``kind`` names what
    they hold in the sealing identity (``scan`` for uploads, ``page`` for pages)."""

    def __init__(self, folder: Path, key: bytes, store: Store, kind: str = "scan") -> None:
        self.folder = Path(folder)
        self.kind = kind
        self._sealer = Sealer(store.cipher, key, store.store_id)

    def _path(self, local_id: str) -> Path:
        if not local_id or "/" in local_id or local_id.startswith("."):
            raise ValueError(f"not a scan id: {local_id!r}")
        return self.folder / f"{local_id}{SUFFIX}"

    def add(self, data: bytes, local_id: str | None = None) -> str:
        """Seal ``data`` into a file of its own (durable when this returns); its id."""
        self.folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        local_id = local_id or str(uuid.uuid4())
        sealed = self._sealer.seal_file(data, f"{self.kind}|{local_id}")
        write_atomic(self._path(local_id), sealed)
        return local_id

    def read(self, local_id: str) -> bytes:
        path = self._path(local_id)
        return self._sealer.unseal_file(path.read_bytes(), f"{self.kind}|{local_id}", path)

    def exists(self, local_id: str) -> bool:
        return self._path(local_id).exists()

    def discard(self, local_id: str) -> None:
        self._path(local_id).unlink(missing_ok=True)

    def ids(self) -> set[str]:
        """Every file's id (orphans included), for a sweep."""
        if not self.folder.is_dir():
            return set()
        return {p.name.removesuffix(SUFFIX) for p in self.folder.glob(f"*{SUFFIX}")}


def upload_spec(
    *,
    case_id: str,
    material: str,
    content_type: str,
    data: bytes,
    pages: int,
    device_time: dt.datetime,
    attachment_id: str,
) -> dict[str, Any]:
    """What the engine needs to upload a file; ``attachment_id`` is the id the file gets
    on the server too (chosen here, so that declaring it twice is harmless)."""
    return {
        "case_id": case_id,
        "material": material,
        "content_type": content_type,
        "size": len(data),
        "sha256": hashlib.sha256(data).hexdigest(),
        "pages": pages,
        "device_time": device_time.isoformat(),
        "server_id": attachment_id,
        "declared": False,
        "restarts": 0,
        "refused": "",
    }


def pending_uploads(store: Store) -> dict[str, dict[str, Any]]:
    found = store.setting(UPLOADS, {})
    return found if isinstance(found, dict) else {}


def uploads_with(store: Store, additions: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """The upload queue with ``additions``, for a batch; hold ``store_lock`` from this call
    until the batch is saved, or another writer's change could be lost."""
    return {**pending_uploads(store), **additions}
