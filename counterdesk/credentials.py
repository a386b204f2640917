"""The counter's secrets: the local store's data key and the server tokens.

The only importer of keyring. Secrets live in the OS keyring (Secret Service, KWallet,
Windows Credential Locker, macOS Keychain). With no usable keyring the counter stops with
a message saying what to install, unless the settings choose ``key_storage = "file"``
(kiosks, the demo): the secrets then lie in 0600 files in a folder the caller names, with a
warning, because anyone who can read those files can read the store.
"""

from __future__ import annotations

import base64
import json
import logging
import os
import secrets
import stat
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:  # keyring is imported when a secret is first kept or read: a faster start
    from keyring.backend import KeyringBackend

log = logging.getLogger(__name__)

SERVICE = "counterdesk"
KEY_BYTES = 32
KEYRING = "keyring"
FILE = "file"

NO_KEYRING = (
    "no usable system keyring to keep the counter's data key. Install and unlock one "
    "(on Linux gnome-keyring or KWallet, through the Secret Service on a D-Bus session; "
    "Windows and macOS have theirs), or for a kiosk or the demo set "
    'key_storage = "file" in config.toml (the key then lies on disk: read '
    "docs/offline-store.md first)"
)


class KeyringUnavailable(RuntimeError):
    """No keyring the counter can keep its secrets in; the message says what to do."""


class _Secrets(Protocol):
    def get(self, name: str) -> str | None: ...

    def put(self, name: str, value: str) -> None: ...

    def delete(self, name: str) -> None: ...


def _unusable(backend: KeyringBackend) -> bool:
    from keyring.backends import chainer, fail

    if isinstance(backend, fail.Keyring):
        return True
    if isinstance(backend, chainer.ChainerBackend) and not backend.backends:
        return True
    try:
        from keyring.backends import null
    except ImportError:  # older keyring releases have no null backend
        return False
    return isinstance(backend, null.Keyring)


class _KeyringSecrets:
    def __init__(self) -> None:
        import keyring

        self._backend = keyring.get_keyring()
        if _unusable(self._backend):
            raise KeyringUnavailable(NO_KEYRING)

    def _call(self, action: str, *args: str) -> str | None:
        import keyring.errors

        try:
            return getattr(self._backend, action)(SERVICE, *args)
        except keyring.errors.PasswordDeleteError:
            return None
        except keyring.errors.KeyringError as exc:
            raise KeyringUnavailable(f"the system keyring refused ({exc}): {NO_KEYRING}") from exc

    def get(self, name: str) -> str | None:
        return self._call("get_password", name)

    def put(self, name: str, value: str) -> None:
        self._call("set_password", name, value)

    def delete(self, name: str) -> None:
        self._call("delete_password", name)


class _FileSecrets:
    """Secrets in 0600 files: for kiosks and the demo only (see docs/offline-store.md)."""

    def __init__(self, folder: Path) -> None:
        self._folder = folder

    def _path(self, name: str) -> Path:
        return self._folder / f"{name}.secret"

    def get(self, name: str) -> str | None:
        path = self._path(name)
        if not path.exists():
            return None
        mode = stat.S_IMODE(path.stat().st_mode)
        if os.name != "nt" and mode & 0o077:
            log.warning("secret file %s was readable by others (mode %o): tightened", path, mode)
            path.chmod(0o600)
        return path.read_text(encoding="utf-8").strip()

    def put(self, name: str, value: str) -> None:
        self._folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        path = self._path(name)
        log.warning(
            "key_storage is file: %s holds a secret on disk; anyone who can read it can read "
            "the local store (docs/offline-store.md)",
            path,
        )
        temp = path.with_name(path.name + ".new")
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(value + "\n")
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, path)

    def delete(self, name: str) -> None:
        self._path(name).unlink(missing_ok=True)


def _secrets(key_storage: str, secrets_dir: Path | None) -> _Secrets:
    if key_storage == KEYRING:
        return _KeyringSecrets()
    if key_storage == FILE:
        if secrets_dir is None:
            raise ValueError('key_storage "file" needs a folder for the secret files')
        return _FileSecrets(secrets_dir)
    raise ValueError(f'key_storage must be "keyring" or "file", not {key_storage!r}')


def check_keyring() -> None:
    """Raise KeyringUnavailable now rather than at the first save."""
    _KeyringSecrets()


# The local store's data key


def new_data_key() -> bytes:
    return secrets.token_bytes(KEY_BYTES)


def load_data_key(
    profile: str, *, key_storage: str = KEYRING, secrets_dir: Path | None = None
) -> bytes | None:
    raw = _secrets(key_storage, secrets_dir).get(f"{profile}:data-key")
    if raw is None:
        return None
    key = base64.b64decode(raw)
    if len(key) != KEY_BYTES:
        raise ValueError(f"the data key kept for {profile} is not {KEY_BYTES} bytes")
    return key


def save_data_key(
    profile: str, key: bytes, *, key_storage: str = KEYRING, secrets_dir: Path | None = None
) -> None:
    if len(key) != KEY_BYTES:
        raise ValueError(f"a data key is {KEY_BYTES} bytes")
    store = _secrets(key_storage, secrets_dir)
    store.put(f"{profile}:data-key", base64.b64encode(key).decode("ascii"))


def get_or_create_data_key(
    profile: str, *, key_storage: str = KEYRING, secrets_dir: Path | None = None
) -> bytes:
    """The profile's data key, made and kept on first use. Only for a store not yet made:
    a missing key for an existing store is a lost key (see ``counterdesk recover``)."""
    key = load_data_key(profile, key_storage=key_storage, secrets_dir=secrets_dir)
    if key is None:
        key = new_data_key()
        save_data_key(profile, key, key_storage=key_storage, secrets_dir=secrets_dir)
    return key


# Server tokens (access and refresh)


def store_tokens(
    profile: str,
    tokens: dict[str, str],
    *,
    key_storage: str = KEYRING,
    secrets_dir: Path | None = None,
) -> None:
    _secrets(key_storage, secrets_dir).put(f"{profile}:tokens", json.dumps(tokens))


def get_tokens(
    profile: str, *, key_storage: str = KEYRING, secrets_dir: Path | None = None
) -> dict[str, str] | None:
    raw = _secrets(key_storage, secrets_dir).get(f"{profile}:tokens")
    return json.loads(raw) if raw else None


def clear_tokens(
    profile: str, *, key_storage: str = KEYRING, secrets_dir: Path | None = None
) -> None:
    _secrets(key_storage, secrets_dir).delete(f"{profile}:tokens")
