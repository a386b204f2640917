"""What the status bar says about the link to the case server, behind one small protocol.

The sync engine (``services.sync_runner.SyncRunner``) implements ``Connectivity`` for a
counter with a server: online or offline since when, syncing, operations waiting and
refused, the last error; ``ServerConnectivity`` is left for a server counter without one. A standalone counter has no server: ``StandaloneConnectivity`` says so and counts
the operations kept in the outbox (they will go to a server if one is ever configured).
Screens read only ``ConnectivityState``; nothing here touches the network.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:  # the store is opened (and imported) in a worker at start
    from offline import Store


class LinkMode(StrEnum):
    STANDALONE = "standalone"  # no server configured
    ONLINE = "online"
    OFFLINE = "offline"  # a server is configured but cannot be reached
    SYNCING = "syncing"


@dataclass(frozen=True)
class ConnectivityState:
    mode: LinkMode
    since: dt.datetime | None = None  # when the current mode began (offline since ...)
    waiting: int = 0  # operations in the outbox not yet acknowledged by the server
    rejected: int = 0  # operations the server refused (shown with its reason)
    last_error: str = ""

    @property
    def sharing_available(self) -> bool:
        """Data sharing (the electronic licence library) needs the network."""
        return self.mode in (LinkMode.ONLINE, LinkMode.SYNCING)


class Connectivity(Protocol):
    def state(self) -> ConnectivityState:
        """The link as it stands now; cheap, callable from any thread."""
        ...


class StandaloneConnectivity:
    """A counter without a server: its outbox only grows."""

    def __init__(self, store: Store) -> None:
        self._store = store

    def state(self) -> ConnectivityState:
        stats = self._store.stats()
        return ConnectivityState(
            LinkMode.STANDALONE,
            waiting=stats["outbox_pending"],
            rejected=stats["outbox_rejected"],
        )


class ServerConnectivity:
    """A counter with a server, before the sync engine exists: whether the last sign-in
    reached the server, and the outbox. The sync engine replaces this with live state."""

    def __init__(self, store: Store, online: bool, since: dt.datetime, error: str = "") -> None:
        self._store = store
        self._mode = LinkMode.ONLINE if online else LinkMode.OFFLINE
        self._since = since
        self._error = error

    def mark(self, online: bool, since: dt.datetime, error: str = "") -> None:
        mode = LinkMode.ONLINE if online else LinkMode.OFFLINE
        if mode is not self._mode:
            self._since = since
        self._mode = mode
        self._error = error

    def state(self) -> ConnectivityState:
        stats = self._store.stats()
        return ConnectivityState(
            self._mode,
            since=self._since,
            waiting=stats["outbox_pending"],
            rejected=stats["outbox_rejected"],
            last_error=self._error,
        )
