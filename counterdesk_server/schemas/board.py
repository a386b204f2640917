"""Shapes of the supervisor board's routes: officers' load, reassignment (plan and apply),
notices to the officers concerned, trainees' progress and the daily centre report."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from counterdesk_server.schemas.types import AwareDateTime

Username = Field(min_length=1, max_length=64)


class OfficerLoad(BaseModel):
    officer: str
    name: str = Field(description="display name; empty when the server has none")
    role: str
    active: bool
    open: int = Field(description="open cases assigned now")
    due_soon: int = Field(description="open cases due within one working day")
    overdue: int = Field(description="open cases past their running time limit")
    notice_past: int = Field(
        description="received cases past the five-day notice deadline (deemed accepted)"
    )
    received: int = Field(description="cases received on the day (收件)")
    accepted: int = Field(description="accepted, with or without deferral (受理)")
    notices: int = Field(description="one-time notices of missing materials (补正告知)")
    refused: int = Field(description="refused (不予受理)")
    completed: int = Field(
        description="decided by the department on the day (办结), counted for the assignee"
    )


class ItemHandling(BaseModel):
    code: str
    name: str
    department: str = Field(description="department code; `*` for a bundle of several")
    cases: int = Field(description="cases completed in the window")
    median_days: float = Field(description="median working days from receipt to completion")


class LoadOut(BaseModel):
    day: dt.date
    window_from: dt.date = Field(description="first day of the handling-time window")
    officers: list[OfficerLoad]
    items: list[ItemHandling]


class PlanIn(BaseModel):
    """Which cases to move (a selection, or every open case of an absent officer) and the
    officers who take them."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    case_ids: list[str] = Field(default=[], max_length=5000)
    from_officer: str | None = Field(default=None, min_length=1, max_length=64)
    to: list[str] = Field(min_length=1, max_length=50)

    @model_validator(mode="after")
    def _one_source(self) -> PlanIn:
        if bool(self.case_ids) == (self.from_officer is not None):
            raise ValueError("give either case_ids or from_officer")
        return self


class PlannedMove(BaseModel):
    model_config = ConfigDict(populate_by_name=True)

    case_id: str
    number: str
    from_: str = Field(alias="from")
    to: str
    at_risk: bool


class PlanOut(BaseModel):
    moves: list[PlannedMove] = Field(description="cases that change hands, most urgent first")
    staying: list[str] = Field(description="case ids the spread left with their officer")
    loads_before: dict[str, int]
    loads_after: dict[str, int]


class MoveIn(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    case_id: str = Field(min_length=1, max_length=64)
    from_: str = Field(
        default="",
        alias="from",
        max_length=64,
        description="the officer the supervisor saw holding it; refused (409) if it moved",
    )
    to: str = Username


class ReassignIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    idempotency_key: str = Field(min_length=8, max_length=60)
    reason: str = Field(min_length=1, max_length=500)
    moves: list[MoveIn] = Field(min_length=1, max_length=500)
    device_time: AwareDateTime | None = None


class MoveOut(BaseModel):
    model_config = ConfigDict(populate_by_name=True)

    case_id: str
    from_: str = Field(alias="from")
    to: str
    status: int = Field(description="200 moved (or already there), 404, 409, 422")
    error: str | None = None
    replayed: bool = False


class ReassignOut(BaseModel):
    moved: int
    results: list[MoveOut]


class NoticeOut(BaseModel):
    model_config = ConfigDict(populate_by_name=True)

    id: int
    kind: Literal["assigned_to_you", "reassigned_away"]
    case_id: str
    number: str
    from_: str = Field(alias="from")
    to: str
    by: str
    reason: str
    server_time: dt.datetime


class NoticeListOut(BaseModel):
    notices: list[NoticeOut]
    next: int = Field(description="pass as `since` for the following notices")


class MistakeCount(BaseModel):
    code: str
    category: str
    count: int


class TraineeProgress(BaseModel):
    username: str
    name: str
    role: str
    results: int = Field(description="exercises finished")
    scenarios_done: int = Field(description="different scenarios finished")
    scenarios_passed: int = Field(description="different scenarios passed at least once")
    mean_score: float = Field(description="mean of score / max_score, in percent")
    best_score: float
    last_score: float
    last_exercise: str
    last_at: dt.datetime
    mistakes: list[MistakeCount] = Field(description="most common mistakes, most frequent first")


class TraineesOut(BaseModel):
    trainees: list[TraineeProgress]


class ReportRow(BaseModel):
    code: str = Field(description="officer's username, or department code (`*` several)")
    name: str
    received: int
    accepted: int
    notices: int
    refused: int
    completed: int
    open: int = Field(description="open now")
    due_soon: int = Field(description="open now and due within one working day")
    overdue: int = Field(description="open now and overdue (the five-day notice included)")


class ReportOut(BaseModel):
    day: dt.date
    centre_code: str
    centre_name: str
    generated_at: dt.datetime
    officers: list[ReportRow]
    departments: list[ReportRow]
    totals: ReportRow
