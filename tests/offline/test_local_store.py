"""The counter's store as the client opens it: folder from locations, key from the keyring."""

from __future__ import annotations

import dataclasses
import datetime as dt
import random

import pytest

from counterdesk import locations
from counterdesk.services import local_store
from counterdesk.services.local_store import LocalStoreError
from counterdesk.settings import Settings
from offline import StoreLocked
from tests.offline.keyring_backend import MemoryKeyring
from tests.offline.sample import case_doc, operation


def test_first_open_makes_the_store_and_its_key(memory_keyring: MemoryKeyring) -> None:
    store = local_store.open_local_store(Settings())
    try:
        assert store.folder == locations.data_dir() / "store"
        store.save_batch(cases=[case_doc("c1", random.Random(1))], operations=[operation("c1")])
    finally:
        store.close()
    assert len(memory_keyring.secrets) == 1
    again = local_store.open_local_store(Settings())
    try:
        assert again.get("c1") is not None
    finally:
        again.close()


def test_a_lost_key_for_an_existing_store_is_not_replaced(memory_keyring: MemoryKeyring) -> None:
    local_store.open_local_store(Settings()).close()
    memory_keyring.secrets.clear()
    with pytest.raises(LocalStoreError, match="counterdesk recover --data-dir"):
        local_store.open_local_store(Settings())
    assert memory_keyring.secrets == {}, "no new key may be made for a store that has one"


def test_a_second_window_is_told_the_store_is_open(memory_keyring: MemoryKeyring) -> None:
    store = local_store.open_local_store(Settings())
    try:
        with pytest.raises(LocalStoreError, match="already open by process") as caught:
            local_store.open_local_store(Settings())
        assert isinstance(caught.value.__cause__, StoreLocked)
    finally:
        store.close()


def test_profiles_in_other_folders_get_their_own_keys(memory_keyring, tmp_path) -> None:
    local_store.open_local_store(Settings(), data_dir=tmp_path / "a").close()
    local_store.open_local_store(Settings(), data_dir=tmp_path / "b").close()
    assert len(memory_keyring.secrets) == 2


def test_file_key_storage_for_kiosks(tmp_path) -> None:
    settings = dataclasses.replace(Settings(), key_storage="file")
    local_store.open_local_store(settings).close()
    assert list(local_store.secrets_folder().iterdir())
    local_store.open_local_store(settings).close()


def test_retention_uses_the_setting(memory_keyring: MemoryKeyring) -> None:
    settings = dataclasses.replace(Settings(), retention_days=30)
    store = local_store.open_local_store(settings)
    try:
        op = operation("c1")
        store.save_batch(cases=[case_doc("c1", random.Random(1))], operations=[op])
        store.outbox_ack([op["idempotency_key"]])
        store.archive(["c1"], archived_on=dt.date(2026, 9, 1))
        assert local_store.sweep_retention(store, settings, dt.date(2026, 9, 20)).cases_deleted == 0
        assert local_store.sweep_retention(store, settings, dt.date(2026, 11, 1)).cases_deleted == 1
    finally:
        store.close()
