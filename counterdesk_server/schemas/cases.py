"""Cases, operation batches and their outcomes, and the single-case commands."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from counterdesk.domain.cases import Case, CaseState, Operation
from counterdesk_server.schemas.types import AwareDateTime, JsonBool, JsonInt

Key = Field(default=None, min_length=8, max_length=128)


class ClockOut(BaseModel):
    """The time-limit clock (read with the shared ``read_clock``)."""

    status: Literal["normal", "warning", "overdue", "stopped", "none"]
    deadline: Literal["notice", "promised", "supplement", "deferral"] | None
    due: dt.date | None
    remaining: int | None  # working days; negative when overdue
    provisional: bool


class CaseViewOut(BaseModel):
    case: Case
    clock: ClockOut


class CaseListOut(BaseModel):
    cases: list[CaseViewOut]
    next: int | None = Field(description="cursor for the next page (`after`), null at the end")


class OperationIn(Operation):
    """The shared ``Operation``, read strictly off the wire: a version is a JSON integer and
    the device time a date-time string with its zone (the audit trail stores it in UTC)."""

    model_config = ConfigDict(title="Operation")

    base_version: JsonInt = Field(ge=0)
    device_time: AwareDateTime


class BatchIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    operations: list[OperationIn] = Field(min_length=1, max_length=500)


class OutcomeOut(BaseModel):
    idempotency_key: str
    case_id: str
    status: int = Field(description="201 created, 200 applied, else the error's HTTP status")
    case: Case | None
    error: str | None
    detail: Any = None
    replayed: bool = Field(description="true when this key was applied before")


class BatchOut(BaseModel):
    results: list[OutcomeOut]


class Command(BaseModel):
    """Fields every single-case command carries."""

    model_config = ConfigDict(extra="forbid")

    base_version: JsonInt = Field(ge=1, description="the case version this change was based on")
    device_time: AwareDateTime | None = Field(
        default=None, description="when it happened at the counter (default: now)"
    )
    idempotency_key: str | None = Key


class UpdateIn(Command):
    changes: dict[str, Any] = Field(min_length=1)


class TransitionIn(Command):
    to: CaseState
    reason: str = Field(default="", max_length=2000)
    changes: dict[str, Any] | None = None
    issuance: dict[str, Any] | None = None


class AssignIn(Command):
    assignee: str = Field(min_length=1, max_length=64)
    reason: str = Field(min_length=1, max_length=2000)


class DecisionIn(Command):
    approve: JsonBool
    reason: str = Field(default="", max_length=2000)


class FeedEntryOut(BaseModel):
    seq: int
    case: Case


class FeedOut(BaseModel):
    changes: list[FeedEntryOut]
    next: int = Field(description="pass as `since` to get what came after this page")
    more: bool = Field(description="true when more changes are waiting now")
