"""Shapes of the routes that counters' sync needs beyond the case resources: past
versions of a case, lookup by either number, and handover notices."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict, Field

from counterdesk.domain.cases import Case
from counterdesk_server.schemas.types import AwareDateTime, JsonInt


class CaseVersionOut(BaseModel):
    case: Case = Field(description="the case document exactly as it was at that version")


class HandoverIn(BaseModel):
    """The officer's unsynced work on a case reassigned meanwhile has been delivered."""

    model_config = ConfigDict(extra="forbid")

    case_id: str = Field(min_length=1, max_length=64)
    operations: JsonInt = Field(ge=0, le=100_000, description="how many changes were handed over")
    key: str = Field(min_length=8, max_length=128, description="idempotency key")
    device_time: AwareDateTime | None = Field(
        default=None, description="when the counter noticed the reassignment"
    )


class HandoverOut(BaseModel):
    id: int
    case_id: str
    from_: str = Field(alias="from")
    to: str
    operations: int
    device_time: dt.datetime | None
    server_time: dt.datetime

    model_config = ConfigDict(populate_by_name=True)


class HandoverListOut(BaseModel):
    handovers: list[HandoverOut]
    next: int = Field(description="pass as `since` for the following notices")
