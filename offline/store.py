"""The offline store: an encrypted, crash-safe local store of JSON documents and an outbox.

``Store.open(folder, key)`` gives the one owner of a folder a typed API over the working set
(open and draft cases, outbox, recent audit trail, number leases, local settings) and the
archive partitions. Every write is a journal record on disk before the call returns; a
case, its outbox operation and its audit entry saved together are one record, so they
survive a crash together or not at all. See docs/offline-store.md for the design.

The store knows nothing of counters or cases beyond this: a document is a JSON object with
an ``"id"``; an operation carries the outbox's required members (see ``outbox.py``).
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any, TypeVar

from offline import audit, generations, header, numbers, outbox
from offline.archive import RetentionReport, Shelf, month_of
from offline.commit_log import CommitLog
from offline.copying import copy_json
from offline.durable import remove_orphan_temps
from offline.errors import StoreClosed, StoreCorrupted, StoreError, StoreWriteError
from offline.notes import RecoveryNote
from offline.owner import OwnerLock
from offline.scrub import scrub
from offline.sealing import AES_256_GCM, Sealer

log = logging.getLogger(__name__)

DEFAULT_INDEXED_FIELDS = ("assignee", "state")
JOURNAL_LIMIT = 4 << 20  # checkpoint once the journal outgrows this (and half the snapshot)
KEEP_GENERATIONS = 3
PARTITION_GENERATIONS = 2
PARTITION_CACHE = 2  # a partition in memory can take tens of MB

Doc = dict[str, Any]
Where = Callable[[Doc], bool]
T = TypeVar("T")


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


@dataclass(frozen=True)
class SaveReceipt:
    lsn: int  # the journal record that holds the batch
    outbox_seqs: tuple[int, ...]
    audit_seqs: tuple[int, ...]


def _ids(docs: Iterable[Mapping[str, Any]], what: str) -> dict[str, Mapping[str, Any]]:
    found: dict[str, Mapping[str, Any]] = {}
    for doc in docs:
        if not isinstance(doc, Mapping) or not isinstance(doc.get("id"), str) or not doc["id"]:
            raise ValueError(f"every {what} must be a JSON object with a text id")
        if doc["id"] in found:
            raise ValueError(f"{what} {doc['id']!r} appears twice in one batch")
        found[doc["id"]] = doc
    return found


class Store:
    """Open with ``Store.open``; close with ``close()`` or use as a context manager."""

    def __init__(
        self,
        folder: Path,
        owner: OwnerLock,
        store_header: header.StoreHeader,
        sealer: Sealer,
        loaded: generations.Loaded,
        *,
        now: Callable[[], dt.datetime],
        keep_generations: int,
        journal_limit: int,
    ) -> None:
        self.folder = folder
        self.store_id = store_header.store_id
        self.cipher = store_header.cipher
        self.recovery_notes: list[RecoveryNote] = list(loaded.notes)
        self._owner = owner
        self._sealer = sealer
        self._ws = loaded.ws
        self._now = now
        self._lock = threading.RLock()  # tinydb and the journal are not thread-safe
        self._closed = False
        self._log = CommitLog(
            folder,
            sealer,
            loaded,
            now=now,
            keep_generations=keep_generations,
            journal_limit=journal_limit,
        )
        self._shelf = Shelf(
            folder,
            sealer,
            self._ws,
            self._log.commit,
            self.recovery_notes,
            keep=PARTITION_GENERATIONS,
            cache_size=PARTITION_CACHE,
        )
        self._log.before_checkpoint(self._tidy)

    # Opening and closing

    @classmethod
    def open(
        cls,
        folder: Path | str,
        key: bytes,
        *,
        cipher: str = AES_256_GCM,
        indexed_fields: Sequence[str] = DEFAULT_INDEXED_FIELDS,
        now: Callable[[], dt.datetime] = utc_now,
        create: bool = True,
        keep_generations: int = KEEP_GENERATIONS,
        journal_limit: int = JOURNAL_LIMIT,
    ) -> Store:
        """Open (or create) the store in ``folder`` with the 32-byte data key ``key``.

        ``cipher`` applies when the store is created; an existing store keeps its own.
        Raises StoreLocked, StoreKeyError, StoreCorrupted (all StoreError).
        """
        if keep_generations < 2:
            raise ValueError("keep at least 2 generations: one to fall back on")
        folder = Path(folder)
        if create:
            folder.mkdir(parents=True, exist_ok=True)
        elif not header.exists(folder):
            raise StoreError(f"there is no local store in {folder}")
        owner = OwnerLock(folder)
        owner.acquire()
        try:
            removed = remove_orphan_temps(folder)
            if removed:
                log.info("removed %d unfinished temporary files in %s", len(removed), folder)
            if header.exists(folder):
                store_header, notes = header.load_header(folder, key)
            else:
                if generations.has_store_files(folder):
                    raise StoreCorrupted(
                        f"{folder} holds store files but no store.json: restore store.json "
                        "from a backup, or move the folder away to start afresh"
                    )
                store_header, notes = header.new_header(cipher), []
                header.write_header(folder, store_header, key)
            sealer = Sealer(store_header.cipher, key, store_header.store_id)
            loaded = generations.load(folder, sealer, indexed_fields)
            loaded.notes[:0] = notes
            store = cls(
                folder,
                owner,
                store_header,
                sealer,
                loaded,
                now=now,
                keep_generations=keep_generations,
                journal_limit=journal_limit,
            )
        except BaseException:
            owner.release()
            raise
        for note in store.recovery_notes:
            log.warning("%s", note.message)
        store._finish_moves_quietly()
        return store

    @staticmethod
    def exists(folder: Path | str) -> bool:
        return header.exists(Path(folder))

    @staticmethod
    def check_key(folder: Path | str, key: bytes) -> str:
        """The store id if ``key`` opens the store in ``folder`` (reads only; no lock)."""
        return header.check_key(Path(folder), key).store_id

    def close(self, *, checkpoint: bool = True) -> None:
        """Release the folder; with ``checkpoint`` the next open replays no journal."""
        with self._lock:
            if self._closed:
                return
            try:
                if checkpoint and self._log.pending_bytes:
                    try:
                        self._log.checkpoint()
                    except (OSError, StoreError) as exc:
                        log.warning("no checkpoint at close (%s); the journal has it all", exc)
            finally:
                self._log.close()
                self._closed = True
                self._owner.release()

    def __enter__(self) -> Store:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    # Cases and drafts

    def save_batch(
        self,
        *,
        cases: Iterable[Mapping[str, Any]] = (),
        operations: Iterable[Mapping[str, Any]] = (),
        audit_entries: Iterable[Mapping[str, Any]] = (),
        drafts: Iterable[Mapping[str, Any]] = (),
        discard_drafts: Iterable[str] = (),
        settings: Mapping[str, Any] | None = None,
    ) -> SaveReceipt:
        """Save documents, outbox operations, audit entries and local settings (``None``
        removes one) as one atomic, durable batch."""
        case_docs, draft_docs = _ids(cases, "case"), _ids(drafts, "draft")
        with self._lock:
            self._check_open()
            changes: list[list[Any]] = [["cases", k, v] for k, v in case_docs.items()]
            changes += [["drafts", k, v] for k, v in draft_docs.items()]
            changes += [["drafts", str(k), None] for k in discard_drafts]
            changes += [["settings", str(k), v] for k, v in (settings or {}).items()]
            op_changes, op_seqs = outbox.new_rows(self._ws, operations)
            audit_changes, audit_seqs = audit.chain(self._ws, audit_entries, self._stamp())
            changes += op_changes + audit_changes
            if not changes:
                raise ValueError("nothing to save")
            lsn = self._commit(changes)
            return SaveReceipt(lsn, tuple(op_seqs), tuple(audit_seqs))

    def get(self, case_id: str, *, opened_by: str | None = None) -> Doc | None:
        """A case wherever it is (working set, archive); ``opened_by`` is audited first."""
        with self._lock:
            self._check_open()
            doc = self._ws.get("cases", case_id)
            if doc is None:
                doc = self._archived(case_id)
            if doc is not None and opened_by:
                entry = {"actor": opened_by, "action": "case.open", "case_id": case_id}
                self._commit(audit.chain(self._ws, [entry], self._stamp())[0])
            return copy_json(doc)

    def get_draft(self, draft_id: str) -> Doc | None:
        with self._lock:
            self._check_open()
            return copy_json(self._ws.get("drafts", draft_id))

    def list_queue(self, *, where: Where | None = None, **criteria: Any) -> list[Doc]:
        """Open cases whose indexed fields equal ``criteria`` (e.g. ``assignee="wang"``)."""
        return self._list("cases", where, criteria)

    def read_queue(self, read: Callable[[Doc], T], **criteria: Any) -> list[T]:
        """``read`` applied to each open case matching ``criteria``, in place, under the
        store's lock: no copies, for a caller that keeps only what it takes out (a screen
        listing hundreds of cases). ``read`` must not change the document nor keep it, or
        any part of it that can change."""
        with self._lock:
            self._check_open()
            rows = self._ws.tables["cases"]
            return [read(rows[key]) for key in self._ws.find("cases", criteria)]

    def list_drafts(self, *, where: Where | None = None, **criteria: Any) -> list[Doc]:
        return self._list("drafts", where, criteria)

    def _list(self, table: str, where: Where | None, criteria: Mapping[str, Any]) -> list[Doc]:
        with self._lock:
            self._check_open()
            rows = self._ws.tables[table]
            docs = [copy_json(rows[key]) for key in self._ws.find(table, criteria)]
        return [doc for doc in docs if where(doc)] if where else docs

    # Outbox

    def outbox_peek(self, limit: int = 100) -> list[Doc]:
        """Rows ``{seq, status, reason, rejected_at, op}`` to send next, oldest first."""
        with self._lock:
            self._check_open()
            return outbox.peek(self._ws, limit)

    def outbox_of_case(self, case_id: str) -> list[Doc]:
        with self._lock:
            self._check_open()
            return outbox.of_case(self._ws, case_id)

    def outbox_rejected(self) -> list[Doc]:
        with self._lock:
            self._check_open()
            return outbox.rejected(self._ws)

    def outbox_ack(self, idempotency_keys: Iterable[str]) -> int:
        """Remove operations the server acknowledged; returns how many were still here."""
        with self._lock:
            self._check_open()
            changes = outbox.ack_changes(self._ws, idempotency_keys)
            if changes:
                self._commit(changes)
            return len(changes)

    def outbox_reject(self, idempotency_key: str, reason: str) -> None:
        """Keep a refused operation with the server's reason (it holds back its case)."""
        with self._lock:
            self._check_open()
            self._commit([outbox.reject_change(self._ws, idempotency_key, reason, self._stamp())])

    def outbox_requeue(self, idempotency_key: str) -> None:
        with self._lock:
            self._check_open()
            self._commit([outbox.requeue_change(self._ws, idempotency_key)])

    # Numbers

    def lease_add(self, block: Mapping[str, Any]) -> None:
        """Add a block ``{lease_id, prefix, first, last, width}`` leased by the server."""
        with self._lock:
            self._check_open()
            lease = numbers.check_lease(self._ws, block)
            self._commit([["leases", lease["lease_id"], lease]])

    def next_number(self, provisional_prefix: str) -> dict[str, Any]:
        """``{"number", "provisional"}``, consumed on disk before it is returned."""
        with self._lock:
            self._check_open()
            result, changes = numbers.take(self._ws, provisional_prefix)
            self._commit(changes)
            return result

    def numbers_left(self) -> int:
        with self._lock:
            return numbers.left(self._ws)

    # Audit trail

    def audit_append(self, entries: Iterable[Mapping[str, Any]]) -> tuple[int, ...]:
        with self._lock:
            self._check_open()
            changes, seqs = audit.chain(self._ws, entries, self._stamp())
            if changes:
                self._commit(changes)
            return tuple(seqs)

    def audit_entries(self, since_seq: int = 0) -> list[Doc]:
        """Entries after ``since_seq`` in order, from the partitions and the working set."""
        with self._lock:
            self._check_open()
            found: dict[int, Doc] = {}
            for period in self._shelf.periods("audit"):
                for _, entry in self._shelf.partition("audit", period).items():
                    found[entry["seq"]] = entry
            for row in self._ws.tables["moving"].values():
                if row["kind"] == "audit":
                    found[row["value"]["seq"]] = row["value"]
            for entry in self._ws.tables["audit"].values():
                found[entry["seq"]] = entry
            return [copy_json(found[s]) for s in sorted(found) if s > since_seq]

    def audit_verify(self) -> int:
        """Check the whole hash chain; returns its length or raises AuditChainBroken."""
        with self._lock:
            entries = self.audit_entries()
            return audit.verify(entries, self._ws.meta("audit_head"))

    # Archive and retention

    def archive(self, case_ids: Iterable[str], *, archived_on: dt.date) -> int:
        """Move closed, fully synced cases to the archive partition of ``archived_on``."""
        with self._lock:
            self._check_open()
            rows: dict[str, Any] = {}
            for case_id in dict.fromkeys(case_ids):
                doc = self._ws.get("cases", case_id)
                if doc is None:
                    raise KeyError(f"case {case_id!r} is not in the working set")
                if case_id in self._ws.outbox_by_case:
                    raise StoreError(
                        f"case {case_id!r} has operations the server has not acknowledged: "
                        "archive it once it is synced"
                    )
                rows[case_id] = {"doc": doc, "archived_on": archived_on.isoformat()}
            if not rows:
                return 0
            changes = [["cases", case_id, None] for case_id in rows]
            changes += self._shelf.move_changes("archive", month_of(archived_on), rows)
            self._commit(changes)
            self._finish_moves_quietly()
            return len(rows)

    def archived_periods(self) -> list[str]:
        with self._lock:
            return self._shelf.periods("archive")

    def list_archived(self, period: str, *, where: Where | None = None) -> list[Doc]:
        with self._lock:
            self._check_open()
            docs = [
                copy_json(row["doc"]) for _, row in self._shelf.partition("archive", period).items()
            ]
        return [doc for doc in docs if where(doc)] if where else docs

    def retention_sweep(self, today: dt.date, keep_days: int = 90) -> RetentionReport:
        """Delete archived cases archived more than ``keep_days`` days before ``today``."""
        with self._lock:
            self._check_open()
            self._finish_moves_quietly()
            try:
                report = self._shelf.retention_sweep(today, keep_days)
                self._log.prune_written_before(today - dt.timedelta(days=keep_days))
            except OSError as exc:
                raise StoreWriteError(f"the retention sweep stopped half-way: {exc}") from exc
            return report

    def _archived(self, case_id: str) -> Doc | None:
        waiting = self._shelf.waiting("archive", case_id)
        if waiting is not None:
            return dict(waiting["doc"])
        for period in reversed(self._shelf.periods("archive")):
            row = self._shelf.partition("archive", period).get(case_id)
            if row is not None:
                return copy_json(row["doc"])
        return None

    # Local settings (never secrets)

    def setting(self, name: str, default: Any = None) -> Any:
        with self._lock:
            return copy_json(self._ws.tables["settings"].get(name, default))

    def set_setting(self, name: str, value: Any) -> None:
        """Store a non-secret setting; ``None`` removes it."""
        with self._lock:
            self._check_open()
            self._commit([["settings", name, value]])

    # Maintenance

    def checkpoint(self) -> None:
        """Write a new snapshot generation now (also done as the journal grows)."""
        with self._lock:
            self._check_open()
            self._log.checkpoint()

    def verify_files(self) -> list[RecoveryNote]:
        """Read every file, older generations included, and report damage (no changes)."""
        with self._lock:
            self._check_open()
            return scrub(self.folder, self._sealer, self._ws.indexed_fields)

    def stats(self) -> dict[str, int]:
        with self._lock:
            counts = outbox.counts(self._ws)
            return {
                "open_cases": len(self._ws.tables["cases"]),
                "drafts": len(self._ws.tables["drafts"]),
                "outbox_pending": counts["pending"],
                "outbox_rejected": counts["rejected"],
                "audit_recent": len(self._ws.tables["audit"]),
                "numbers_left": numbers.left(self._ws),
                "archive_periods": len(self._shelf.periods("archive")),
                "generation": self._log.generation,
            }

    # Internals

    def _stamp(self) -> str:
        return self._now().isoformat()

    def _check_open(self) -> None:
        if self._closed:
            raise StoreClosed(f"the local store in {self.folder} is closed")
        self._log.check_writable()

    def _commit(self, changes: list[list[Any]]) -> int:
        return self._log.commit(changes)

    def _tidy(self) -> None:
        """Before a checkpoint: past months' audit entries and waiting moves leave the
        working set, so the new snapshot is as small as it can be."""
        changes = self._shelf.roll_audit_changes(month_of(self._now().date()))
        if changes:
            self._log.commit(changes)
        self._finish_moves_quietly()

    def _finish_moves_quietly(self) -> None:
        try:
            self._shelf.finish_moves()
        except (OSError, StoreError) as exc:
            log.warning("moving rows to the archive will be retried: %s", exc)
