"""Connectivity as a state the counter can show: online, offline since when, syncing,
waiting operations, conflicts, the last error.

The engine updates one ``Connectivity`` object; the screen subscribes to it. Callbacks run
on the engine's thread, so a UI must hand them over to its own thread (Textual:
``call_from_thread`` or ``post_message``).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

log = logging.getLogger(__name__)


class SyncState(StrEnum):
    STOPPED = "stopped"  # not started (or stopped): nothing is being synced
    SYNCING = "syncing"
    ONLINE = "online"  # the last sync went through
    OFFLINE = "offline"  # the server cannot be reached; work is kept and retried
    LOGIN_REQUIRED = "login_required"  # the sign-in ended: everything waits for a new one


@dataclass(frozen=True)
class SyncStatus:
    state: SyncState = SyncState.STOPPED
    offline_since: dt.datetime | None = None
    pending: int = 0  # operations waiting to be sent
    rejected: int = 0  # operations the server refused (kept, shown with its reason)
    conflicts: int = 0  # members changed on both sides, waiting for the officer
    notices: int = 0  # things the officer should be told (handovers, refusals...)
    last_error: str = ""
    last_synced_at: dt.datetime | None = None
    warning: str = ""  # standing configuration warning, e.g. plain HTTP
    user: str = ""

    @property
    def online(self) -> bool:
        return self.state in (SyncState.ONLINE, SyncState.SYNCING)


Listener = Callable[[SyncStatus], None]


class Connectivity:
    """The current ``SyncStatus``, changed by the engine, read and watched by anyone."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._status = SyncStatus()
        self._listeners: list[Listener] = []

    @property
    def status(self) -> SyncStatus:
        with self._lock:
            return self._status

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        """Call ``listener`` with every new status; returns a function that unsubscribes."""
        with self._lock:
            self._listeners.append(listener)

        def unsubscribe() -> None:
            with self._lock:
                if listener in self._listeners:
                    self._listeners.remove(listener)

        return unsubscribe

    def update(self, **changes: Any) -> SyncStatus:
        with self._lock:
            new = dataclasses.replace(self._status, **changes)
            if new == self._status:
                return new
            self._status = new
            listeners = list(self._listeners)
        for listener in listeners:
            try:
                listener(new)
            except Exception:  # a broken screen callback must not stop the sync
                log.exception("a sync status listener failed")
        return new
