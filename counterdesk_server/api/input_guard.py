"""Checks every request passes before its route runs, whatever the route.

- Unknown query parameters are refused with a 422 naming them, so that a typo such as
  ``/changes?sinse=500`` is an error instead of quietly answering as if no cursor was
  given (which would send a counter the whole feed again).
- A parameter that takes one value and is given twice (``?assignee=a&assignee=b``) is
  refused with a 422 too: answering for one of them would be a guess.
- Text with a NUL character, or a JSON string with half of a UTF-16 surrogate pair, is
  refused with a 422: PostgreSQL cannot store the first, UTF-8 cannot encode the second,
  and either would otherwise fail deep inside a write as a 500.
"""

from __future__ import annotations

import re
import types
from typing import Any, NamedTuple, Union, get_args, get_origin

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


class _QueryNames(NamedTuple):
    known: frozenset[str]
    single: frozenset[str]  # those that take one value


_by_route: dict[int, _QueryNames] = {}


async def check_input(request: Request) -> None:
    route = request.scope.get("route")
    given = request.query_params.multi_items()
    if given and isinstance(route, APIRoute):
        names = _by_route.get(id(route))
        if names is None:
            names = _by_route[id(route)] = _query_names(route)
        unknown = sorted({name for name, _ in given} - names.known)
        if unknown:
            listed = ", ".join(repr(name) for name in unknown)
            raise Invalid(
                f"unknown query parameter(s) {listed}; this route takes "
                f"{', '.join(sorted(names.known)) or 'none'}"
            )
        repeated = sorted(
            name for name in names.single if len(request.query_params.getlist(name)) > 1
        )
        if repeated:
            listed = ", ".join(repr(name) for name in repeated)
            raise Invalid(f"query parameter(s) {listed} given more than once; give one value")
    values = [value for _, value in given] + [str(v) for v in request.path_params.values()]
    if any("\x00" in value for value in values):
        raise Invalid("a NUL character is not allowed in the path or query")
    if request.headers.get("content-type", "").startswith("application/json"):
        body = await request.body()  # cached: the route reads the same bytes
        if _NUL.search(body):
            raise Invalid("a NUL character (\\u0000) is not allowed in text")
        if _LONE_SURROGATE.search(body):
            raise Invalid("invalid text: a lone UTF-16 surrogate (\\ud800-\\udfff)")


def _query_names(route: APIRoute) -> _QueryNames:
    """Every query parameter the route or any of its dependencies declares, and which of
    them take a single value."""
    known: set[str] = set()
    single: set[str] = set()
    pending = [route.dependant]
    while pending:
        dependant = pending.pop()
        for param in dependant.query_params:
            known.add(param.alias)
            if not _takes_many(param.field_info.annotation):
                single.add(param.alias)
        pending.extend(dependant.dependencies)
    return _QueryNames(frozenset(known), frozenset(single))


def _takes_many(annotation: Any) -> bool:
    """Whether a parameter's type is a list (or set, tuple), perhaps optional."""
    origin = get_origin(annotation) or annotation
    if origin in (list, set, frozenset, tuple):
        return True
    if origin in (Union, types.UnionType):
        return any(_takes_many(arg) for arg in get_args(annotation))
    return False
