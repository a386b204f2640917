"""The server's settings, read from ``COUNTERDESK_SERVER_*`` environment variables.

Built once by whoever starts the server (the CLI, a test, the bench) and handed to
``create_app``; nothing is read at import time. The signing key is a secret: it comes from
the environment, or is generated once and kept in the data folder (mode 0600), so that a
restart does not sign every counter out. Several servers behind a load balancer must share
one key through the environment.
"""

from __future__ import annotations

import datetime as dt
import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import platformdirs

ENV_PREFIX = "COUNTERDESK_SERVER_"
APP_NAME = "counterdesk-server"
SQLITE_FILE = "counterdesk-server.sqlite3"
SECRET_FILE = "secret-key"


class SettingsError(ValueError):
    """A setting that cannot be used; names the variable and says why."""


@dataclass(frozen=True)
class ServerSettings:
    database_url: str
    secret_key: str = field(repr=False)
    data_dir: Path
    access_token_ttl: dt.timedelta = dt.timedelta(minutes=15)
    # A counter stays signed in through a shift by rotating its refresh token...
    refresh_token_ttl: dt.timedelta = dt.timedelta(hours=12)
    # ...but one sign-in never lasts longer than this, however often it is refreshed.
    session_max_age: dt.timedelta = dt.timedelta(hours=24)
    attachment_max_bytes: int = 20 * 1024 * 1024
    attachment_chunk_max_bytes: int = 4 * 1024 * 1024
    # argon2id cost; the defaults are argon2-cffi's (RFC 9106 low-memory profile).
    argon2_time_cost: int = 3
    argon2_memory_kib: int = 65536
    warning_days: int = 1

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")


def default_data_dir(environ: Mapping[str, str]) -> Path:
    override = environ.get(f"{ENV_PREFIX}DATA_DIR")
    if override:
        return Path(override)
    return platformdirs.user_data_path(APP_NAME, appauthor=False)


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"


def load_settings(environ: Mapping[str, str] | None = None, **overrides: object) -> ServerSettings:
    """Settings from the environment (``os.environ`` unless given), then ``overrides``."""
    env = os.environ if environ is None else environ
    data_dir = Path(str(overrides.pop("data_dir", None) or default_data_dir(env)))
    values: dict[str, object] = {
        "data_dir": data_dir,
        "database_url": env.get(f"{ENV_PREFIX}DATABASE_URL") or "",
        "secret_key": env.get(f"{ENV_PREFIX}SECRET_KEY") or "",
    }
    minutes = _int(env, "ACCESS_TOKEN_MINUTES", 1, 24 * 60)
    if minutes is not None:
        values["access_token_ttl"] = dt.timedelta(minutes=minutes)
    hours = _int(env, "REFRESH_TOKEN_HOURS", 1, 24 * 30)
    if hours is not None:
        values["refresh_token_ttl"] = dt.timedelta(hours=hours)
    hours = _int(env, "SESSION_MAX_HOURS", 1, 24 * 90)
    if hours is not None:
        values["session_max_age"] = dt.timedelta(hours=hours)
    for name, key, low, high in (
        ("ATTACHMENT_MAX_BYTES", "attachment_max_bytes", 1, 2**40),
        ("ARGON2_TIME_COST", "argon2_time_cost", 1, 20),
        ("ARGON2_MEMORY_KIB", "argon2_memory_kib", 8, 4 * 1024 * 1024),
        ("WARNING_DAYS", "warning_days", 0, 30),
    ):
        number = _int(env, name, low, high)
        if number is not None:
            values[key] = number
    values.update(overrides)
    if not values["database_url"]:
        values["database_url"] = sqlite_url(_ensure_dir(data_dir) / SQLITE_FILE)
    if not values["secret_key"]:
        values["secret_key"] = _stored_secret(data_dir)
    if len(str(values["secret_key"])) < 32:
        raise SettingsError(f"{ENV_PREFIX}SECRET_KEY must be at least 32 characters")
    return ServerSettings(**values)  # type: ignore[arg-type]


def _int(env: Mapping[str, str], name: str, low: int, high: int) -> int | None:
    raw = env.get(f"{ENV_PREFIX}{name}")
    if raw is None or raw == "":
        return None
    try:
        number = int(raw)
    except ValueError:
        raise SettingsError(f"{ENV_PREFIX}{name} must be a whole number, got {raw!r}") from None
    if not low <= number <= high:
        raise SettingsError(f"{ENV_PREFIX}{name} must be between {low} and {high}, got {number}")
    return number


def _ensure_dir(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    return path


def _stored_secret(data_dir: Path) -> str:
    """The key kept in the data folder, created on first use and readable by its owner only."""
    path = _ensure_dir(data_dir) / SECRET_FILE
    try:
        return path.read_text(encoding="ascii").strip()
    except FileNotFoundError:
        pass
    key = secrets.token_urlsafe(48)
    # Written aside and linked into place: two processes starting at once agree on
    # whichever key landed first, and nobody ever reads a half-written file.
    temp = path.with_name(f".{SECRET_FILE}.{os.getpid()}.{secrets.token_hex(4)}")
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write(key)
        handle.flush()
        os.fsync(handle.fileno())
    try:
        os.link(temp, path)
    except FileExistsError:
        key = path.read_text(encoding="ascii").strip()
    finally:
        temp.unlink()
    return key
