"""HTTP to the case server: TLS rules, the bearer token and its refresh, and every
failure turned into an error the counter can show.

- HTTPS with certificate verification always on; ``ca_bundle`` names the government
  network's own certificate authority. Plain HTTP only to this machine (127.0.0.1,
  localhost, ::1), or with ``allow_http`` and a standing warning.
- Requests carry the access token from the caller's ``TokenKeeper``. A 401 refreshes it
  once (the rotated pair is saved before it is used) and repeats the request; a refused
  refresh token is ``LoginRequired``, the only case in which the officer is asked to sign
  in again.
- A network failure is ``Unreachable``; a 5xx, a 429 or an answer that is not the API's
  JSON is ``ServerTrouble``; both are retried later with nothing dropped. An untrusted
  certificate is ``UntrustedServer`` with a message saying what to do.
- Tokens never reach a log: httpx logs URLs only, and no error message built here
  includes a header or a request body.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import ssl
import threading
from collections.abc import Callable, Mapping
from typing import Any

import httpx

from offline.sync.config import SyncConfig
from offline.sync.errors import (
    BadServerAddress,
    LoginRequired,
    ServerTrouble,
    Unreachable,
    UntrustedServer,
)
from offline.sync.tokens import TokenKeeper, Tokens

log = logging.getLogger(__name__)

LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})
REFRESH_MARGIN = dt.timedelta(seconds=60)  # refresh before expiry rather than after a 401
PLAIN_HTTP_WARNING = (
    "未加密连接 / plain HTTP to {host}: case data crosses the network unencrypted "
    "(allow_http is on); use an https:// server address"
)


def check_server_url(url: str, allow_http: bool) -> str:
    """Refuse an address the counter may not use; return a standing warning, if any."""
    try:
        parsed = httpx.URL(url)
    except (httpx.InvalidURL, TypeError) as exc:
        raise BadServerAddress(f"server_url {url!r} is not a URL: {exc}") from exc
    if parsed.scheme == "https" and parsed.host:
        return ""
    if parsed.scheme != "http" or not parsed.host:
        raise BadServerAddress(
            f"server_url {url!r} must start with https:// (or http:// for this machine only)"
        )
    if parsed.host in LOCAL_HOSTS:
        return ""
    if not allow_http:
        raise BadServerAddress(
            f"server_url {url!r} uses plain HTTP to another machine: use https://, or set "
            "allow_http = true in config.toml if the network really has no TLS (not advised)"
        )
    warning = PLAIN_HTTP_WARNING.format(host=parsed.host)
    log.warning("%s", warning)
    return warning


def tls_context(ca_bundle: str = "") -> ssl.SSLContext:
    """Verification on, always; with ``ca_bundle`` only that authority is trusted."""
    try:
        return ssl.create_default_context(cafile=ca_bundle or None)
    except (OSError, ssl.SSLError) as exc:
        raise BadServerAddress(f"ca_bundle {ca_bundle!r} cannot be read: {exc}") from exc


def _untrusted_reason(exc: BaseException) -> str | None:
    """The certificate problem behind a connection failure, if that is what it was."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, ssl.SSLCertVerificationError):
            return current.verify_message or str(current)
        if isinstance(current, ssl.SSLError):
            return str(current)
        current = current.__cause__ or current.__context__
    text = str(exc)
    return text if "CERTIFICATE_VERIFY_FAILED" in text else None


def untrusted_message(url: str, reason: str) -> str:
    return (
        f"服务器证书不受信任 / the server's certificate is not trusted ({reason}) at {url}: "
        "if the centre uses its own certificate authority, set ca_bundle in config.toml to "
        "its CA bundle; otherwise tell the administrator (the connection may be intercepted)"
    )


class Transport:
    """One HTTP client for one server and one sign-in. Thread-safe."""

    def __init__(
        self,
        config: SyncConfig,
        keeper: TokenKeeper,
        now: Callable[[], dt.datetime],
    ) -> None:
        self.warning = check_server_url(config.server_url, config.allow_http)
        self.url = config.server_url.rstrip("/")
        self._keeper = keeper
        self._now = now
        self._refresh_lock = threading.Lock()
        verify: ssl.SSLContext | bool = tls_context(config.ca_bundle)
        timeout = httpx.Timeout(config.timeout, connect=config.connect_timeout)
        self._client = httpx.Client(base_url=self.url, verify=verify, timeout=timeout)

    def close(self) -> None:
        self._client.close()

    # Signing in

    @property
    def tokens(self) -> Tokens | None:
        return self._keeper.load()

    def sign_in(self, centre: str, username: str, password: str) -> Tokens:
        """Sign in with a password (the login screen); the tokens go to the keeper."""
        body = {"centre": centre, "username": username, "password": password}
        answer = self._send("POST", "/auth/token", body=body, token=None)
        if answer.status_code in (400, 401, 422):
            raise LoginRequired(self.error_text(answer))
        tokens = Tokens.from_answer(self.expect_json(answer, "access_token"), self._now())
        self._keeper.save(tokens)
        return tokens

    def ensure_fresh(self) -> Tokens:
        """The sign-in to use now, refreshed first when its access token is about to end."""
        tokens = self._keeper.load()
        if tokens is None:
            raise LoginRequired("请登录 / sign in to sync with the server")
        if tokens.expires_within(self._now(), REFRESH_MARGIN):
            tokens = self.refresh(tokens.access_token)
        return tokens

    def refresh(self, stale_access_token: str) -> Tokens:
        """Trade the refresh token for a new pair, saved before it is returned.

        ``stale_access_token`` is the one that failed: when another thread already
        refreshed, its pair is used instead of spending the new refresh token again.
        """
        with self._refresh_lock:
            tokens = self._keeper.load()
            if tokens is None:
                raise LoginRequired("请登录 / sign in to sync with the server")
            if tokens.access_token != stale_access_token:
                return tokens
            answer = self._send(
                "POST", "/auth/refresh", body={"refresh_token": tokens.refresh_token}, token=None
            )
            if answer.status_code in (400, 401, 403, 422):
                raise LoginRequired(self.error_text(answer))
            fresh = Tokens.from_answer(self.expect_json(answer, "access_token"), self._now())
            self._keeper.save(fresh)  # the old refresh token is spent: keep the new one first
            log.info("sign-in refreshed for %s", fresh.username)
            return fresh

    # Requests

    def call(
        self,
        method: str,
        path: str,
        *,
        body: Any = None,
        content: bytes | None = None,
        params: Mapping[str, Any] | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> httpx.Response:
        """An authenticated request; 401 refreshes once. Returns any answer below 500 that
        is not a 401; raises Unreachable, ServerTrouble, UntrustedServer, LoginRequired."""
        tokens = self.ensure_fresh()
        answer = self._send(method, path, body, content, params, headers, tokens.access_token)
        if answer.status_code == 401:
            tokens = self.refresh(tokens.access_token)
            answer = self._send(method, path, body, content, params, headers, tokens.access_token)
            if answer.status_code == 401:
                raise LoginRequired(self.error_text(answer))
        return answer

    def _send(
        self,
        method: str,
        path: str,
        body: Any = None,
        content: bytes | None = None,
        params: Mapping[str, Any] | None = None,
        headers: Mapping[str, str] | None = None,
        token: str | None = None,
    ) -> httpx.Response:
        sent_headers = dict(headers or {})
        if token is not None:
            sent_headers["Authorization"] = f"Bearer {token}"
        if body is not None:
            # Compact UTF-8: Chinese text as itself, not six-byte escapes.
            content = json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()
            sent_headers["Content-Type"] = "application/json"
        try:
            answer = self._client.request(
                method, path, content=content, params=params, headers=sent_headers
            )
        except httpx.TransportError as exc:
            reason = _untrusted_reason(exc) if isinstance(exc, httpx.ConnectError) else None
            if reason is not None:
                raise UntrustedServer(untrusted_message(self.url, reason)) from None
            raise Unreachable(self._network_text(exc)) from None
        if answer.status_code >= 500 or answer.status_code == 429:
            raise ServerTrouble(
                f"服务器出错 / the server answered {answer.status_code} to {method} {path}: "
                f"{self.error_text(answer)}"
            )
        return answer

    def _network_text(self, exc: httpx.TransportError) -> str:
        kind = (
            "timed out"
            if isinstance(exc, httpx.TimeoutException)
            else "refused or unreachable"
            if isinstance(exc, httpx.ConnectError)
            else "cut off"
        )
        detail = str(exc) or type(exc).__name__
        return f"无法连接服务器 / cannot reach the server at {self.url} ({kind}: {detail})"

    # Reading answers

    @staticmethod
    def expect_json(answer: httpx.Response, *keys: str) -> Any:
        """The answer's JSON object with ``keys``, or ServerTrouble: something that is not
        the API answered (a proxy, a captive portal, a broken server)."""
        try:
            data = answer.json()
        except (json.JSONDecodeError, UnicodeDecodeError):
            data = None
        if not isinstance(data, dict) or any(key not in data for key in keys):
            kind = answer.headers.get("content-type", "no content type")
            start = answer.text[:60].replace("\n", " ")
            raise ServerTrouble(
                f"服务器回答无法识别 / the server's answer to {answer.request.method} "
                f"{answer.request.url.path} is not the API's ({answer.status_code}, {kind}, "
                f"starts {start!r})"
            )
        return data

    @staticmethod
    def error_text(answer: httpx.Response) -> str:
        """The server's own error message, else the status line."""
        try:
            data = answer.json()
        except (json.JSONDecodeError, UnicodeDecodeError):
            data = None
        if isinstance(data, dict) and isinstance(data.get("error"), str):
            return str(data["error"])
        return f"HTTP {answer.status_code} {answer.reason_phrase}".strip()
