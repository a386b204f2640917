"""Reading the audit trail (append-only: there is no route that changes it)."""

from __future__ import annotations

import json
from typing import Annotated

from fastapi import APIRouter, Query, Response

from counterdesk_server.api.access import Supervisor
from counterdesk_server.api.case_io import json_response
from counterdesk_server.api.deps import Ctx
from counterdesk_server.schemas.audit import AuditListOut
from counterdesk_server.schemas.common import AUTHED, errors
from counterdesk_server.services import audit

router = APIRouter(tags=["audit"])


def _json(text: str | None) -> object:
    return json.loads(text) if text else None


@router.get("/audit", response_model=AuditListOut, responses=errors(*AUTHED))
def audit_trail(
    ctx: Ctx,
    principal: Supervisor,
    case_id: Annotated[str | None, Query(min_length=1, max_length=64)] = None,
    action: Annotated[str | None, Query(min_length=1, max_length=40)] = None,
    after: Annotated[int, Query(ge=0, le=2**62)] = 0,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> Response:
    """Lines of the caller's centre, oldest first, optionally for one case or action."""
    with ctx.db.reading() as session:
        rows = audit.list_events(
            session,
            principal.centre_id,
            case_id=case_id,
            action=action,
            after_id=after,
            limit=limit,
        )
    events = [
        {
            "id": r.id,
            "actor": r.actor,
            "actor_role": r.actor_role,
            "action": r.action,
            "case_id": r.case_id,
            "training": r.training,
            "device_time": r.device_time.isoformat() if r.device_time else None,
            "server_time": r.server_time.isoformat(),
            "before": _json(r.before),
            "after": _json(r.after),
            "detail": _json(r.detail),
        }
        for r in rows
    ]
    return json_response({"events": events, "next": rows[-1].id if rows else after})
