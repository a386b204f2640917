"""Access tokens (short-lived JWTs) and refresh tokens (opaque, stored hashed).

Access tokens are HS256 JWTs naming the user, the centre, the role and the user's token
generation; every request also looks the user up (one primary-key read), so disabling a
user or changing their role stops their tokens at once. Expiry is checked against the
server's injectable clock, not the wall clock, so tests move time instead of sleeping.
Refresh tokens are random strings; only their SHA-256 is stored (services/sessions.py).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass

import jwt

ALGORITHM = "HS256"
ISSUER = "counterdesk-server"


class TokenError(ValueError):
    """A token that is malformed, forged or expired."""


@dataclass(frozen=True)
class AccessClaims:
    user_id: int
    centre_id: int
    role: str
    generation: int
    expires_at: dt.datetime


def issue_access_token(secret: str, claims: AccessClaims, issued_at: dt.datetime) -> str:
    payload = {
        "iss": ISSUER,
        "typ": "access",
        "sub": str(claims.user_id),
        "cen": claims.centre_id,
        "rol": claims.role,
        "gen": claims.generation,
        "iat": int(issued_at.timestamp()),
        "exp": int(claims.expires_at.timestamp()),
    }
    return jwt.encode(payload, secret, algorithm=ALGORITHM)


def read_access_token(secret: str, token: str, now: dt.datetime) -> AccessClaims:
    try:
        payload = jwt.decode(
            token,
            secret,
            algorithms=[ALGORITHM],
            issuer=ISSUER,
            # Time claims are judged below against the injected clock, not the wall clock.
            options={
                "verify_exp": False,
                "verify_iat": False,
                "verify_nbf": False,
                "require": ["exp", "sub", "iss"],
            },
        )
    except jwt.PyJWTError as exc:
        raise TokenError(f"invalid access token: {exc}") from exc
    try:
        if payload.get("typ") != "access":
            raise TokenError("not an access token")
        expires_at = dt.datetime.fromtimestamp(int(payload["exp"]), dt.UTC)
        claims = AccessClaims(
            user_id=int(payload["sub"]),
            centre_id=int(payload["cen"]),
            role=str(payload["rol"]),
            generation=int(payload["gen"]),
            expires_at=expires_at,
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise TokenError("invalid access token claims") from exc
    if now >= expires_at:
        raise TokenError("access token expired")
    return claims


def new_refresh_token() -> str:
    return secrets.token_urlsafe(32)


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()
