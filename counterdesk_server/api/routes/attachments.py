"""Attachments: declare, upload in resumable chunks, ask how far it got, download.

Counters upload; supervisors and administrators (the back office) download.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request, Response, status
from starlette.concurrency import run_in_threadpool
from starlette.requests import ClientDisconnect

from counterdesk_server.api.access import LiveReader, LiveWriter, Supervisor
from counterdesk_server.api.case_io import json_response
from counterdesk_server.api.deps import Ctx
from counterdesk_server.db.models import Attachment
from counterdesk_server.schemas.attachments import AttachmentIn, AttachmentOut
from counterdesk_server.schemas.common import AUTHED, WITH_BODY, errors
from counterdesk_server.services import attachments
from counterdesk_server.services.errors import TooLarge

router = APIRouter(prefix="/attachments", tags=["attachments"])
AttachmentId = Annotated[str, Path(min_length=1, max_length=36)]
CHUNK_BODY = {
    "requestBody": {
        "required": True,
        "content": {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}},
    }
}


def _out(row: Attachment) -> dict[str, object]:
    return AttachmentOut.model_validate(row, from_attributes=True).model_dump(mode="json")


@router.post(
    "",
    response_model=AttachmentOut,
    status_code=status.HTTP_201_CREATED,
    responses={
        200: {
            "description": "Declared before with this id: the same upload",
            "model": AttachmentOut,
        },
        **errors(*WITH_BODY, 404, 409, 413, 415),
    },
)
def declare(body: AttachmentIn, ctx: Ctx, principal: LiveWriter) -> Response:
    """Declare a scan of a material for a case; then send its bytes with PUT. With the
    counter's own ``id``, declaring again returns the same upload (200) to resume."""
    row, created = attachments.declare(ctx, principal, body.model_dump())
    return json_response(_out(row), status.HTTP_201_CREATED if created else status.HTTP_200_OK)


@router.get(
    "/by-case/{case_id}",
    response_model=list[AttachmentOut],
    responses=errors(*AUTHED, 404),
)
def case_attachments(
    case_id: Annotated[str, Path(min_length=1, max_length=64)], ctx: Ctx, principal: LiveReader
) -> Response:
    """A case's uploads, complete or not, oldest first."""
    rows = attachments.list_for_case(ctx, principal, case_id)
    return json_response([_out(row) for row in rows])


@router.put(
    "/{attachment_id}/content",
    response_model=AttachmentOut,
    openapi_extra=CHUNK_BODY,
    responses=errors(*AUTHED, 404, 409, 413, 415),
)
async def upload_chunk(
    attachment_id: AttachmentId,
    request: Request,
    ctx: Ctx,
    principal: LiveWriter,
    offset: Annotated[int, Query(ge=0, le=2**40)] = 0,
) -> Response:
    """Append the body at ``offset``, which must equal the bytes received so far (409
    tells where to resume). The last chunk completes, checks and attaches the file."""
    limit = ctx.settings.attachment_chunk_max_bytes
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise TooLarge(f"a chunk may hold at most {limit} bytes")
    data = bytearray()
    try:
        async for part in request.stream():
            data += part
            if len(data) > limit:
                raise TooLarge(f"a chunk may hold at most {limit} bytes")
    except ClientDisconnect:
        # The counter went away mid-chunk (killed, cut off): nothing of it is kept; it
        # asks where to resume when it is back.
        return Response(status_code=status.HTTP_400_BAD_REQUEST)
    row = await run_in_threadpool(
        attachments.append, ctx, principal, attachment_id, offset, bytes(data)
    )
    return json_response(_out(row))


@router.get("/{attachment_id}", response_model=AttachmentOut, responses=errors(*AUTHED, 404))
def upload_status(attachment_id: AttachmentId, ctx: Ctx, principal: LiveReader) -> Response:
    """How much has arrived (``received``) and whether the file is complete."""
    return json_response(_out(attachments.status(ctx, principal, attachment_id)))


@router.get(
    "/{attachment_id}/content",
    responses={
        200: {
            "description": "The file",
            "content": {
                "application/pdf": {"schema": {"type": "string", "format": "binary"}},
                "image/jpeg": {"schema": {"type": "string", "format": "binary"}},
                "image/png": {"schema": {"type": "string", "format": "binary"}},
            },
        },
        **errors(*AUTHED, 404, 409),
    },
)
def download(attachment_id: AttachmentId, ctx: Ctx, principal: Supervisor) -> Response:
    """The complete file, for the back office."""
    row, data = attachments.content(ctx, principal, attachment_id)
    return Response(
        data,
        media_type=row.content_type,
        headers={
            "Content-Disposition": f'attachment; filename="{row.id}"',
            "ETag": f'"{row.sha256}"',
        },
    )
