"""Turning case operations into HTTP answers, shared by the live and training routes.

Batch answers are serialised once, straight to bytes: a batch of a hundred cases is the
hot path of every counter's sync.
"""

from __future__ import annotations

import json
import uuid
from typing import Any

from fastapi import Response

from counterdesk.domain.cases import Case, Operation, OperationKind
from counterdesk_server.context import ServerContext
from counterdesk_server.schemas.cases import Command
from counterdesk_server.services import case_views
from counterdesk_server.services.case_ops import Outcome
from counterdesk_server.services.roles import Principal


def json_response(body: Any, status_code: int = 200) -> Response:
    data = json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return Response(data, status_code=status_code, media_type="application/json")


def batch_response(outcomes: list[Outcome]) -> Response:
    body = '{"results":[' + ",".join(o.to_json_text() for o in outcomes) + "]}"
    return Response(body.encode("utf-8"), media_type="application/json")


def command_operation(
    ctx: ServerContext,
    principal: Principal,
    kind: OperationKind,
    case_id: str,
    body: Command,
    payload: dict[str, Any],
) -> Operation:
    """The operation a single-case command stands for, made for the signed-in user."""
    return Operation(
        idempotency_key=body.idempotency_key or str(uuid.uuid4()),
        kind=kind,
        case_id=case_id,
        officer=principal.username,
        device_time=body.device_time or ctx.clock.now(),
        base_version=body.base_version,
        payload=payload,
    )


def case_view_response(
    ctx: ServerContext, principal: Principal, document: dict[str, Any], status_code: int = 200
) -> Response:
    case = Case.model_validate(document)
    with ctx.db.reading() as session:
        calendar = case_views.calendar_for(ctx, session, principal.centre_id)
    clock = case_views.clock_of(ctx, case, calendar)
    return json_response({"case": document, "clock": clock}, status_code)
