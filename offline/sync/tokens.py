"""The sign-in the engine syncs with: access and refresh tokens, kept by the caller.

The engine never stores a token itself: the caller hands it a ``TokenKeeper`` (the
counter's is the OS keyring, through counterdesk/credentials.py) and the engine saves each
rotated pair there *before* using it, because the server accepts a refresh token only
once. Tokens never appear in a repr, a log line or an error message.
"""

from __future__ import annotations

import datetime as dt
import threading
from dataclasses import dataclass, field
from typing import Any, Protocol


@dataclass(frozen=True)
class Tokens:
    access_token: str = field(repr=False)
    refresh_token: str = field(repr=False)
    access_expires_at: dt.datetime | None = None  # device time, from the server's expires_in
    username: str = ""
    role: str = ""
    centre: str = ""

    @classmethod
    def from_answer(cls, answer: dict[str, Any], now: dt.datetime) -> Tokens:
        """Tokens from the server's ``/auth/token`` or ``/auth/refresh`` answer."""
        user = answer.get("user") or {}
        expires_in = answer.get("expires_in")
        expires = now + dt.timedelta(seconds=int(expires_in)) if expires_in is not None else None
        return cls(
            access_token=str(answer["access_token"]),
            refresh_token=str(answer["refresh_token"]),
            access_expires_at=expires,
            username=str(user.get("username", "")),
            role=str(user.get("role", "")),
            centre=str(user.get("centre", "")),
        )

    def to_json(self) -> dict[str, str]:
        return {
            "access_token": self.access_token,
            "refresh_token": self.refresh_token,
            "access_expires_at": self.access_expires_at.isoformat()
            if self.access_expires_at
            else "",
            "username": self.username,
            "role": self.role,
            "centre": self.centre,
        }

    @classmethod
    def from_json(cls, data: dict[str, str]) -> Tokens:
        expires = data.get("access_expires_at") or ""
        return cls(
            access_token=data["access_token"],
            refresh_token=data["refresh_token"],
            access_expires_at=dt.datetime.fromisoformat(expires) if expires else None,
            username=data.get("username", ""),
            role=data.get("role", ""),
            centre=data.get("centre", ""),
        )

    def expires_within(self, now: dt.datetime, margin: dt.timedelta) -> bool:
        return self.access_expires_at is not None and now + margin >= self.access_expires_at


class TokenKeeper(Protocol):
    """Where the caller keeps the sign-in (a keyring); ``save(None)`` forgets it."""

    def load(self) -> Tokens | None: ...

    def save(self, tokens: Tokens | None) -> None: ...


class MemoryTokens:
    """A keeper in memory: for tests, the bench and short-lived tools."""

    def __init__(self, tokens: Tokens | None = None) -> None:
        self._lock = threading.Lock()
        self._tokens = tokens

    def load(self) -> Tokens | None:
        with self._lock:
            return self._tokens

    def save(self, tokens: Tokens | None) -> None:
        with self._lock:
            self._tokens = tokens
