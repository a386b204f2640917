"""Signing in (``POST /auth/token``), refreshing, signing out, and who am I."""

from __future__ import annotations

from fastapi import APIRouter, status

from counterdesk_server.api.access import Anyone, AnyUser
from counterdesk_server.api.deps import Ctx
from counterdesk_server.schemas.auth import LoginIn, MeOut, RefreshIn, TokenOut
from counterdesk_server.schemas.common import errors
from counterdesk_server.services import auth
from counterdesk_server.services.auth import TokenPair
from counterdesk_server.services.roles import Principal

router = APIRouter(prefix="/auth", tags=["auth"])


def _tokens(ctx: Ctx, pair: TokenPair) -> TokenOut:
    now = ctx.clock.now()
    return TokenOut(
        access_token=pair.access_token,
        expires_in=max(0, int((pair.access_expires_at - now).total_seconds())),
        refresh_token=pair.refresh_token,
        refresh_expires_in=max(0, int((pair.refresh_expires_at - now).total_seconds())),
        user=_me(pair.principal),
    )


def _me(principal: Principal) -> MeOut:
    return MeOut(
        username=principal.username, role=principal.role.value, centre=principal.centre_code
    )


@router.post("/token", response_model=TokenOut, responses=errors(400, 401, 422))
def sign_in(body: LoginIn, ctx: Ctx, _: Anyone) -> TokenOut:
    """Sign in with centre, username and password; returns access and refresh tokens."""
    return _tokens(ctx, auth.login(ctx, body.centre, body.username, body.password))


@router.post("/refresh", response_model=TokenOut, responses=errors(400, 401, 422))
def refresh(body: RefreshIn, ctx: Ctx, _: Anyone) -> TokenOut:
    """Trade a refresh token for new tokens. Each refresh token works once: using one
    again revokes the whole sign-in."""
    return _tokens(ctx, auth.refresh(ctx, body.refresh_token))


@router.post("/logout", status_code=status.HTTP_204_NO_CONTENT, responses=errors(400, 422))
def sign_out(body: RefreshIn, ctx: Ctx, _: Anyone) -> None:
    """End the sign-in the refresh token belongs to (unknown tokens are ignored)."""
    auth.logout(ctx, body.refresh_token)


@router.get("/me", response_model=MeOut, responses=errors(401, 403))
def me(principal: AnyUser) -> MeOut:
    return _me(principal)
