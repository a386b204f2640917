"""Failures a use case reports, each with the HTTP status the API answers it with.

Services raise these instead of HTTP exceptions so that the CLI can use the same services
and print the same messages. Messages are meant for people: Chinese first where an
officer will read them, then English.
"""

from __future__ import annotations

from typing import Any


class ServiceError(Exception):
    status = 400

    def __init__(self, message: str, detail: Any = None, **extra: Any) -> None:
        super().__init__(message)
        self.message = message
        self.detail = detail
        self.extra = extra

    def body(self) -> dict[str, Any]:
        return {"error": self.message, "detail": self.detail, **self.extra}


class Unauthorized(ServiceError):
    status = 401


class Forbidden(ServiceError):
    status = 403


class NotFound(ServiceError):
    status = 404


class Conflict(ServiceError):
    status = 409


class TooLarge(ServiceError):
    status = 413


class UnsupportedType(ServiceError):
    status = 415


class Invalid(ServiceError):
    status = 422
