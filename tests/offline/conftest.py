"""Fixtures for the offline store's tests: a data key, a store folder, a test keyring."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import keyring
import pytest

from offline import Store
from tests.offline.keyring_backend import MemoryKeyring


@pytest.fixture
def key() -> bytes:
    return os.urandom(32)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    return tmp_path / "store"


@pytest.fixture
def open_store(folder: Path, key: bytes) -> Iterator[Callable[..., Store]]:
    """Opens stores on ``folder`` (or another) and closes whatever is left open."""
    opened: list[Store] = []

    def opener(where: Path | None = None, the_key: bytes | None = None, **options: Any) -> Store:
        store = Store.open(where or folder, the_key or key, **options)
        opened.append(store)
        return store

    yield opener
    for store in opened:
        store.close(checkpoint=False)


@pytest.fixture
def memory_keyring() -> Iterator[MemoryKeyring]:
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)
