"""Scans travel with the case: kept sealed on the counter, uploaded resumably.

A scan is queued with its case, material and type; its bytes are sealed with the store's
key (``offline.scans``: personal data never lies on disk in clear), and its upload state is
a record in the store. Uploading follows the server's protocol: declare the file (its id,
chosen on the counter, case, material, type, size, SHA-256; declaring the same id again
finds the same upload), then send chunks at the offset the server says it holds; after a
cut, a crash or a kill, ask the server how far it got and go on from there, never from 0.
The server checks the whole file against its SHA-256 and attaches it to the case (unless
the counter's own ``attach`` operation got there first), so the case then comes back
through the change feed. A file the server refuses (type, size, no such case once the
case is known to exist) is kept, with the reason, for the officer.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from offline.errors import DamagedFile
from offline.scans import ScanFolder, upload_spec
from offline.sync.context import SyncContext
from offline.sync.errors import ServerTrouble

log = logging.getLogger(__name__)

MAX_RESTARTS = 2  # a file whose SHA-256 keeps failing on the server is damaged here
REFUSED = "扫描件上传被拒绝 / the scan for case {case} was refused: {reason}"


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
    """Keep a scan for upload; returns its local id, which is also the id the server
    gives the file. Durable when it returns."""
    local_id = scans.add(data)
    spec = upload_spec(
        case_id=case_id,
        material=material,
        content_type=content_type,
        data=data,
        pages=pages,
        device_time=device_time or ctx.now(),
        attachment_id=local_id,
    )
    ctx.book.put_upload(local_id, spec)
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
        if not spec.get("declared"):
            # The file's id is chosen here, so declaring it again after a lost answer (or
            # a crash) finds the same upload on the server instead of starting a second.
            body = {
                k: spec[k]
                for k in ("case_id", "material", "content_type", "size", "sha256", "pages")
            }
            if spec.get("server_id"):
                body["id"] = spec["server_id"]
            answer = ctx.transport.call("POST", "/attachments", body=body)
            if answer.status_code == 404:
                return False  # the case has not reached the server yet
            if answer.status_code in (403, 409, 413, 415, 422):
                self._refuse(local_id, spec, ctx.transport.error_text(answer))
                return False
            if answer.status_code not in (200, 201):
                raise ServerTrouble(f"declaring an upload answered {answer.status_code}")
            spec["server_id"] = str(ctx.transport.expect_json(answer, "id")["id"])
            spec["declared"] = True
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
