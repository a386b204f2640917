"""Who may call what: each route names its rule, and the server checks it per request.

A route depends on exactly one rule (``Allow(...)`` or ``PUBLIC``); the role x endpoint
test reads the application's route table and fails for a route without one. Trainees only
ever reach the ``/training`` routes, which only ever touch training cases; the live case
routes refuse them, whatever they send.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated

from fastapi import Depends
from fastapi.routing import APIRoute, iter_route_contexts
from starlette.routing import BaseRoute

from counterdesk.domain.cases import Role
from counterdesk_server.api.deps import current_principal
from counterdesk_server.services.errors import Forbidden
from counterdesk_server.services.roles import Principal


class Allow:
    """A dependency admitting the signed-in users whose role is listed."""

    def __init__(self, *roles: Role) -> None:
        self.roles = frozenset(roles)

    # async: a check this small is not worth a hop through the thread pool.
    async def __call__(
        self, principal: Annotated[Principal, Depends(current_principal)]
    ) -> Principal:
        if principal.role not in self.roles:
            allowed = ", ".join(sorted(r.value for r in self.roles))
            raise Forbidden(
                f"无权访问 / role {principal.role.value} may not do this (allowed: {allowed})"
            )
        return principal

    def __repr__(self) -> str:
        return f"Allow({', '.join(sorted(r.value for r in self.roles))})"


class Public:
    """The rule for routes anyone may call (sign-in, health)."""

    roles = frozenset(Role)

    async def __call__(self) -> None:
        return None

    def __repr__(self) -> str:
        return "PUBLIC"


PUBLIC = Public()
OFF, SUP, TRA, ADM = Role.OFFICER, Role.SUPERVISOR, Role.TRAINEE, Role.ADMIN

ANY_USER = Allow(OFF, SUP, TRA, ADM)
LIVE_READ = Allow(OFF, SUP, ADM)  # live cases, their feed, colleagues
LIVE_WRITE = Allow(OFF, SUP)  # counter work on live cases
LIVE_TRANSITION = Allow(OFF, SUP, ADM)  # the state machine then decides per move and role
SUPERVISION = Allow(SUP, ADM)  # reassignment, audit, statistics, downloads
ADMIN_ONLY = Allow(ADM)
TRAINING = Allow(OFF, SUP, TRA)  # practice: trainees, and colleagues who train them
TRAINING_REVIEW = Allow(OFF, SUP, TRA, ADM)

AnyUser = Annotated[Principal, Depends(ANY_USER)]
LiveReader = Annotated[Principal, Depends(LIVE_READ)]
LiveWriter = Annotated[Principal, Depends(LIVE_WRITE)]
LiveTransitioner = Annotated[Principal, Depends(LIVE_TRANSITION)]
Supervisor = Annotated[Principal, Depends(SUPERVISION)]
Admin = Annotated[Principal, Depends(ADMIN_ONLY)]
Trainee = Annotated[Principal, Depends(TRAINING)]
TrainingReviewer = Annotated[Principal, Depends(TRAINING_REVIEW)]
Anyone = Annotated[None, Depends(PUBLIC)]


def rules_of(route: APIRoute) -> list[Allow | Public]:
    """The access rules a route depends on, found anywhere in its dependency tree."""
    found: list[Allow | Public] = []
    pending = list(route.dependant.dependencies)
    while pending:
        dependant = pending.pop()
        if isinstance(dependant.call, Allow | Public):
            found.append(dependant.call)
        pending.extend(dependant.dependencies)
    return found


def api_routes(routes: Sequence[BaseRoute]) -> list[APIRoute]:
    """Every API route, including those of included routers (the application's table)."""
    return [
        rc.original_route
        for rc in iter_route_contexts(routes)
        if isinstance(rc.original_route, APIRoute)
    ]


def check_every_route_has_a_rule(routes: Sequence[BaseRoute]) -> None:
    """Refuse to build an application with a route that names no rule, or several."""
    for route in api_routes(routes):
        if len(rules_of(route)) != 1:
            raise RuntimeError(
                f"{sorted(route.methods or ())} {route.path} must depend on exactly one access rule "
                f"(Allow(...) or PUBLIC); found {rules_of(route)}"
            )
