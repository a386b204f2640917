"""Routes counters' sync needs beyond the case resources (services/sync_support.py):

- ``GET /cases/{case_id}/versions/{version}``: the base of a three-way merge;
- ``GET /cases/by-number/{number}``: a case by its official or provisional number;
- ``POST /handovers`` and ``GET /handovers``: telling a new assignee that the previous
  one's offline changes were delivered to them.
"""

from __future__ import annotations

import json
from typing import Annotated

from fastapi import APIRouter, Path, Query, Response, status

from counterdesk_server.api.access import LiveReader, LiveWriter
from counterdesk_server.api.case_io import case_view_response, json_response
from counterdesk_server.api.deps import Ctx
from counterdesk_server.schemas.cases import CaseViewOut
from counterdesk_server.schemas.common import AUTHED, WITH_BODY, errors
from counterdesk_server.schemas.sync_support import (
    CaseVersionOut,
    HandoverIn,
    HandoverListOut,
    HandoverOut,
)
from counterdesk_server.services import sync_support

router = APIRouter(tags=["sync"])
CaseId = Annotated[str, Path(min_length=1, max_length=64)]
Number = Annotated[str, Path(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9-]+$")]


@router.get(
    "/cases/{case_id}/versions/{version}",
    response_model=CaseVersionOut,
    responses=errors(*AUTHED, 404),
)
def case_version(
    case_id: CaseId,
    version: Annotated[int, Path(ge=1, le=2**31)],
    ctx: Ctx,
    principal: LiveReader,
) -> Response:
    """The case document as it was at ``version`` (from the audit trail); counters merge
    their offline edits against it. The reading is audited like an opening."""
    with ctx.db.writing() as session:
        document = sync_support.case_at_version(
            session, principal, case_id, version, ctx.clock.now()
        )
    return json_response({"case": document})


@router.get("/cases/by-number/{number}", response_model=CaseViewOut, responses=errors(*AUTHED, 404))
def case_by_number(number: Number, ctx: Ctx, principal: LiveReader) -> Response:
    """The live case with this official or provisional number (a receipt printed offline
    carries the provisional one until the case gets its official number)."""
    with ctx.db.writing() as session:
        document = sync_support.case_by_number(session, principal, number, ctx.clock.now())
    return case_view_response(ctx, principal, json.loads(document))


@router.post(
    "/handovers",
    response_model=HandoverOut,
    status_code=status.HTTP_201_CREATED,
    responses=errors(*WITH_BODY, 404, 409),
)
def record_handover(body: HandoverIn, ctx: Ctx, principal: LiveWriter) -> Response:
    """Tell the case's current assignee that the caller's offline changes to it were
    delivered (after a reassignment). The same ``key`` again returns the first notice."""
    with ctx.db.writing() as session:
        handover, new = sync_support.record_handover(
            session,
            principal,
            body.case_id,
            body.operations,
            body.key,
            body.device_time,
            ctx.clock.now(),
        )
    code = status.HTTP_201_CREATED if new else status.HTTP_200_OK
    return json_response(handover.to_json(), code)


@router.get("/handovers", response_model=HandoverListOut, responses=errors(*AUTHED))
def list_handovers(
    ctx: Ctx,
    principal: LiveReader,
    since: Annotated[int, Query(ge=0, le=2**62)] = 0,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> Response:
    """Handover notices addressed to the caller, oldest first."""
    with ctx.db.reading() as session:
        found, cursor = sync_support.handovers_for(session, principal, since, limit)
    return json_response({"handovers": [h.to_json() for h in found], "next": cursor})
