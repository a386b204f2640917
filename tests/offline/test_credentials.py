"""The data key and tokens in the keyring; no usable keyring is said plainly; the kiosk
file option keeps the key in a 0600 file, with a warning."""

from __future__ import annotations

import logging
import os
import stat
import sys

import keyring
import keyring.errors
import pytest
from keyring.backends import chainer, fail

from counterdesk import credentials
from counterdesk.credentials import KeyringUnavailable
from tests.offline.keyring_backend import MemoryKeyring


class EmptyChainer(chainer.ChainerBackend):
    backends = ()  # type: ignore[assignment]


class LockedKeyring(MemoryKeyring):
    def get_password(self, service: str, username: str) -> str | None:
        raise keyring.errors.KeyringLocked("the collection is locked")


@pytest.fixture
def use_backend():
    previous = keyring.get_keyring()

    def use(backend) -> None:
        keyring.set_keyring(backend)

    yield use
    keyring.set_keyring(previous)


def unusable_backends() -> list:
    found = [fail.Keyring(), EmptyChainer()]
    try:
        from keyring.backends import null

        found.append(null.Keyring())
    except ImportError:
        pass
    return found


@pytest.mark.parametrize("backend", unusable_backends(), ids=lambda b: type(b).__name__)
def test_no_usable_keyring_is_said_with_what_to_do(use_backend, backend) -> None:
    use_backend(backend)
    with pytest.raises(KeyringUnavailable) as caught:
        credentials.get_or_create_data_key("p")
    message = str(caught.value)
    assert "gnome-keyring" in message and "KWallet" in message
    assert 'key_storage = "file"' in message and "docs/offline-store.md" in message
    with pytest.raises(KeyringUnavailable):
        credentials.check_keyring()


def test_a_locked_keyring_is_unavailable_too(use_backend) -> None:
    use_backend(LockedKeyring())
    with pytest.raises(KeyringUnavailable, match="locked"):
        credentials.load_data_key("p")


def test_the_data_key_is_made_once_and_kept(memory_keyring: MemoryKeyring) -> None:
    key = credentials.get_or_create_data_key("profile-a")
    assert len(key) == 32
    assert credentials.get_or_create_data_key("profile-a") == key
    assert credentials.load_data_key("profile-b") is None
    assert credentials.get_or_create_data_key("profile-b") != key
    assert ("counterdesk", "profile-a:data-key") in memory_keyring.secrets


def test_tokens_are_kept_and_cleared(memory_keyring: MemoryKeyring) -> None:
    credentials.store_tokens("p", {"access": "a.b.c", "refresh": "r-1"})
    assert credentials.get_tokens("p") == {"access": "a.b.c", "refresh": "r-1"}
    credentials.clear_tokens("p")
    credentials.clear_tokens("p")
    assert credentials.get_tokens("p") is None


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX permissions")
def test_the_kiosk_file_option_keeps_a_0600_file_and_warns(tmp_path, caplog, use_backend) -> None:
    use_backend(fail.Keyring())  # the file option must not need a keyring
    secrets_dir = tmp_path / "secrets"
    with caplog.at_level(logging.WARNING, logger="counterdesk.credentials"):
        key = credentials.get_or_create_data_key("p", key_storage="file", secrets_dir=secrets_dir)
    [path] = list(secrets_dir.iterdir())
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert "anyone who can read it" in caplog.text
    assert key.hex() not in caplog.text
    os.chmod(path, 0o644)
    with caplog.at_level(logging.WARNING, logger="counterdesk.credentials"):
        again = credentials.load_data_key("p", key_storage="file", secrets_dir=secrets_dir)
    assert again == key
    assert stat.S_IMODE(path.stat().st_mode) == 0o600 and "tightened" in caplog.text


def test_an_unknown_key_storage_is_refused() -> None:
    with pytest.raises(ValueError, match="keyring"):
        credentials.load_data_key("p", key_storage="registry")
