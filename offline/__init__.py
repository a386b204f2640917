"""Offline-first storage for JSON documents: an encrypted, crash-safe local store and outbox.

Generic on purpose: it knows documents, operations and audit entries, not counters or
cases, imports neither textual nor counterdesk, and is handed its folder and keys by its
caller. ``Store`` is the way in; see docs/offline-store.md.
"""

from __future__ import annotations

from offline.archive import RetentionReport
from offline.errors import (
    AuditChainBroken,
    DamagedFile,
    RecoveryError,
    StoreClosed,
    StoreCorrupted,
    StoreError,
    StoreKeyError,
    StoreLocked,
    StoreWriteError,
)
from offline.notes import RecoveryNote
from offline.sealing import AES_256_GCM, KEY_BYTES, SM4_GCM
from offline.store import SaveReceipt, Store

__all__ = [
    "AES_256_GCM",
    "KEY_BYTES",
    "SM4_GCM",
    "AuditChainBroken",
    "DamagedFile",
    "RecoveryError",
    "RecoveryNote",
    "RetentionReport",
    "SaveReceipt",
    "Store",
    "StoreClosed",
    "StoreCorrupted",
    "StoreError",
    "StoreKeyError",
    "StoreLocked",
    "StoreWriteError",
]
