"""Training mode: practice cases kept apart from live ones, and training results.

Trainees reach only these routes, and these routes reach only training cases (the case
document says ``"training": true``); a live case id is simply not found here, and a
training case sent to the live routes is refused. A trainee sees and changes only the
practice cases they received or were given; officers and supervisors who train them see
all of the centre's.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Response, status

from counterdesk.domain.cases import Role
from counterdesk_server.api.access import Trainee, TrainingReviewer
from counterdesk_server.api.case_io import batch_response, json_response
from counterdesk_server.api.deps import Ctx
from counterdesk_server.schemas.cases import BatchIn, BatchOut, CaseListOut, CaseViewOut, FeedOut
from counterdesk_server.schemas.common import AUTHED, WITH_BODY, errors
from counterdesk_server.schemas.training import (
    TrainingResultIn,
    TrainingResultListOut,
    TrainingResultOut,
)
from counterdesk_server.services import case_ops, case_views, feed, training
from counterdesk_server.services.errors import NotFound
from counterdesk_server.services.roles import Principal

router = APIRouter(prefix="/training", tags=["training"])


def _own_only(principal: Principal) -> str | None:
    return principal.username if principal.role is Role.TRAINEE else None


@router.post("/cases/batch", response_model=BatchOut, responses=errors(*WITH_BODY))
def apply_training_batch(body: BatchIn, ctx: Ctx, principal: Trainee) -> Response:
    """The training twin of ``POST /cases/batch``: same rules, training cases only."""
    outcomes = case_ops.apply_operations(
        ctx,
        principal,
        body.operations,
        training=True,
        own_cases_only=principal.role is Role.TRAINEE,
    )
    return batch_response(outcomes)


@router.get("/cases", response_model=CaseListOut, responses=errors(*AUTHED))
def list_training_cases(
    ctx: Ctx,
    principal: Trainee,
    after: Annotated[int, Query(ge=0, le=2**62)] = 0,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> Response:
    views, cursor = case_views.list_cases(
        ctx,
        principal,
        training=True,
        states=None,
        open_only=False,
        assignee=None,
        after=after,
        limit=limit,
        only_for=_own_only(principal),
    )
    return json_response(
        {"cases": [{"case": v.case, "clock": v.clock} for v in views], "next": cursor}
    )


@router.get("/cases/{case_id}", response_model=CaseViewOut, responses=errors(*AUTHED, 404))
def get_training_case(
    case_id: Annotated[str, Path(min_length=1, max_length=64)], ctx: Ctx, principal: Trainee
) -> Response:
    views, _ = case_views.list_cases(
        ctx,
        principal,
        training=True,
        states=None,
        open_only=False,
        assignee=None,
        after=0,
        limit=1,
        only_for=_own_only(principal),
        case_id=case_id,
    )
    if not views:
        raise NotFound(f"练习办件 {case_id} 不存在 / no training case {case_id}")
    return json_response({"case": views[0].case, "clock": views[0].clock})


@router.get("/changes", response_model=FeedOut, responses=errors(*AUTHED))
def training_changes(
    ctx: Ctx,
    principal: Trainee,
    since: Annotated[int, Query(ge=0, le=2**62)] = 0,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> Response:
    with ctx.db.single_read() as connection:
        page = feed.read_page(
            connection,
            principal.centre_id,
            training=True,
            since=since,
            limit=limit,
            only_for=_own_only(principal),
        )
    return Response(page.to_json_text().encode("utf-8"), media_type="application/json")


@router.post(
    "/results",
    response_model=TrainingResultOut,
    status_code=status.HTTP_201_CREATED,
    responses=errors(*WITH_BODY),
)
def record_result(body: TrainingResultIn, ctx: Ctx, principal: Trainee) -> Response:
    """Record the caller's score for an exercise (idempotent by key)."""
    row = training.record_result(ctx, principal, body.model_dump())
    return json_response(training.result_json(row), status.HTTP_201_CREATED)


@router.get("/results", response_model=TrainingResultListOut, responses=errors(*AUTHED))
def list_results(
    ctx: Ctx,
    principal: TrainingReviewer,
    username: Annotated[str | None, Query(min_length=1, max_length=64)] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> Response:
    """Newest first. Trainees and officers see their own; supervisors and admins anyone's."""
    if principal.role in (Role.TRAINEE, Role.OFFICER):
        username = principal.username
    with ctx.db.reading() as session:
        rows = training.list_results(session, principal.centre_id, username, limit)
    return json_response({"results": [training.result_json(r) for r in rows]})
