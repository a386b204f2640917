"""The change feed of live cases: ``GET /changes?since=CURSOR&limit=N``.

Counters poll it with the ``next`` of their last page and get every case that changed
since, each once, in commit order (services/feed.py explains why none is ever skipped).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response

from counterdesk_server.api.access import LiveReader
from counterdesk_server.api.deps import Ctx
from counterdesk_server.schemas.cases import FeedOut
from counterdesk_server.schemas.common import AUTHED, errors
from counterdesk_server.services import feed

router = APIRouter(tags=["changes"])
Since = Annotated[int, Query(ge=0, le=2**62, description="`next` of the previous page; 0 first")]
Limit = Annotated[int, Query(ge=1, le=1000)]


@router.get("/changes", response_model=FeedOut, responses=errors(*AUTHED))
def changes(ctx: Ctx, principal: LiveReader, since: Since = 0, limit: Limit = 100) -> Response:
    with ctx.db.single_read() as connection:
        page = feed.read_page(
            connection, principal.centre_id, training=False, since=since, limit=limit
        )
    return Response(page.to_json_text().encode("utf-8"), media_type="application/json")
