"""Health: for load balancers and monitoring; says whether the database answers."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from sqlalchemy import text

from counterdesk_server import __version__
from counterdesk_server.api.access import Anyone
from counterdesk_server.api.deps import Ctx
from counterdesk_server.db import migrate

router = APIRouter(tags=["health"])


class HealthOut(BaseModel):
    status: str
    database: str
    schema_current: bool
    version: str


@router.get("/health", response_model=HealthOut, responses={503: {"model": HealthOut}})
def health(ctx: Ctx, _: Anyone) -> HealthOut | JSONResponse:
    try:
        with ctx.db.reading() as session:
            session.execute(text("SELECT 1"))
        # The schema only changes by `init`, which the running server does not do: once
        # found current, it stays current for this process.
        current = ctx.schema_current or migrate.is_current(ctx.db.engine)
        ctx.schema_current = current
    except Exception:  # any database failure means "not ready", never a crash
        body = HealthOut(
            status="unavailable", database="down", schema_current=False, version=__version__
        )
        return JSONResponse(body.model_dump(), status_code=503)
    return HealthOut(
        status="ok" if current else "degraded",
        database=ctx.db.dialect,
        schema_current=current,
        version=__version__,
    )
