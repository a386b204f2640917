"""Audit trail lines."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, Field


class AuditEventOut(BaseModel):
    id: int
    actor: str
    actor_role: str
    action: str
    case_id: str | None
    training: bool
    device_time: dt.datetime | None = Field(description="when it happened at the counter")
    server_time: dt.datetime = Field(description="when the server received it")
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    detail: dict[str, Any] | None


class AuditListOut(BaseModel):
    events: list[AuditEventOut]
    next: int = Field(description="pass as `after` for the following lines")
