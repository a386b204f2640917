"""Every TUI test: its own folders (tests/conftest.py), an in-memory keyring, no real one."""

from __future__ import annotations

from collections.abc import Iterator

import keyring
import pytest

from tests.offline.keyring_backend import MemoryKeyring


@pytest.fixture(autouse=True)
def memory_keyring() -> Iterator[MemoryKeyring]:
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)
