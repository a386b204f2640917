"""Durability: a write is acknowledged only once it is on disk.

A power cut cannot be simulated here, so these tests watch the system calls instead: each
one fails if the fsync of a file before it is acknowledged (or before its rename), or of
the folder after a rename or creation, is removed from the code.
"""

from __future__ import annotations

import datetime as dt
import errno
import os
import random
import sys
from pathlib import Path

import pytest

from offline import Store, StoreWriteError
from offline.durable import write_atomic
from tests.offline.sample import audit_entry, case_doc, operation

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="reads /proc/self/fd to name fsynced files"
)


class SyscallLog:
    """Records fsync (with the file's size at that moment) and rename calls, in order."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.events: list[tuple[str, str, int]] = []
        real_fsync, real_replace = os.fsync, os.replace

        def fsync(fd: int) -> None:
            path = os.readlink(f"/proc/self/fd/{fd}")
            self.events.append(("fsync", path, os.fstat(fd).st_size))
            real_fsync(fd)

        def replace(src, dst, **kwargs) -> None:
            real_replace(src, dst, **kwargs)
            self.events.append(("replace", f"{src}->{dst}", 0))

        monkeypatch.setattr(os, "fsync", fsync)
        monkeypatch.setattr(os, "replace", replace)

    def fsynced(self, path: Path) -> list[int]:
        """Sizes at which ``path`` was fsynced."""
        return [size for kind, p, size in self.events if kind == "fsync" and p == str(path)]

    def index(self, kind: str, predicate) -> int:
        for n, (k, what, _) in enumerate(self.events):
            if k == kind and predicate(what):
                return n
        raise AssertionError(f"no {kind} matching in {self.events}")


def _save(store: Store, n: int) -> None:
    cid = f"case-{n}"
    store.save_batch(
        cases=[case_doc(cid, random.Random(n))],
        operations=[operation(cid)],
        audit_entries=[audit_entry(cid)],
    )


def _journal(folder: Path) -> Path:
    return max(folder.glob("working-*.wal"))


def test_a_save_is_fsynced_in_full_before_it_returns(open_store, folder, monkeypatch) -> None:
    store = open_store()
    _save(store, 0)
    log = SyscallLog(monkeypatch)
    _save(store, 1)
    journal = _journal(folder)
    assert journal.stat().st_size in log.fsynced(journal), "the record was not fsynced whole"


def test_a_checkpoint_fsyncs_the_snapshot_before_its_rename_and_the_folder_after(
    open_store, folder, monkeypatch
) -> None:
    store = open_store()
    _save(store, 0)
    log = SyscallLog(monkeypatch)
    store.checkpoint()
    snapshot = max(folder.glob("working-*.snap"))
    renamed = log.index("replace", lambda what: what.endswith("->" + str(snapshot)))
    temp = log.events[renamed][1].split("->")[0]
    synced = log.index("fsync", lambda what: what == temp)
    assert synced < renamed, "the snapshot must be on disk before it takes its name"
    assert str(folder) in [p for k, p, _ in log.events[renamed:] if k == "fsync"], (
        "the folder must be fsynced after the rename"
    )
    journal = _journal(folder)
    assert journal.name == snapshot.name.replace(".snap", ".wal")
    assert log.fsynced(folder), "a new journal's name must be made durable"


def test_an_archive_partition_is_written_durably(open_store, folder, monkeypatch) -> None:
    store = open_store()
    _save(store, 0)
    store.outbox_ack([row["op"]["idempotency_key"] for row in store.outbox_peek()])
    log = SyscallLog(monkeypatch)
    store.archive(["case-0"], archived_on=dt.date(2026, 11, 23))
    partition = folder / "archive-2026-11.db"
    renamed = log.index("replace", lambda what: what.endswith("->" + str(partition)))
    temp = log.events[renamed][1].split("->")[0]
    assert log.index("fsync", lambda what: what == temp) < renamed
    assert str(folder) in [p for k, p, _ in log.events[renamed:] if k == "fsync"]


def test_write_atomic_keeps_the_old_file_when_the_rename_fails(tmp_path, monkeypatch) -> None:
    target = tmp_path / "file"
    write_atomic(target, b"old")

    def failing(src, dst, **kwargs):
        raise OSError(errno.EIO, "simulated")

    monkeypatch.setattr(os, "replace", failing)
    with pytest.raises(OSError):
        write_atomic(target, b"new")
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["file"], "no temporary file left behind"


def test_orphan_temporary_files_are_removed_at_open(open_store, folder, key) -> None:
    open_store().close()
    orphan = folder / ".working-00000009.snap.1a2b3c4d.tmp"
    orphan.write_bytes(b"half a snapshot")
    store = open_store()
    assert not orphan.exists()
    assert store.recovery_notes == []


def test_a_failed_journal_write_saves_nothing_and_the_store_goes_on(
    open_store, folder, key, monkeypatch
) -> None:
    store = open_store()
    _save(store, 0)
    real_write = os.write
    journal = _journal(folder)

    def disk_full(fd: int, data) -> int:
        if os.readlink(f"/proc/self/fd/{fd}") == str(journal):
            real_write(fd, bytes(data)[:100])  # part of the record reaches the file
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_write(fd, data)

    monkeypatch.setattr(os, "write", disk_full)
    with pytest.raises(StoreWriteError, match="nothing was saved"):
        _save(store, 1)
    monkeypatch.setattr(os, "write", real_write)
    assert store.get("case-1") is None
    _save(store, 2)
    store.close(checkpoint=False)
    reopened = open_store()
    assert reopened.recovery_notes == []
    assert [d["id"] for d in reopened.list_queue()] == ["case-0", "case-2"]
    assert len(reopened.outbox_peek()) == 2
    assert reopened.audit_verify() == 2
