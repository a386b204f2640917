"""Committing changes to the working set: the journal record first, memory after.

A commit is acknowledged when its sealed record is fsynced in the journal. The in-memory
working set is then changed from the very bytes written, so it is always what a restart
would replay. As the journal grows, a checkpoint writes a new snapshot generation and
starts a new journal, which keeps both the journal replayed at open and each save small.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from offline import generations
from offline.errors import StoreClosed, StoreWriteError
from offline.journal import JournalWriter, encode_record
from offline.sealing import Sealer
from offline.working_set import WorkingSet

log = logging.getLogger(__name__)

Changes = list[list[Any]]


class CommitLog:
    def __init__(
        self,
        folder: Path,
        sealer: Sealer,
        loaded: generations.Loaded,
        *,
        now: Callable[[], dt.datetime],
        keep_generations: int,
        journal_limit: int,
    ) -> None:
        self.folder = folder
        self.ws: WorkingSet = loaded.ws
        self.generation = loaded.newest
        self._sealer = sealer
        self._now = now
        self._keep = keep_generations
        self._journal_limit = journal_limit
        self._before_checkpoint: Callable[[], None] = lambda: None
        self._checkpointing = False
        snapshot = folder / generations.snapshot_name(loaded.newest)
        self._snapshot_size = snapshot.stat().st_size if snapshot.exists() else 0
        self._journal: JournalWriter | None = None
        if loaded.needs_checkpoint:
            self._new_generation()
        else:
            self._journal = JournalWriter(folder / generations.journal_name(self.generation))

    def before_checkpoint(self, step: Callable[[], None]) -> None:
        """Work to do (with commits of its own) just before each checkpoint."""
        self._before_checkpoint = step

    def stamp(self) -> str:
        return self._now().isoformat()

    @property
    def pending_bytes(self) -> int:
        """Journal bytes a checkpoint would fold into a snapshot."""
        return self._journal.size if self._journal is not None else 0

    def check_writable(self) -> None:
        if self._journal is None:
            raise StoreClosed(f"the local store in {self.folder} is closed")
        if self._journal.broken:
            raise StoreClosed(
                f"the local store in {self.folder} stopped writing after a write it could not "
                "undo: close and reopen it"
            )

    def commit(self, changes: Changes) -> int:
        """Append one journal record and apply it; returns its sequence number."""
        self.check_writable()
        assert self._journal is not None
        lsn = self.ws.lsn + 1
        try:
            plaintext = json.dumps(
                {"at": self.stamp(), "changes": changes},
                ensure_ascii=False,
                separators=(",", ":"),
                allow_nan=False,
            ).encode("utf-8")
        except (TypeError, ValueError) as exc:
            raise ValueError(f"not storable as JSON: {exc}") from exc
        try:
            self._journal.append(encode_record(self._sealer, lsn, plaintext))
        except OSError as exc:
            raise StoreWriteError(
                f"{self._journal.path}: could not write ({exc.strerror or exc}); nothing was saved"
            ) from exc
        self.ws.apply(lsn, json.loads(plaintext)["changes"])
        # Bounded replay at open, and checkpoints rare next to saves even for a big snapshot.
        limit = max(self._journal_limit, self._snapshot_size // 2)
        if not self._checkpointing and self._journal.size > limit:
            try:
                self.checkpoint()
            except OSError as exc:
                log.warning("checkpoint failed (%s); the journal keeps everything", exc)
        return lsn

    def checkpoint(self) -> None:
        self._checkpointing = True
        try:
            self._before_checkpoint()
            self._new_generation()
        finally:
            self._checkpointing = False

    def prune_written_before(self, cutoff: dt.date) -> None:
        generations.prune_written_before(self.folder, self.generation, cutoff)

    def close(self) -> None:
        if self._journal is not None:
            self._journal.close()
            self._journal = None

    def _new_generation(self) -> None:
        generation = self.generation + 1
        self._snapshot_size = generations.write_snapshot(
            self.folder, self._sealer, self.ws, generation, self.stamp()
        )
        journal = JournalWriter(self.folder / generations.journal_name(generation))
        if self._journal is not None:
            self._journal.close()
        self._journal, self.generation = journal, generation
        generations.prune(self.folder, generation, self._keep)
