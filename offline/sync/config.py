"""What the caller tells the engine: where the server is and how to behave (``SyncConfig``),
and the few facts about its documents that merging needs (``DocumentRules``).

The engine is generic: it carries documents as opaque JSON objects with an ``id`` and a
version, and operations in the server's wire shape (``idempotency_key``, ``case_id``,
``officer``, ``device_time``, ``base_version``, ``kind``, ``payload`` with member edits in
``payload["changes"]``). Which members the server owns, which may be merged, and how an
operation changes a document are the caller's knowledge, passed in here.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

Doc = dict[str, Any]
Replay = Callable[[Doc, Sequence[Doc]], Doc]
Keep = Callable[[Doc, str], bool]


@dataclass(frozen=True)
class SyncConfig:
    server_url: str
    ca_bundle: str = ""  # the government network's CA bundle (PEM); "" = the system's
    allow_http: bool = False  # plain HTTP beyond this machine, with a standing warning
    device: str = ""  # names this counter on number leases
    batch_size: int = 200  # operations per request (the server takes at most 500)
    feed_page: int = 500  # changes per feed page (the server gives at most 1,000)
    poll_interval: float = 15.0  # seconds between syncs when all is well
    backoff_base: float = 0.5  # first retry after about this many seconds (with jitter)
    backoff_max: float = 60.0  # retries never wait longer than this
    timeout: float = 30.0
    connect_timeout: float = 5.0
    lease_low_water: int = 20  # take a new block of numbers below this many
    lease_block: int = 100
    catalogue_interval: float = 300.0  # seconds between catalogue ETag checks
    handover_interval: float = 60.0  # seconds between checks for handover notices
    chunk_bytes: int = 1 << 20  # attachment upload chunk
    max_rebases: int = 3  # per case and sync, then the case waits for the next one

    def __post_init__(self) -> None:
        if not 1 <= self.batch_size <= 500:
            raise ValueError("batch_size must be between 1 and 500 (the server's limit)")
        if not 1 <= self.feed_page <= 1000:
            raise ValueError("feed_page must be between 1 and 1000 (the server's limit)")


@dataclass(frozen=True)
class DocumentRules:
    """How the caller's documents merge.

    - ``server_owned``: members only the server decides (cases: state, assignee); its
      value always wins and is never a conflict.
    - ``mergeable``: members merged field by field when both sides changed the document
      (cases: ``EDITABLE``); every other member takes the server's value. None: all but
      the server-owned ones.
    - ``owner_member``: the member naming who the document is assigned to; its change
      while this counter holds unsynced work is a reassignment, handled as a handover.
    - ``replay(server_doc, operations)``: the caller's own application of operations, so
      the counter's copy is the server's plus what is still on its way. Without it the
      engine merges members named in ``payload["changes"]``.
    - ``keep(doc, user)``: whether a document from the change feed belongs on this counter
      (documents already here are always kept up to date). None: keep everything.
    """

    server_owned: frozenset[str] = frozenset()
    mergeable: frozenset[str] | None = None
    owner_member: str | None = None
    version_member: str = "version"
    replay: Replay | None = None
    keep: Keep | None = None
