"""Scans of materials travel with the case: resumable uploads, checked, then attached.

A counter declares a file (case, material, type, size, SHA-256) and sends it in chunks at
increasing offsets; after a dropped connection it asks how much arrived and goes on from
there. Only PDF, JPEG and PNG are taken, judged by their first bytes, not by what the
client claims; a file larger than declared or than the server's limit is refused. When the
last byte arrives the whole file must match its SHA-256; then the server attaches it to
the case with the shared ``attach`` operation, so the case, its feed and its audit trail
all show it (unless the counter's own ``attach`` operation, which names the same id,
arrived first). The counter chooses the file's id, so declaring again after a lost answer
finds the same upload, never a second one. Downloads are recorded in the audit trail.
Bytes live in the database, so every server behind a load balancer has them.
"""

from __future__ import annotations

import hashlib
import uuid
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from counterdesk.domain.cases import OperationKind
from counterdesk_server.context import ServerContext
from counterdesk_server.db.models import Attachment, AttachmentChunk
from counterdesk_server.services import audit, case_ops, case_views
from counterdesk_server.services.audit import AuditEntry
from counterdesk_server.services.errors import (
    Conflict,
    Invalid,
    NotFound,
    TooLarge,
    UnsupportedType,
)
from counterdesk_server.services.roles import Principal

MAGIC = {
    "application/pdf": b"%PDF-",
    "image/jpeg": b"\xff\xd8\xff",
    "image/png": b"\x89PNG\r\n\x1a\n",
}
ATTACH_ATTEMPTS = 5  # the case may change between reading its version and attaching


DECLARED = ("case_id", "material", "content_type", "size", "sha256", "pages")


def declare(ctx: ServerContext, actor: Principal, spec: dict[str, Any]) -> tuple[Attachment, bool]:
    """Declare an upload; returns it and whether it is new. With the counter's own ``id``
    declaring again (an answer lost, a counter killed) returns the same upload."""
    try:
        return _declare(ctx, actor, spec)
    except IntegrityError:
        # The same id declared twice at the same instant: the other request won; its row
        # is found this time (or the id belongs to another file: 409).
        return _declare(ctx, actor, spec)


def _declare(ctx: ServerContext, actor: Principal, spec: dict[str, Any]) -> tuple[Attachment, bool]:
    spec = dict(spec)
    chosen = spec.pop("id", None)
    if spec["content_type"] not in MAGIC:
        raise UnsupportedType("only PDF, JPEG and PNG scans are accepted")
    limit = ctx.settings.attachment_max_bytes
    if spec["size"] > limit:
        raise TooLarge(f"文件过大 / file of {spec['size']} bytes is over the {limit}-byte limit")
    now = ctx.clock.now()
    with ctx.db.writing() as session:
        case = case_views.load_case(session, actor.centre_id, spec["case_id"], training=False)
        if chosen:
            existing = session.get(Attachment, chosen)
            if existing is not None:
                if existing.centre_id != actor.centre_id or any(
                    getattr(existing, k) != spec[k] for k in DECLARED
                ):
                    raise Conflict(
                        f"附件编号已被另一文件使用 / attachment id {chosen} is taken by another file"
                    )
                return existing, False
            _check_against_case(case, chosen, spec)
        row = Attachment(
            id=chosen or str(uuid.uuid4()),
            centre_id=actor.centre_id,
            received=0,
            complete=False,
            created_by=actor.username,
            created_at=now,
            **spec,
        )
        session.add(row)
        session.flush()
        audit.record(
            session,
            actor,
            AuditEntry(
                "attachment.declare",
                now,
                case_id=row.case_id,
                detail={"attachment": row.id, "size": row.size, "type": row.content_type},
            ),
        )
        return row, True


def _check_against_case(case: Any, attachment_id: str, spec: dict[str, Any]) -> None:
    """When the counter's ``attach`` operation arrived first, the file must be that one."""
    for ref in case.attachments:
        if ref.id == attachment_id and (
            ref.sha256 != spec["sha256"]
            or ref.size != spec["size"]
            or ref.material != spec["material"]
        ):
            raise Invalid(
                f"附件与办件记录不符 / the case records attachment {attachment_id} with "
                "another size, checksum or material"
            )


def status(ctx: ServerContext, actor: Principal, attachment_id: str) -> Attachment:
    with ctx.db.reading() as session:
        return _get(session, actor, attachment_id)


def append(
    ctx: ServerContext, actor: Principal, attachment_id: str, offset: int, data: bytes
) -> Attachment:
    """Add a chunk at ``offset`` (which must be where the upload stands)."""
    if not data:
        raise Invalid("an empty chunk adds nothing")
    now = ctx.clock.now()
    with ctx.db.writing() as session:
        row = _get(session, actor, attachment_id, lock=True)
        if row.complete:
            raise Conflict("upload already complete", detail={"received": row.received})
        if offset != row.received:
            raise Conflict(
                f"expected offset {row.received}, got {offset}: resume from {row.received}",
                detail={"received": row.received},
            )
        if row.received + len(data) > row.size:
            raise TooLarge(f"more bytes than the declared size of {row.size}")
        if offset == 0 and not data.startswith(MAGIC[row.content_type][: row.size]):
            raise UnsupportedType(
                f"文件内容不是 {row.content_type} / the file's first bytes are not "
                f"{row.content_type}; only real PDF, JPEG or PNG files are accepted"
            )
        session.add(AttachmentChunk(attachment_id=row.id, offset=offset, data=data))
        row.received += len(data)
        finished = row.received == row.size
        matches = finished and _digest(session, row.id) == row.sha256
        if finished and not matches:
            # Start over: keeping bytes that do not add up to the file helps nobody.
            session.execute(delete(AttachmentChunk).where(AttachmentChunk.attachment_id == row.id))
            row.received = 0
        elif finished:
            row.complete = True
            row.completed_at = now
            audit.record(
                session,
                actor,
                AuditEntry(
                    "attachment.complete", now, case_id=row.case_id, detail={"attachment": row.id}
                ),
            )
        session.flush()
    if finished and not matches:
        raise Invalid("SHA-256 does not match the declared one; upload the file again from 0")
    if row.complete:
        attach_to_case(ctx, actor, row)
    return row


def attach_to_case(ctx: ServerContext, actor: Principal, row: Attachment) -> None:
    """Apply the shared ``attach`` operation (idempotent: its key is the attachment's id)."""
    ref = {
        "id": row.id,
        "material": row.material,
        "pages": row.pages,
        "size": row.size,
        "sha256": row.sha256,
        "content_type": row.content_type,
    }
    for _ in range(ATTACH_ATTEMPTS):
        with ctx.db.reading() as session:
            case = case_views.load_case(session, actor.centre_id, row.case_id, training=False)
        if any(existing.id == row.id for existing in case.attachments):
            return  # the counter's own attach operation referenced it already
        op = case_ops.server_operation(
            OperationKind.ATTACH,
            case,
            actor,
            ctx.clock.now(),
            {"attachment": ref},
            f"attach-{row.id}",
        )
        outcome = case_ops.apply_operations(ctx, actor, [op], training=False)[0]
        if outcome.status != 409:
            if not outcome.ok:
                raise Invalid(f"uploaded, but not attached to the case: {outcome.error}")
            return
    raise Conflict("the case kept changing; send the last chunk again to attach the file")


def content(ctx: ServerContext, actor: Principal, attachment_id: str) -> tuple[Attachment, bytes]:
    """The whole file; the download itself is recorded in the audit trail (who, when)."""
    now = ctx.clock.now()
    with ctx.db.writing() as session:
        row = _get(session, actor, attachment_id)
        if not row.complete:
            raise Conflict(f"upload incomplete: {row.received} of {row.size} bytes received")
        chunks = session.scalars(
            select(AttachmentChunk.data)
            .where(AttachmentChunk.attachment_id == row.id)
            .order_by(AttachmentChunk.offset)
        )
        data = b"".join(bytes(c) for c in chunks)
        audit.record(
            session,
            actor,
            AuditEntry(
                "attachment.download",
                now,
                case_id=row.case_id,
                detail={"attachment": row.id, "material": row.material, "size": row.size},
            ),
        )
    return row, data


def list_for_case(ctx: ServerContext, actor: Principal, case_id: str) -> list[Attachment]:
    """A case's uploads, complete or not (the back office's list, the CLI)."""
    with ctx.db.reading() as session:
        case_views.load_case(session, actor.centre_id, case_id, training=False)
        return list(
            session.scalars(
                select(Attachment)
                .where(Attachment.centre_id == actor.centre_id, Attachment.case_id == case_id)
                .order_by(Attachment.created_at, Attachment.id)
            )
        )


def _get(session: Session, actor: Principal, attachment_id: str, lock: bool = False) -> Attachment:
    query = select(Attachment).where(
        Attachment.id == attachment_id, Attachment.centre_id == actor.centre_id
    )
    if lock:
        query = query.with_for_update()
    row = session.scalar(query)
    if row is None:
        raise NotFound(f"no attachment {attachment_id}")
    return row


def _digest(session: Session, attachment_id: str) -> str:
    digest = hashlib.sha256()
    for chunk in session.scalars(
        select(AttachmentChunk.data)
        .where(AttachmentChunk.attachment_id == attachment_id)
        .order_by(AttachmentChunk.offset)
    ):
        digest.update(bytes(chunk))
    return digest.hexdigest()
