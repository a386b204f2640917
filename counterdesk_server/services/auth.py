"""Signing in, staying signed in, signing out, and who a token belongs to.

A sign-in starts a refresh-token *family*. Each refresh uses the presented token up and
issues its successor; presenting a used token again means it was copied (or the counter
replayed an old one), so the whole family is revoked and that counter must sign in again.
A family never outlives ``session_max_age``. Access tokens are short and re-checked
against the user row on every request (see security/tokens.py).
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import CursorResult, select, update
from sqlalchemy.orm import Session

from counterdesk.domain.cases import Role
from counterdesk_server.context import ServerContext
from counterdesk_server.db.models import Centre, RefreshToken, User
from counterdesk_server.security.tokens import (
    AccessClaims,
    TokenError,
    issue_access_token,
    new_refresh_token,
    read_access_token,
    token_digest,
)
from counterdesk_server.services import audit
from counterdesk_server.services.audit import AuditEntry
from counterdesk_server.services.errors import Unauthorized
from counterdesk_server.services.roles import Principal

BAD_LOGIN = "用户名或密码错误 / wrong centre, username or password"


@dataclass(frozen=True)
class TokenPair:
    access_token: str
    access_expires_at: dt.datetime
    refresh_token: str
    refresh_expires_at: dt.datetime
    principal: Principal


def login(ctx: ServerContext, centre_code: str, username: str, password: str) -> TokenPair:
    now = ctx.clock.now()
    with ctx.db.writing() as session:
        row = session.execute(
            select(User, Centre)
            .join(Centre, Centre.id == User.centre_id)
            .where(Centre.code == centre_code, User.username == username)
        ).first()
        user, centre = (row[0], row[1]) if row else (None, None)
        # Always verify, so a missing user costs as much time as a wrong password.
        ok = ctx.passwords.verify(user.password_hash if user else None, password)
        if user is None or centre is None or not ok or not user.active:
            raise Unauthorized(BAD_LOGIN)
        principal = _principal(user, centre)
        family = str(uuid.uuid4())
        pair = _issue(
            ctx, session, principal, user, family, now, now + ctx.settings.session_max_age
        )
        audit.record(session, principal, AuditEntry("auth.login", now, detail={"family": family}))
    return pair


def refresh(ctx: ServerContext, token: str) -> TokenPair:
    now = ctx.clock.now()
    reused = False
    with ctx.db.writing() as session:
        stored = session.scalar(
            select(RefreshToken)
            .where(RefreshToken.token_hash == token_digest(token))
            .with_for_update()
        )
        if stored is None or stored.revoked_at is not None:
            raise Unauthorized("登录已失效，请重新登录 / this sign-in has ended; sign in again")
        # Claim the token atomically: of two refreshes racing with it, one wins.
        claimed = cast(
            CursorResult[Any],
            session.execute(
                update(RefreshToken)
                .where(RefreshToken.id == stored.id, RefreshToken.used_at.is_(None))
                .values(used_at=now)
            ),
        ).rowcount
        row = session.execute(
            select(User, Centre)
            .join(Centre, Centre.id == User.centre_id)
            .where(User.id == stored.user_id)
        ).one()
        user, centre = row[0], row[1]
        principal = _principal(user, centre)
        if claimed == 0:
            reused = True
            revoke_family(session, stored.family_id, now)
            audit.record(
                session,
                principal,
                AuditEntry("auth.refresh_reused", now, detail={"family": stored.family_id}),
            )
        elif now >= stored.expires_at or not user.active:
            raise Unauthorized("登录已过期，请重新登录 / this sign-in has expired; sign in again")
        else:
            pair = _issue(
                ctx, session, principal, user, stored.family_id, now, stored.session_expires_at
            )
    if reused:
        # Raised after the commit: the revocation must stick.
        raise Unauthorized(
            "刷新令牌已被使用，此次登录已注销 / refresh token already used: "
            "this sign-in has been revoked everywhere"
        )
    return pair


def logout(ctx: ServerContext, token: str) -> None:
    now = ctx.clock.now()
    with ctx.db.writing() as session:
        stored = session.scalar(
            select(RefreshToken).where(RefreshToken.token_hash == token_digest(token))
        )
        if stored is not None:
            revoke_family(session, stored.family_id, now)


def revoke_family(session: Session, family_id: str, now: dt.datetime) -> None:
    session.execute(
        update(RefreshToken)
        .where(RefreshToken.family_id == family_id, RefreshToken.revoked_at.is_(None))
        .values(revoked_at=now)
    )


def principal_from_token(ctx: ServerContext, token: str) -> Principal:
    """The user behind an access token, if the token is genuine, unexpired and still valid."""
    try:
        claims = read_access_token(ctx.settings.secret_key, token, ctx.clock.now())
    except TokenError as exc:
        raise Unauthorized(f"请重新登录 / {exc}") from exc
    # One indexed read of plain columns, on every request: no ORM objects to build.
    users_t, centres_t = User.__table__.c, Centre.__table__.c
    with ctx.db.single_read() as connection:
        row = connection.execute(
            select(
                users_t.username,
                users_t.role,
                users_t.active,
                users_t.token_generation,
                users_t.centre_id,
                centres_t.code,
            )
            .join_from(User.__table__, Centre.__table__, centres_t.id == users_t.centre_id)
            .where(users_t.id == claims.user_id)
        ).first()
    if row is None:
        raise Unauthorized("请重新登录 / unknown user")
    if (
        not row.active
        or row.token_generation != claims.generation
        or row.centre_id != claims.centre_id
        or row.role != claims.role
    ):
        raise Unauthorized("账号已停用或权限已变更 / account disabled or changed; sign in again")
    return Principal(claims.user_id, row.centre_id, row.code, row.username, Role(row.role))


def _principal(user: User, centre: Centre) -> Principal:
    return Principal(
        user_id=user.id,
        centre_id=centre.id,
        centre_code=centre.code,
        username=user.username,
        role=Role(user.role),
    )


def _issue(
    ctx: ServerContext,
    session: Session,
    principal: Principal,
    user: User,
    family: str,
    now: dt.datetime,
    session_expires_at: dt.datetime,
) -> TokenPair:
    settings = ctx.settings
    access_expires = min(now + settings.access_token_ttl, session_expires_at)
    access = issue_access_token(
        settings.secret_key,
        AccessClaims(user.id, user.centre_id, user.role, user.token_generation, access_expires),
        now,
    )
    refresh_token = new_refresh_token()
    refresh_expires = min(now + settings.refresh_token_ttl, session_expires_at)
    session.add(
        RefreshToken(
            token_hash=token_digest(refresh_token),
            family_id=family,
            user_id=user.id,
            issued_at=now,
            expires_at=refresh_expires,
            session_expires_at=session_expires_at,
        )
    )
    session.flush()
    return TokenPair(access, access_expires, refresh_token, refresh_expires, principal)
