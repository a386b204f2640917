"""Opening the counter's local store: its folder, its data key, and what went wrong said plainly.

``offline`` is generic and is handed a folder and a key; this module chooses them for the
counter (the store lives in ``store/`` of the data folder, the key in the keyring under a
profile named after that folder) and turns every failure into a ``LocalStoreError`` whose
message can be shown as is.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from collections.abc import Callable
from pathlib import Path

from counterdesk import credentials, locations
from counterdesk.services.training_store import LiveStore, SandboxStore
from counterdesk.settings import Settings
from offline import AES_256_GCM, RetentionReport, Store, StoreError
from offline.recovery import has_recovery_file, write_recovery_file
from offline.store import utc_now

log = logging.getLogger(__name__)

STORE_FOLDER = "store"
SECRETS_FOLDER = "secrets"
INDEXED_FIELDS = ("assignee", "state")


class LocalStoreError(RuntimeError):
    """The local store cannot be opened; the message says why and what to do."""


def data_folder(data_dir: Path | None = None) -> Path:
    return Path(data_dir) if data_dir is not None else locations.data_dir()


def store_folder(data_dir: Path | None = None) -> Path:
    return data_folder(data_dir) / STORE_FOLDER


def secrets_folder(data_dir: Path | None = None) -> Path:
    """Where ``key_storage = "file"`` keeps its secrets (kiosks and the demo only)."""
    return data_folder(data_dir) / SECRETS_FOLDER


def key_profile(data_dir: Path | None = None) -> str:
    """The keyring name of a store's key: one per data folder, so profiles never share."""
    path = str(data_folder(data_dir).resolve())
    return "store-" + hashlib.sha256(path.encode("utf-8")).hexdigest()[:16]


def load_key(settings: Settings, data_dir: Path | None = None) -> bytes | None:
    return credentials.load_data_key(
        key_profile(data_dir),
        key_storage=settings.key_storage,
        secrets_dir=secrets_folder(data_dir),
    )


def save_key(key: bytes, settings: Settings, data_dir: Path | None = None) -> None:
    credentials.save_data_key(
        key_profile(data_dir),
        key,
        key_storage=settings.key_storage,
        secrets_dir=secrets_folder(data_dir),
    )


def open_local_store(
    settings: Settings | None = None,
    *,
    data_dir: Path | None = None,
    cipher: str = AES_256_GCM,
    now: Callable[[], dt.datetime] | None = None,
    training: bool = False,
) -> Store:
    """Open the counter's store, making it (and its data key) on first use.

    The store takes live cases only, or with ``training`` (the sandbox) practice cases
    only (``training_store``). Raises ``credentials.KeyringUnavailable`` when no keyring
    can hold the key, and ``LocalStoreError`` for everything else; both carry a message
    fit to show.
    """
    settings = settings or Settings()
    folder = store_folder(data_dir)
    key = load_key(settings, data_dir)
    if key is None:
        if Store.exists(folder):
            raise LocalStoreError(
                f"the data key of the local store in {folder} is not in the "
                f"{'key file' if settings.key_storage == credentials.FILE else 'system keyring'} "
                "(a lost or replaced keyring?): an administrator can get it back with "
                f"`counterdesk recover --data-dir {data_folder(data_dir)}`"
            )
        key = credentials.new_data_key()
        save_key(key, settings, data_dir)
    store_class = SandboxStore if training else LiveStore
    try:
        store = store_class.open(
            folder,
            key,
            cipher=cipher,
            indexed_fields=INDEXED_FIELDS,
            now=now or utc_now,
        )
    except StoreError as exc:
        raise LocalStoreError(str(exc)) from exc
    if not has_recovery_file(folder):
        log.warning(
            "no recovery key enrolled for %s: a lost keyring would lose unsynced work "
            "(counterdesk recover --enroll)",
            folder,
        )
    return store


def enroll_recovery(
    passphrase: str, settings: Settings | None = None, *, data_dir: Path | None = None
) -> Path:
    """Wrap the store's data key with the centre's recovery passphrase (recovery.json)."""
    settings = settings or Settings()
    folder = store_folder(data_dir)
    key = load_key(settings, data_dir)
    if key is None or not Store.exists(folder):
        raise LocalStoreError(f"there is no local store with a data key in {folder} to enroll")
    try:
        store_id = Store.check_key(folder, key)
    except StoreError as exc:
        raise LocalStoreError(str(exc)) from exc
    return write_recovery_file(folder, key, passphrase, store_id)


def sweep_retention(store: Store, settings: Settings, today: dt.date) -> RetentionReport:
    """Delete archived cases kept longer than ``retention_days`` (the server has them)."""
    report = store.retention_sweep(today, keep_days=settings.retention_days)
    if report.cases_deleted:
        log.info(
            "retention: %d archived cases older than %d days deleted locally",
            report.cases_deleted,
            settings.retention_days,
        )
    return report
