"""Shapes shared by every resource: errors."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel


class ErrorOut(BaseModel):
    error: str
    detail: Any = None


class ConflictOut(ErrorOut):
    """A 409: the case as it is now, for the counter to merge with and retry."""

    case: dict[str, Any] | None = None


def errors(*codes: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI ``responses`` for these error statuses."""
    described = {
        400: "Malformed request",
        401: "Not signed in, or the token is no longer valid",
        403: "The signed-in role may not do this",
        404: "Not found in the caller's centre",
        409: "Conflict with the current state",
        413: "Too large",
        415: "Unsupported content type",
        422: "Invalid input",
    }
    return {
        code: {"model": ConflictOut if code == 409 else ErrorOut, "description": described[code]}
        for code in codes
    }


AUTHED = (401, 403, 422)
WITH_BODY = (400, 401, 403, 422)  # 400: a body that is not even text (not UTF-8)
