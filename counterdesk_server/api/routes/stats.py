"""Statistics for supervisors: per officer and per day."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Query

from counterdesk_server.api.access import Supervisor
from counterdesk_server.api.deps import Ctx
from counterdesk_server.schemas.common import AUTHED, errors
from counterdesk_server.schemas.stats import StatsOut
from counterdesk_server.services import stats

router = APIRouter(tags=["statistics"])


@router.get("/stats/officers", response_model=StatsOut, responses=errors(*AUTHED))
def officer_statistics(
    ctx: Ctx,
    principal: Supervisor,
    date_from: Annotated[dt.date | None, Query(alias="from")] = None,
    date_to: Annotated[dt.date | None, Query(alias="to")] = None,
) -> StatsOut:
    """Daily figures between ``from`` and ``to`` (default: today, in China's time zone)
    and every officer's open cases now."""
    today = ctx.clock.today()
    return stats.officer_statistics(ctx, principal, date_from or today, date_to or today)
