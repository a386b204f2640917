"""The engine's own bookkeeping, kept in the store's local settings (journaled, encrypted,
never secrets): the feed cursor, the catalogue's ETag, rebased operations, open conflicts,
notices for the officer, handovers to announce and uploads under way.

Each kind lives under its own ``sync:`` name so that a crash between two of them leaves
each whole; every step that reads them is written to be repeated safely.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from offline.scans import UPLOADS, store_lock
from offline.store import Store

CURSOR = "sync:cursor"
CATALOGUE_ETAG = "sync:catalogue_etag"
CONFLICTS = "sync:conflicts"
NOTICES = "sync:notices"
HANDOVERS_OUT = "sync:handovers_out"
HANDOVER_CURSOR = "sync:handover_cursor"
REWRITE = "sync:rewrite:"  # + idempotency key
KEEP_NOTICES = 200


@dataclass(frozen=True)
class Notice:
    """Something the officer must be told: a handover, a refusal, a conflict..."""

    id: int
    at: str  # device time
    kind: str
    case_id: str
    text: str
    detail: dict[str, Any]

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "at": self.at,
            "kind": self.kind,
            "case_id": self.case_id,
            "text": self.text,
            "detail": self.detail,
        }


class SyncBook:
    """Typed access to the engine's settings in ``store``."""

    def __init__(self, store: Store, now: Callable[[], dt.datetime]) -> None:
        self.store = store
        self._now = now

    # Cursors

    def cursor(self) -> int:
        return int(self.store.setting(CURSOR, 0))

    def set_cursor(self, value: int) -> None:
        self.store.set_setting(CURSOR, value)

    def catalogue_etag(self) -> str:
        return str(self.store.setting(CATALOGUE_ETAG, ""))

    def set_catalogue_etag(self, etag: str) -> None:
        self.store.set_setting(CATALOGUE_ETAG, etag or None)

    def handover_cursor(self) -> int:
        return int(self.store.setting(HANDOVER_CURSOR, 0))

    def set_handover_cursor(self, value: int) -> None:
        self.store.set_setting(HANDOVER_CURSOR, value)

    # Rebased operations: the op in the outbox stays as made; what is sent is op + rewrite.

    def rewrite(self, key: str) -> dict[str, Any] | None:
        found = self.store.setting(REWRITE + key)
        return found if isinstance(found, dict) else None

    def set_rewrite(self, key: str, rewrite: dict[str, Any] | None) -> None:
        self.store.set_setting(REWRITE + key, rewrite)

    def effective(self, op: dict[str, Any]) -> dict[str, Any]:
        """The operation as it is to be sent: with its rebased version and payload."""
        rewrite = self.rewrite(op["idempotency_key"])
        return {**op, **rewrite} if rewrite else op

    # Conflicts

    def conflicts(self) -> dict[str, dict[str, Any]]:
        found = self.store.setting(CONFLICTS, {})
        return found if isinstance(found, dict) else {}

    def put_conflict(self, record: dict[str, Any]) -> None:
        conflicts = self.conflicts()
        conflicts[record["id"]] = record
        self.store.set_setting(CONFLICTS, conflicts)

    def drop_conflict(self, conflict_id: str) -> None:
        conflicts = self.conflicts()
        if conflicts.pop(conflict_id, None) is not None:
            self.store.set_setting(CONFLICTS, conflicts or None)

    # Notices

    def notices(self) -> list[Notice]:
        return [Notice(**n) for n in self.store.setting(NOTICES, [])]

    def add_notice(
        self, kind: str, case_id: str, text: str, detail: dict[str, Any] | None = None
    ) -> Notice:
        stored = list(self.store.setting(NOTICES, []))
        number = max((n["id"] for n in stored), default=0) + 1
        notice = Notice(number, self._now().isoformat(), kind, case_id, text, detail or {})
        stored = [*stored, notice.to_json()][-KEEP_NOTICES:]
        self.store.set_setting(NOTICES, stored)
        return notice

    def dismiss_notice(self, notice_id: int) -> bool:
        stored = list(self.store.setting(NOTICES, []))
        kept = [n for n in stored if n["id"] != notice_id]
        if len(kept) == len(stored):
            return False
        self.store.set_setting(NOTICES, kept or None)
        return True

    # Handovers waiting to be announced to the new assignee

    def handovers_out(self) -> list[dict[str, Any]]:
        return list(self.store.setting(HANDOVERS_OUT, []))

    def add_handover_out(self, record: dict[str, Any]) -> bool:
        waiting = self.handovers_out()
        if any(h["case_id"] == record["case_id"] and h["to"] == record["to"] for h in waiting):
            return False
        self.store.set_setting(HANDOVERS_OUT, [*waiting, record])
        return True

    def drop_handover_out(self, key: str) -> None:
        waiting = [h for h in self.handovers_out() if h["key"] != key]
        self.store.set_setting(HANDOVERS_OUT, waiting or None)

    # Uploads under way

    def uploads(self) -> dict[str, dict[str, Any]]:
        found = self.store.setting(UPLOADS, {})
        return found if isinstance(found, dict) else {}

    # The counter adds uploads in the same batch as the case that attaches them
    # (offline.scans): a read-modify-write here holds the store's lock so neither is lost.

    def put_upload(self, local_id: str, spec: dict[str, Any]) -> None:
        with store_lock(self.store):
            uploads = self.uploads()
            uploads[local_id] = spec
            self.store.set_setting(UPLOADS, uploads)

    def drop_upload(self, local_id: str) -> None:
        with store_lock(self.store):
            uploads = self.uploads()
            if uploads.pop(local_id, None) is not None:
                self.store.set_setting(UPLOADS, uploads or None)
