"""Scans travel with the case: kept sealed on the counter, uploaded resumably.

A scan is queued with its case, material and type; its bytes are sealed with the store's
key in a folder the caller names (personal data never lies on disk in clear), and its
upload state is a record in the store. Uploading follows the server's protocol: declare
the file (case, material, type, size, SHA-256), then send chunks at the offset the server
says it holds; after a cut, ask the server how far it got and go on from there. The server
checks the whole file against its SHA-256 and attaches it to the case itself, so the case
then comes back through the change feed. A file the server refuses (type, size, no such
case once the case is known to exist) is kept, with the reason, for the officer.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import uuid
from pathlib import Path
from typing import Any

from offline.durable import write_atomic
from offline.errors import DamagedFile
from offline.sealing import Sealer
from offline.store import Store
from offline.sync.context import SyncContext
from offline.sync.errors import ServerTrouble

log = logging.getLogger(__name__)

MAX_RESTARTS = 2  # a file whose SHA-256 keeps failing on the server is damaged here
REFUSED = "扫描件上传被拒绝 / the scan for case {case} was refused: {reason}"


class ScanFolder:
    """Sealed scan files in ``folder``, with the store's key and identity."""

    def __init__(self, folder: Path, key: bytes, store: Store) -> None:
        self.folder = Path(folder)
        self._sealer = Sealer(store.cipher, key, store.store_id)

    def _path(self, local_id: str) -> Path:
        return self.folder / f"{local_id}.scan"

    def add(self, data: bytes) -> str:
        self.folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        local_id = str(uuid.uuid4())
        write_atomic(self._path(local_id), self._sealer.seal_file(data, f"scan|{local_id}"))
        return local_id

    def read(self, local_id: str) -> bytes:
        path = self._path(local_id)
        return self._sealer.unseal_file(path.read_bytes(), f"scan|{local_id}", path)

    def discard(self, local_id: str) -> None:
        self._path(local_id).unlink(missing_ok=True)


def queue_scan(
    ctx: SyncContext,
    scans: ScanFolder,
    *,
    case_id: str,
    material: str,
    content_type: str,
    data: bytes,
    pages: int = 1,
    device_time: dt.datetime | None = None,
) -> str:
    """Keep a scan for upload; returns its local id. Durable when it returns."""
    local_id = scans.add(data)
    ctx.book.put_upload(
        local_id,
        {
            "case_id": case_id,
            "material": material,
            "content_type": content_type,
            "size": len(data),
            "sha256": hashlib.sha256(data).hexdigest(),
            "pages": pages,
            "device_time": (device_time or ctx.now()).isoformat(),
            "server_id": "",
            "restarts": 0,
            "refused": "",
        },
    )
    return local_id


class Uploader:
    def __init__(self, ctx: SyncContext, scans: ScanFolder | None) -> None:
        self.ctx = ctx
        self.scans = scans

    def run(self) -> int:
        """Upload what can be uploaded now; returns how many files completed."""
        if self.scans is None:
            return 0
        done = 0
        for local_id, spec in self.ctx.book.uploads().items():
            if spec.get("refused"):
                continue
            if self._upload(local_id, dict(spec)):
                done += 1
        return done

    def _upload(self, local_id: str, spec: dict[str, Any]) -> bool:
        ctx, scans = self.ctx, self.scans
        assert scans is not None
        try:
            data = scans.read(local_id)
        except (OSError, DamagedFile) as exc:
            self._refuse(local_id, spec, f"the scan kept on this counter is unreadable: {exc}")
            return False
        if not spec["server_id"]:
            answer = ctx.transport.call(
                "POST",
                "/attachments",
                body={
                    k: spec[k]
                    for k in ("case_id", "material", "content_type", "size", "sha256", "pages")
                },
            )
            if answer.status_code == 404:
                return False  # the case has not reached the server yet
            if answer.status_code in (403, 413, 415, 422):
                self._refuse(local_id, spec, ctx.transport.error_text(answer))
                return False
            if answer.status_code != 201:
                raise ServerTrouble(f"declaring an upload answered {answer.status_code}")
            spec["server_id"] = str(ctx.transport.expect_json(answer, "id")["id"])
            ctx.book.put_upload(local_id, spec)
        path = f"/attachments/{spec['server_id']}"
        status = ctx.transport.call("GET", path)
        if status.status_code != 200:
            raise ServerTrouble(f"upload status answered {status.status_code}")
        state = ctx.transport.expect_json(status, "received", "complete")
        offset = int(state["received"])
        complete = bool(state["complete"])
        while not complete:
            chunk = data[offset : offset + ctx.config.chunk_bytes]
            answer = ctx.transport.call(
                "PUT",
                f"{path}/content",
                content=chunk,
                params={"offset": offset},
                headers={"Content-Type": "application/octet-stream"},
            )
            if answer.status_code == 200:
                state = ctx.transport.expect_json(answer, "received", "complete")
                offset, complete = int(state["received"]), bool(state["complete"])
            elif answer.status_code == 409:
                detail = ctx.transport.expect_json(answer, "detail")["detail"] or {}
                offset = int(detail.get("received", offset))  # resume where the server is
                complete = offset >= spec["size"]  # it holds the whole file already
            elif answer.status_code == 422 and offset + len(chunk) == spec["size"]:
                spec["restarts"] = int(spec["restarts"]) + 1  # SHA-256 mismatch: from 0
                if spec["restarts"] > MAX_RESTARTS:
                    self._refuse(local_id, spec, ctx.transport.error_text(answer))
                    return False
                ctx.book.put_upload(local_id, spec)
                offset = 0
            elif answer.status_code in (403, 404, 413, 415, 422):
                self._refuse(local_id, spec, ctx.transport.error_text(answer))
                return False
            else:
                raise ServerTrouble(f"an upload chunk answered {answer.status_code}")
        ctx.book.drop_upload(local_id)
        scans.discard(local_id)
        log.info("scan for %s uploaded (%d bytes)", spec["case_id"], spec["size"])
        return True

    def _refuse(self, local_id: str, spec: dict[str, Any], reason: str) -> None:
        spec["refused"] = reason
        self.ctx.book.put_upload(local_id, spec)
        self.ctx.notify(
            "upload_refused",
            spec["case_id"],
            REFUSED.format(case=spec["case_id"], reason=reason),
            {"upload": local_id},
        )
