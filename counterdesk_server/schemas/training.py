"""Training results: what the training scorer at a counter reports for an exercise."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

from counterdesk_server.schemas.types import AwareDateTime, JsonBool, JsonNumber


class TrainingResultIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    idempotency_key: str = Field(min_length=8, max_length=128)
    exercise: str = Field(min_length=1, max_length=200)
    score: JsonNumber = Field(ge=0, le=1e9)
    max_score: JsonNumber = Field(gt=0, le=1e9)
    passed: JsonBool
    details: dict[str, Any] = {}
    device_time: AwareDateTime

    @model_validator(mode="after")
    def _score_within_max(self) -> TrainingResultIn:
        if self.score > self.max_score:
            raise ValueError("score cannot exceed max_score")
        return self


class TrainingResultOut(BaseModel):
    id: int
    username: str
    exercise: str
    score: float
    max_score: float
    passed: JsonBool
    details: dict[str, Any]
    device_time: dt.datetime
    server_time: dt.datetime


class TrainingResultListOut(BaseModel):
    results: list[TrainingResultOut]
