"""Archive and audit partitions: encrypted tinydb files, one per period, written rarely.

Closed and synced cases (and audit entries of past months) leave the working set for a
partition named by period, so the files written on every save stay small however long the
history. A partition is a tinydb database on ``SealedStorage``: tinydb's storage API with
an in-memory copy (tinydb would otherwise re-read the file on every operation) that writes
through, sealed, atomically, keeping the previous generations as hard links so a damaged
partition comes back from the newest good one. A partition is read when first used, never
at open.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import re
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

from tinydb import Storage, TinyDB
from tinydb.table import Document, Table

from offline.durable import copy_durably, write_atomic
from offline.errors import DamagedFile
from offline.notes import RecoveryNote
from offline.quarantine import move_aside, relative
from offline.sealing import Sealer

log = logging.getLogger(__name__)

KINDS = ("archive", "audit")
_TABLE = "rows"
_NAME = re.compile(r"^(archive|audit)-(\d{4}-\d{2})\.db(?:\.(\d+))?$")


def partition_file(kind: str, period: str) -> str:
    return f"{kind}-{period}.db"


def generation_path(path: Path, n: int) -> Path:
    return path.with_name(f"{path.name}.{n}")


class KeyedTable(Table):
    """Rows keyed by the caller's ids (case ids, audit sequence keys) instead of counters."""

    document_id_class = str  # type: ignore[assignment]


class PartitionDB(TinyDB):
    table_class = KeyedTable
    default_table_name = _TABLE


class SealedStorage(Storage):
    """tinydb storage: reads from memory, writes through to a sealed file on every change.

    Inside ``batch()`` the changes of one logical step are written once at its end; if
    the write fails, the in-memory copy is reloaded from the file, which still holds the
    last acknowledged state.
    """

    def __init__(
        self, path: Path, sealer: Sealer, identity: str, data: dict[str, Any], keep: int
    ) -> None:
        self._path = path
        self._sealer = sealer
        self._identity = identity
        self._data: dict[str, Any] = data
        self._keep = keep
        self._deferred = False
        self._dirty = False

    def read(self) -> dict[str, Any]:
        return self._data

    def write(self, data: dict[str, Any]) -> None:
        self._data = data
        if self._deferred:
            self._dirty = True
        else:
            self._write_through()

    def close(self) -> None:
        pass

    @contextlib.contextmanager
    def batch(self) -> Iterator[None]:
        self._deferred, self._dirty = True, False
        try:
            yield
        except BaseException:
            self._deferred = False
            self._data = read_sealed(self._path, self._sealer, self._identity)
            raise
        self._deferred = False
        if self._dirty:
            self._write_through()

    def _write_through(self) -> None:
        plaintext = json.dumps(self._data, ensure_ascii=False, separators=(",", ":")).encode()
        try:
            rotate_generations(self._path, self._keep)
            write_atomic(self._path, self._sealer.seal_file(plaintext, self._identity))
        except BaseException:
            self._data = read_sealed(self._path, self._sealer, self._identity)
            raise


def rotate_generations(path: Path, keep: int) -> None:
    """Keep the file about to be replaced as generation 1 (older ones shift down)."""
    if keep < 1 or not path.exists():
        return
    oldest = generation_path(path, keep)
    oldest.unlink(missing_ok=True)
    for n in range(keep - 1, 0, -1):
        if generation_path(path, n).exists():
            os.replace(generation_path(path, n), generation_path(path, n + 1))
    try:
        os.link(path, generation_path(path, 1))  # the replace below then leaves it intact
    except OSError:
        copy_durably(path, generation_path(path, 1))  # no hard links on this filesystem


def read_sealed(path: Path, sealer: Sealer, identity: str) -> dict[str, Any]:
    if not path.exists():
        return {}
    data = json.loads(sealer.unseal_file(path.read_bytes(), identity, path))
    if not isinstance(data, dict) or not all(isinstance(t, dict) for t in data.values()):
        raise DamagedFile(path, "not a partition this program wrote")
    return data


class Partition:
    """One period's rows of one kind."""

    def __init__(self, path: Path, storage: SealedStorage) -> None:
        self.path = path
        self._storage = storage
        self._db = PartitionDB(storage=lambda: storage)
        self._table = self._db.table(_TABLE)

    @classmethod
    def load(
        cls, folder: Path, kind: str, period: str, sealer: Sealer, keep: int
    ) -> tuple[Partition, list[RecoveryNote]]:
        """The partition from its newest good generation; damaged ones are set aside."""
        path = folder / partition_file(kind, period)
        identity = f"{kind}|{period}"
        candidates = [path] + [generation_path(path, n) for n in range(1, keep + 1)]
        notes: list[RecoveryNote] = []
        problems: list[str] = []
        for n, candidate in enumerate(candidates):
            if not candidate.exists():
                continue
            try:
                data = read_sealed(candidate, sealer, identity)
            except (DamagedFile, ValueError) as exc:
                aside = relative(move_aside(candidate), folder)
                reason = getattr(exc, "reason", str(exc))
                problems.append(f"{candidate.name} damaged ({reason}), set aside as {aside}")
                continue
            if n > 0:
                copy_durably(candidate, path)
            if problems:
                notes.append(_note(kind, period, path.name, problems, n))
            return cls(path, SealedStorage(path, sealer, identity, data, keep)), notes
        if problems:
            notes.append(_note(kind, period, path.name, problems, None))
        return cls(path, SealedStorage(path, sealer, identity, {}, keep)), notes

    def __len__(self) -> int:
        return len(self._table)

    def get(self, key: str) -> dict[str, Any] | None:
        row = self._table.get(doc_id=key)  # type: ignore[call-overload]
        return dict(row) if row is not None else None

    def items(self) -> Iterator[tuple[str, dict[str, Any]]]:
        for row in self._table.all():
            yield str(row.doc_id), dict(row)

    def put_many(self, rows: Mapping[str, Mapping[str, Any]]) -> None:
        """Insert or replace rows in one durable write."""
        with self._storage.batch():
            self._table.remove(doc_ids=list(rows))  # type: ignore[arg-type]
            self._table.insert_multiple(Document(v, doc_id=k) for k, v in rows.items())  # type: ignore[arg-type]

    def remove_many(self, keys: Iterable[str]) -> None:
        with self._storage.batch():
            self._table.remove(doc_ids=list(keys))  # type: ignore[arg-type]

    def drop_generations(self) -> None:
        """Forget older generations (after retention removed rows they still hold)."""
        for entry in list(self.path.parent.iterdir()):
            if entry.name.startswith(self.path.name + ".") and entry.name[-1].isdigit():
                entry.unlink(missing_ok=True)


def _note(
    kind: str, period: str, name: str, problems: list[str], restored_from: int | None
) -> RecoveryNote:
    damage = "; ".join(problems)
    what = "archived cases" if kind == "archive" else "audit entries"
    if restored_from is None:
        return RecoveryNote(
            name,
            damage,
            "no good generation was left, so it starts empty",
            f"its {what} of {period} are only on the server now",
        )
    return RecoveryNote(
        name,
        damage,
        f"restored from its generation {restored_from}",
        f"{what} of {period} written after that generation are on the server",
    )


def periods_on_disk(folder: Path, kind: str) -> list[str]:
    found = set()
    for entry in folder.iterdir():
        match = _NAME.match(entry.name)
        if match and match.group(1) == kind:
            found.add(match.group(2))
    return sorted(found)


def delete_partition(folder: Path, kind: str, period: str) -> None:
    """Remove a partition and its generations (retention: the data must not linger)."""
    name = partition_file(kind, period)
    pattern = re.compile(rf"^{re.escape(name)}(?:\.\d+)?$")
    for entry in list(folder.iterdir()):
        if pattern.match(entry.name):
            entry.unlink(missing_ok=True)
    log.info("deleted partition %s and its generations", name)
