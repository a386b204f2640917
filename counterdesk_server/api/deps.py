"""Dependencies: the server context, and the signed-in user behind a request."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from counterdesk_server.context import ServerContext
from counterdesk_server.services import auth
from counterdesk_server.services.errors import Unauthorized
from counterdesk_server.services.roles import Principal

bearer = HTTPBearer(auto_error=False, description="An access token from POST /auth/token")


async def get_context(request: Request) -> ServerContext:
    context: ServerContext = request.app.state.context
    return context


Ctx = Annotated[ServerContext, Depends(get_context)]


def current_principal(
    ctx: Ctx,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> Principal:
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise Unauthorized("请先登录 / sign in first: send Authorization: Bearer <access token>")
    return auth.principal_from_token(ctx, credentials.credentials)
