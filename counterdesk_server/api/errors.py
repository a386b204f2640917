"""Every error is JSON with a clear message: ``{"error": "...", "detail": ...}``.

Bad input is always a 4xx: validation errors become 422 with the path of each problem,
service failures carry their own status, and anything unexpected is logged and answered
with a 500 that reveals nothing.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from counterdesk_server.services.errors import ServiceError, Unauthorized

log = logging.getLogger("counterdesk_server")


def install(app: FastAPI) -> None:
    app.add_exception_handler(ServiceError, _service_error)  # type: ignore[arg-type]
    app.add_exception_handler(RequestValidationError, _validation_error)  # type: ignore[arg-type]
    app.add_exception_handler(StarletteHTTPException, _http_error)  # type: ignore[arg-type]
    app.add_exception_handler(Exception, _unexpected)


def _service_error(_request: Request, exc: ServiceError) -> JSONResponse:
    headers = {"WWW-Authenticate": "Bearer"} if isinstance(exc, Unauthorized) else None
    return JSONResponse(exc.body(), status_code=exc.status, headers=headers)


def _validation_error(_request: Request, exc: RequestValidationError) -> JSONResponse:
    problems = [_problem(err) for err in exc.errors()]
    first = problems[0] if problems else {"path": "", "message": "invalid request"}
    message = f"invalid request: {first['path']}: {first['message']}".replace(": : ", ": ")
    return JSONResponse({"error": message, "detail": problems}, status_code=422)


def _problem(err: Any) -> dict[str, str]:
    location = [str(part) for part in err.get("loc", ())]
    path = ".".join(location)
    return {
        "path": path,
        "message": str(err.get("msg", "invalid")),
        "type": str(err.get("type", "")),
    }


def _http_error(_request: Request, exc: StarletteHTTPException) -> JSONResponse:
    message = exc.detail if isinstance(exc.detail, str) else "request failed"
    return JSONResponse(
        {"error": message, "detail": None},
        status_code=exc.status_code,
        headers=getattr(exc, "headers", None),
    )


def _unexpected(request: Request, exc: Exception) -> JSONResponse:
    log.exception("unexpected error on %s %s", request.method, request.url.path, exc_info=exc)
    return JSONResponse({"error": "internal server error", "detail": None}, status_code=500)
