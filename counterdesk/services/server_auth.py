"""Signing in at the case server: ``POST /auth/token`` and nothing else.

The sync engine (``offline/``) will own the rest of the conversation with the server; the
counter needs this one call before any sync can start, to turn a password into tokens.
Errors come back as two kinds the sign-in screen treats differently: the server could not
be reached (sign in offline against the local verifier), or it refused (say why).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import httpx

from counterdesk.i18n import _

TIMEOUT_S = 5.0


class ServerUnreachable(RuntimeError):
    """No answer from the server (network down, server down, TLS failure)."""


class SignInRefused(RuntimeError):
    """The server answered no: wrong centre, name or password, or an inactive account."""


@dataclass(frozen=True)
class ServerSignIn:
    # access_token, refresh_token, access_expires_at, username, role, centre: the keyring
    # entry the sync engine reads (offline.sync.Tokens.to_json), kept nowhere else.
    tokens: dict[str, str]
    username: str
    role: str
    centre: str


def sign_in(
    server_url: str,
    centre: str,
    username: str,
    password: str,
    *,
    verify: bool | str = True,
    transport: httpx.BaseTransport | None = None,
) -> ServerSignIn:
    url = server_url.rstrip("/") + "/auth/token"
    body = {"centre": centre, "username": username, "password": password}
    try:
        with httpx.Client(timeout=TIMEOUT_S, verify=verify, transport=transport) as client:
            response = client.post(url, json=body)
    except httpx.HTTPError as exc:
        raise ServerUnreachable(
            _("The server cannot be reached ({error}).").format(error=type(exc).__name__)
        ) from exc
    if response.status_code in (400, 401, 403, 422):
        raise SignInRefused(_server_reason(response))
    if response.status_code >= 300:
        raise ServerUnreachable(
            _("The server answered with an error ({status}).").format(status=response.status_code)
        )
    data: dict[str, Any] = response.json()
    user = data.get("user") or {}
    expires_in = data.get("expires_in")
    expires = (
        (dt.datetime.now(dt.UTC) + dt.timedelta(seconds=int(expires_in))).isoformat()
        if expires_in is not None
        else ""
    )
    signed_in = ServerSignIn(
        tokens={},
        username=str(user.get("username") or username),
        role=str(user.get("role") or "officer"),
        centre=str(user.get("centre") or centre),
    )
    signed_in.tokens.update(
        access_token=str(data["access_token"]),
        refresh_token=str(data["refresh_token"]),
        access_expires_at=expires,
        username=signed_in.username,
        role=signed_in.role,
        centre=signed_in.centre,
    )
    return signed_in


def _server_reason(response: httpx.Response) -> str:
    try:
        data = response.json()
    except ValueError:
        data = {}
    detail = data.get("detail") if isinstance(data, dict) else None
    if response.status_code == 401 or not isinstance(detail, str):
        return _("Wrong centre, name or password.")
    return detail
