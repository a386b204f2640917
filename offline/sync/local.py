"""The counter's copies of documents, kept equal to the server's plus what is still on its
way there.

Whenever a server version of a document arrives (an acknowledged operation, a 409, the
change feed) the local copy becomes that version with the counter's pending operations
re-applied on top (the caller's ``replay``; by default the members those operations
change keep the counter's values). Reading the pending operations and writing the copy
happen under the store's lock, so an officer saving at that instant is not overwritten.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from offline.outbox import PENDING
from offline.scans import store_lock
from offline.store import Store
from offline.sync.config import Doc, DocumentRules
from offline.sync.records import SyncBook


@dataclass(frozen=True)
class Arrival:
    """A server version that changed the local copy: what the counter had before."""

    case_id: str
    before: Doc | None
    server: Doc
    pending_mine: int  # operations of this counter's user still waiting for this case


class LocalCopies:
    def __init__(self, store: Store, rules: DocumentRules, book: SyncBook) -> None:
        self.store = store
        self.rules = rules
        self.book = book
        self.known: dict[str, int] = {}  # id -> server version the local copy is built on
        self._local_ids: set[str] | None = None

    def version_of(self, doc: Doc) -> int:
        value = doc.get(self.rules.version_member, 0)
        return value if isinstance(value, int) else 0

    def is_local(self, case_id: str) -> bool:
        if self._local_ids is None:
            with store_lock(self.store):
                self._local_ids = {doc["id"] for doc in self.store.list_queue()}
        return case_id in self._local_ids

    def note_local(self, case_ids: Iterable[str]) -> None:
        if self._local_ids is not None:
            self._local_ids.update(case_ids)

    def pending_ops(
        self, case_id: str, leaving: set[str] | frozenset[str] = frozenset()
    ) -> list[Doc]:
        """The operations of a case still to be applied by the server, as they will be sent."""
        return [
            self.book.effective(row["op"])
            for row in self.store.outbox_of_case(case_id)
            if row["status"] == PENDING and row["op"]["idempotency_key"] not in leaving
        ]

    def view(self, server_doc: Doc, pending: Sequence[Doc]) -> Doc:
        """The counter's copy: the server's version with the pending operations on top."""
        if not pending:
            return server_doc
        if self.rules.replay is not None:
            return self.rules.replay(server_doc, pending)
        mine: dict[str, Any] = {}
        for op in pending:
            changes = (op.get("payload") or {}).get("changes")
            if isinstance(changes, dict):
                mine.update((m, v) for m, v in changes.items() if m not in self.rules.server_owned)
        return {**server_doc, **mine}

    def absorb(
        self,
        server_docs: Sequence[Doc],
        *,
        user: str,
        leaving: set[str] | frozenset[str] = frozenset(),
        feed: bool = False,
    ) -> list[Arrival]:
        """Make the local copies of ``server_docs`` current, in one durable batch.

        ``leaving``: idempotency keys about to be acknowledged (no longer pending).
        ``feed``: the documents come from the change feed, where a document this counter
        does not hold is taken only if ``rules.keep`` wants it.
        """
        arrivals: list[Arrival] = []
        with store_lock(self.store):
            updated: dict[str, Doc] = {}
            for server in server_docs:
                case_id = server["id"]
                if self.version_of(server) < self.known.get(case_id, 0):
                    continue  # an older answer (a replay) must not hide a newer version
                # Only the feed brings documents this counter may not hold; looking those up
                # by id would search the archive.
                here = not feed or self.is_local(case_id)
                before = self.store.get(case_id) if here else None
                if before is None and feed and self.rules.keep is not None:
                    if not self.rules.keep(server, user):
                        continue
                pending = self.pending_ops(case_id, leaving)
                local = self.view(server, pending)
                self.known[case_id] = self.version_of(server)
                if local == before:
                    continue
                updated[case_id] = local
                mine = sum(1 for op in pending if op.get("officer") == user)
                arrivals.append(Arrival(case_id, before, server, mine))
            if updated:
                self.store.save_batch(cases=list(updated.values()))
                self.note_local(updated)
        return arrivals
