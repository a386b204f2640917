"""What every step of a sync works with, gathered once per engine."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from offline.store import Store
from offline.sync.config import DocumentRules, SyncConfig
from offline.sync.local import Arrival, LocalCopies
from offline.sync.records import SyncBook
from offline.sync.transport import Transport

Notify = Callable[[str, str, str, dict[str, Any]], None]  # kind, case id, text, detail


@dataclass
class SyncContext:
    store: Store
    transport: Transport
    book: SyncBook
    copies: LocalCopies
    rules: DocumentRules
    config: SyncConfig
    now: Callable[[], dt.datetime]
    notify: Notify
    arrived: Callable[[Sequence[Arrival], str], None]  # server versions that changed copies

    def stamp(self) -> str:
        return self.now().isoformat()
