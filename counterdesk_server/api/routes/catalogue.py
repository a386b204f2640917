"""The centre's service catalogue: fetched by every counter, cached by its ETag.

``GET /catalogue`` answers 304 when the counter's ``If-None-Match`` names the current
digest, so a counter polling it costs a header. ``PUT /catalogue`` publishes a new one
(administrators; the CLI does the same), refused with every problem listed when the
shared loader finds any.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Header, Request, Response, status
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool

from counterdesk_server.api.access import Admin, AnyUser
from counterdesk_server.api.deps import Ctx
from counterdesk_server.schemas.common import AUTHED, errors
from counterdesk_server.services import audit, catalogues
from counterdesk_server.services.audit import AuditEntry
from counterdesk_server.services.errors import NotFound, TooLarge

router = APIRouter(tags=["catalogue"])

CATALOGUE_BODY = {
    "description": "The catalogue file (shared/catalogue-format.md)",
    "content": {"application/json": {"schema": {"type": "object"}}},
}


class PublishedOut(BaseModel):
    version: str
    digest: str
    summary: str


def _etag(digest: str) -> str:
    return f'"{digest}"'


def _matches(header: str | None, etag: str) -> bool:
    if not header:
        return False
    tags = [part.strip().removeprefix("W/") for part in header.split(",")]
    return "*" in tags or etag in tags


@router.get(
    "/catalogue",
    responses={
        200: CATALOGUE_BODY,
        304: {"description": "Unchanged since the ETag in If-None-Match"},
        **errors(401, 403, 404),
    },
)
def get_catalogue(
    ctx: Ctx,
    principal: AnyUser,
    if_none_match: Annotated[str | None, Header()] = None,
) -> Response:
    with ctx.db.reading() as session:
        head = catalogues.current_digest(session, principal.centre_id)
        if head is None:
            raise NotFound("本中心尚未发布事项目录 / this centre has not published a catalogue")
        etag = _etag(head[0])
        headers = {"ETag": etag, "Cache-Control": "no-cache"}
        if _matches(if_none_match, etag):
            return Response(status_code=status.HTTP_304_NOT_MODIFIED, headers=headers)
        row = catalogues.current_row(session, principal.centre_id)
        assert row is not None
        content = bytes(row.content)
    return Response(content, media_type="application/json", headers=headers)


@router.put(
    "/catalogue",
    response_model=PublishedOut,
    openapi_extra={"requestBody": {"required": True, **CATALOGUE_BODY}},
    responses=errors(*AUTHED, 413),
)
async def publish_catalogue(request: Request, ctx: Ctx, principal: Admin) -> PublishedOut:
    """Publish a new catalogue for the caller's centre; a bad file is refused (422) with
    every problem in ``detail``."""
    data = await request.body()
    if len(data) > catalogues.MAX_CATALOGUE_BYTES:
        raise TooLarge(f"catalogue larger than {catalogues.MAX_CATALOGUE_BYTES} bytes")
    now = ctx.clock.now()

    # Parsing a large catalogue and writing it are blocking work: not on the event loop.
    def work() -> PublishedOut:
        with ctx.db.writing() as session:
            row = catalogues.publish(
                session, principal.centre_id, data, principal.username, now, "request body"
            )
            audit.record(
                session,
                principal,
                AuditEntry(
                    "catalogue.publish", now, detail={"version": row.version, "digest": row.digest}
                ),
            )
            parsed = ctx.catalogues.current(session, principal.centre_id)
            summary = parsed.catalogue.summary() if parsed else ""
            return PublishedOut(version=row.version, digest=row.digest, summary=summary)

    return await run_in_threadpool(work)
