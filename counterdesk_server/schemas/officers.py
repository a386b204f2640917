"""The people of a centre, and the centre itself."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from counterdesk_server.schemas.types import JsonBool

UserRole = Literal["officer", "supervisor", "trainee", "admin"]


class CentreOut(BaseModel):
    code: str
    name: str


class OfficerOut(BaseModel):
    username: str
    display_name: str
    role: UserRole
    active: bool


class OfficerListOut(BaseModel):
    officers: list[OfficerOut]


class OfficerIn(BaseModel):
    username: str = Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
    password: str = Field(min_length=8, max_length=1024)
    role: UserRole
    display_name: str = Field(default="", max_length=200)


class OfficerPatch(BaseModel):
    active: JsonBool | None = None
    role: UserRole | None = None
    password: str | None = Field(default=None, min_length=8, max_length=1024)
    display_name: str | None = Field(default=None, max_length=200)
