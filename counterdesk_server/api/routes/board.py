"""The supervisor board's routes (docs/supervisor.md): officers' load, reassignment with
a reason (plan, then move), trainees' progress, the daily centre report, and the notices
the officers concerned read at their next sync.

The board's list of open cases is the change feed itself: a supervisor's counter keeps
every open case of the centre (services/sync_runner.py), so it needs no route of its own.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated

from fastapi import APIRouter, Query, Response
from pydantic import BeforeValidator

from counterdesk_server.api.access import LiveReader, Supervisor
from counterdesk_server.api.case_io import json_response
from counterdesk_server.api.deps import Ctx
from counterdesk_server.schemas.board import (
    LoadOut,
    NoticeListOut,
    PlanIn,
    PlanOut,
    ReassignIn,
    ReassignOut,
    ReportOut,
    TraineesOut,
)
from counterdesk_server.schemas.common import AUTHED, WITH_BODY, errors
from counterdesk_server.services import centre_report, reassign, stats, trainee_progress

router = APIRouter(tags=["board"])


def _iso_day(value: object) -> object:
    # As written, YYYY-MM-DD: pydantic alone would take "0" as 1 January 1970.
    if isinstance(value, str) and not _ISO_DAY.fullmatch(value):
        raise ValueError("a day is written YYYY-MM-DD")
    return value


_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
Day = Annotated[
    dt.date | None,
    BeforeValidator(_iso_day),
    Query(description="YYYY-MM-DD; default: today, in China's time zone"),
]


@router.get("/board/load", response_model=LoadOut, responses=errors(*AUTHED))
def officers_load(
    ctx: Ctx,
    principal: Supervisor,
    day: Day = None,
    window: Annotated[int, Query(ge=1, le=366, description="days of handling times")] = 30,
) -> LoadOut:
    """Every officer's open cases now (due soon, overdue, past the five-day notice), what
    they did on ``day``, and the median handling time per item over ``window`` days."""
    return stats.officer_load(ctx, principal, day or ctx.clock.today(), window)


@router.post("/board/plan", response_model=PlanOut, responses=errors(*WITH_BODY))
def plan_reassignment(body: PlanIn, ctx: Ctx, principal: Supervisor) -> PlanOut:
    """How the cases (a selection, or every open case of ``from_officer``) would be spread
    over the officers in ``to`` by their load; nothing changes."""
    return reassign.plan(
        ctx, principal, case_ids=body.case_ids, from_officer=body.from_officer, to=body.to
    )


@router.post("/board/reassign", response_model=ReassignOut, responses=errors(*WITH_BODY))
def reassign_cases(body: ReassignIn, ctx: Ctx, principal: Supervisor) -> Response:
    """Move each case to its officer, with the reason; each move has its own result. The
    same ``idempotency_key`` again moves nothing twice."""
    moves = [reassign.Move(m.case_id, m.from_, m.to) for m in body.moves]
    out = reassign.reassign(
        ctx, principal, moves, body.reason, body.idempotency_key, body.device_time
    )
    return json_response(out.model_dump(mode="json", by_alias=True))


@router.get("/board/trainees", response_model=TraineesOut, responses=errors(*AUTHED))
def trainees(ctx: Ctx, principal: Supervisor) -> TraineesOut:
    """Each trainee's progress in training mode: scenarios done and passed, scores, the
    most common mistakes."""
    return trainee_progress.trainees_progress(ctx, principal)


@router.get("/board/report", response_model=ReportOut, responses=errors(*AUTHED))
def daily_report(ctx: Ctx, principal: Supervisor, day: Day = None) -> ReportOut:
    """The centre's figures of ``day`` per officer and per department, with open cases now."""
    return centre_report.centre_report(ctx, principal, day or ctx.clock.today())


@router.get("/notices", response_model=NoticeListOut, responses=errors(*AUTHED))
def my_notices(
    ctx: Ctx,
    principal: LiveReader,
    since: Annotated[int, Query(ge=0, le=2**62)] = 0,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> Response:
    """Reassignments of cases to or away from the caller, with who moved them and why,
    oldest first (the counter shows them at its next sync)."""
    with ctx.db.reading() as session:
        found, cursor = reassign.notices_for(session, principal, since, limit)
    return json_response(
        {"notices": [n.model_dump(mode="json", by_alias=True) for n in found], "next": cursor}
    )
