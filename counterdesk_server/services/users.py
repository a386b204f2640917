"""People of a centre: adding them, listing them, disabling them.

Disabling a user, or changing their role, bumps their token generation: every access
token they hold stops working on its next request, and their refresh tokens are revoked.
"""

from __future__ import annotations

import datetime as dt
import re

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from counterdesk.domain.cases import Role
from counterdesk_server.db.models import RefreshToken, User
from counterdesk_server.security.passwords import PasswordPolicyError, Passwords
from counterdesk_server.services.errors import Conflict, Invalid, NotFound

USERNAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")


def add_user(
    session: Session,
    passwords: Passwords,
    centre_id: int,
    username: str,
    role: Role,
    password: str,
    now: dt.datetime,
    display_name: str = "",
) -> User:
    if not USERNAME.fullmatch(username):
        raise Invalid(
            f"username {username!r} must be 1-64 letters, digits, dots, dashes or underscores"
        )
    existing = session.scalar(
        select(User.id).where(User.centre_id == centre_id, User.username == username)
    )
    if existing is not None:
        raise Conflict(f"user {username} already exists in this centre")
    try:
        hashed = passwords.hash(password)
    except PasswordPolicyError as exc:
        raise Invalid(str(exc)) from exc
    user = User(
        centre_id=centre_id,
        username=username,
        display_name=display_name or username,
        role=role.value,
        password_hash=hashed,
        active=True,
        token_generation=0,
        created_at=now,
        updated_at=now,
    )
    session.add(user)
    session.flush()
    return user


def list_users(session: Session, centre_id: int) -> list[User]:
    return list(
        session.scalars(select(User).where(User.centre_id == centre_id).order_by(User.username))
    )


def user_by_name(session: Session, centre_id: int, username: str) -> User:
    user = session.scalar(
        select(User).where(User.centre_id == centre_id, User.username == username)
    )
    if user is None:
        raise NotFound(f"no user {username} in this centre")
    return user


def change_user(
    session: Session,
    passwords: Passwords,
    user: User,
    now: dt.datetime,
    *,
    active: bool | None = None,
    role: Role | None = None,
    password: str | None = None,
    display_name: str | None = None,
) -> User:
    """Apply the given changes; any change to access signs the user out everywhere."""
    cuts_access = False
    if active is not None and active != user.active:
        user.active = active
        cuts_access = cuts_access or not active
    if role is not None and role.value != user.role:
        user.role = role.value
        cuts_access = True
    if password is not None:
        try:
            user.password_hash = passwords.hash(password)
        except PasswordPolicyError as exc:
            raise Invalid(str(exc)) from exc
        cuts_access = True
    if display_name is not None:
        user.display_name = display_name
    if cuts_access:
        user.token_generation += 1
        session.execute(
            update(RefreshToken)
            .where(RefreshToken.user_id == user.id, RefreshToken.revoked_at.is_(None))
            .values(revoked_at=now)
        )
    user.updated_at = now
    session.flush()
    return user


def active_usernames(session: Session, centre_id: int, roles: frozenset[Role]) -> set[str]:
    rows = session.execute(
        select(User.username).where(
            User.centre_id == centre_id,
            User.active.is_(True),
            User.role.in_([r.value for r in roles]),
        )
    )
    return {name for (name,) in rows}
