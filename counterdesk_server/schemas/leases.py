"""Leases of official case numbers."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict, Field

from counterdesk_server.schemas.types import JsonInt


class LeaseIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    count: JsonInt = Field(ge=1, le=1000)
    device: str = Field(default="", max_length=200, description="the counter PC, for the record")


class LeaseOut(BaseModel):
    id: int
    year: int
    first: str
    last: str
    count: int
    numbers: list[str]
    issued_at: dt.datetime


class LeaseRecordOut(BaseModel):
    id: int
    username: str
    device: str
    year: int
    first: str
    last: str
    count: int
    issued_at: dt.datetime


class LeaseListOut(BaseModel):
    leases: list[LeaseRecordOut]
