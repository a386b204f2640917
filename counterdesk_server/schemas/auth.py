"""Sign-in, refresh and the signed-in user."""

from __future__ import annotations

from pydantic import BaseModel, Field


class LoginIn(BaseModel):
    centre: str = Field(min_length=1, max_length=32, examples=["JX-NANHU"])
    username: str = Field(min_length=1, max_length=64)
    password: str = Field(min_length=1, max_length=1024)


class RefreshIn(BaseModel):
    refresh_token: str = Field(min_length=1, max_length=200)


class MeOut(BaseModel):
    username: str
    role: str
    centre: str


class TokenOut(BaseModel):
    access_token: str
    token_type: str = "bearer"
    expires_in: int  # seconds
    refresh_token: str
    refresh_expires_in: int  # seconds
    user: MeOut
