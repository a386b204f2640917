"""Keeping a counter's offline store and the case server in step (see docs/sync.md).

``SyncEngine`` pushes the outbox in batches, pulls the change feed, uploads scans,
refreshes the catalogue, keeps a lease of case numbers, and runs once or in the
background, reporting its state through ``Connectivity``. Generic like the rest of
``offline``: documents are opaque JSON; the caller says which members the server owns and
how operations apply (``DocumentRules``), and keeps the tokens (``TokenKeeper``).
"""

from __future__ import annotations

from offline.sync.config import DocumentRules, SyncConfig
from offline.sync.engine import SyncEngine, SyncHooks, SyncReport
from offline.sync.errors import (
    AccountRefused,
    BadServerAddress,
    LoginRequired,
    ServerTrouble,
    SyncError,
    TransientError,
    Unreachable,
    UntrustedServer,
)
from offline.sync.local import store_lock
from offline.sync.records import Notice
from offline.sync.status import Connectivity, SyncState, SyncStatus
from offline.sync.tokens import MemoryTokens, TokenKeeper, Tokens
from offline.sync.transport import check_server_url
from offline.sync.uploads import ScanFolder

__all__ = [
    "AccountRefused",
    "BadServerAddress",
    "Connectivity",
    "DocumentRules",
    "LoginRequired",
    "MemoryTokens",
    "Notice",
    "ScanFolder",
    "ServerTrouble",
    "SyncConfig",
    "SyncEngine",
    "SyncError",
    "SyncHooks",
    "SyncReport",
    "SyncState",
    "SyncStatus",
    "TokenKeeper",
    "Tokens",
    "TransientError",
    "Unreachable",
    "UntrustedServer",
    "check_server_url",
    "store_lock",
]
