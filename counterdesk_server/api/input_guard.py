"""Checks every request passes before its route runs, whatever the route.

- Unknown query parameters are refused with a 422 naming them, so that a typo such as
  ``/changes?sinse=500`` is an error instead of quietly answering as if no cursor was
  given (which would send a counter the whole feed again).
- Text with a NUL character, or a JSON string with half of a UTF-16 surrogate pair, is
  refused with a 422: PostgreSQL cannot store the first, UTF-8 cannot encode the second,
  and either would otherwise fail deep inside a write as a 500.
"""

from __future__ import annotations

import re

from fastapi import Request
from fastapi.routing import APIRoute

from counterdesk_server.services.errors import Invalid

# A JSON escape counts only after an even number of backslashes (else it is literal text).
_ESCAPE = rb"(?<!\\)(?:\\\\)*"
_NUL = re.compile(_ESCAPE + rb"\\u0000")
_HIGH = rb"\\u[dD][89abAB][0-9a-fA-F]{2}"
_LOW = rb"\\u[dD][c-fC-F][0-9a-fA-F]{2}"
_LONE_SURROGATE = re.compile(
    _ESCAPE + _HIGH + rb"(?!" + _LOW + rb")|(?<!" + _HIGH + rb")" + _ESCAPE + _LOW
)

_known: dict[int, frozenset[str]] = {}


async def check_input(request: Request) -> None:
    route = request.scope.get("route")
    if request.query_params and isinstance(route, APIRoute):
        known = _known.get(id(route))
        if known is None:
            known = _known[id(route)] = _query_names(route)
        unknown = sorted(set(request.query_params.keys()) - known)
        if unknown:
            listed = ", ".join(repr(name) for name in unknown)
            raise Invalid(
                f"unknown query parameter(s) {listed}; this route takes "
                f"{', '.join(sorted(known)) or 'none'}"
            )
    values = [*request.query_params.values(), *map(str, request.path_params.values())]
    if any("\x00" in value for value in values):
        raise Invalid("a NUL character is not allowed in the path or query")
    if request.headers.get("content-type", "").startswith("application/json"):
        body = await request.body()  # cached: the route reads the same bytes
        if _NUL.search(body):
            raise Invalid("a NUL character (\\u0000) is not allowed in text")
        if _LONE_SURROGATE.search(body):
            raise Invalid("invalid text: a lone UTF-16 surrogate (\\ud800-\\udfff)")


def _query_names(route: APIRoute) -> frozenset[str]:
    """Every query parameter the route or any of its dependencies declares."""
    names: set[str] = set()
    pending = [route.dependant]
    while pending:
        dependant = pending.pop()
        names.update(param.alias for param in dependant.query_params)
        pending.extend(dependant.dependencies)
    return frozenset(names)
