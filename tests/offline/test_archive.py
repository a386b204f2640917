"""Closed, synced cases move to archive partitions by period; retention deletes them later;
the working set stays small whatever the history."""

from __future__ import annotations

import datetime as dt
import random

import pytest

from offline import StoreError
from tests.offline.sample import case_doc, operation


def closed_and_synced(store, ids: list[str]) -> list[dict]:
    docs = [case_doc(cid, random.Random(cid), state="delivered") for cid in ids]
    ops = [operation(cid) for cid in ids]
    store.save_batch(cases=docs, operations=ops)
    store.outbox_ack([op["idempotency_key"] for op in ops])
    return docs


def test_archived_cases_leave_the_working_set_and_stay_readable(open_store, folder) -> None:
    store = open_store()
    docs = closed_and_synced(store, ["a", "b", "c"])
    assert store.archive(["a", "b"], archived_on=dt.date(2026, 11, 23)) == 2
    assert [d["id"] for d in store.list_queue()] == ["c"]
    assert store.archived_periods() == ["2026-11"]
    assert store.get("a") == docs[0]
    assert store.list_archived("2026-11") == docs[:2]
    store.close()
    store = open_store()
    assert store.get("b") == docs[1]
    snapshot = max(folder.glob("working-*.snap")).stat().st_size
    partition = (folder / "archive-2026-11.db").stat().st_size
    assert partition > snapshot, "archived documents are no longer in the working set"


def test_a_case_with_unsynced_operations_stays(open_store) -> None:
    store = open_store()
    store.save_batch(cases=[case_doc("a", random.Random(1))], operations=[operation("a")])
    with pytest.raises(StoreError, match="not acknowledged"):
        store.archive(["a"], archived_on=dt.date(2026, 11, 23))
    with pytest.raises(KeyError):
        store.archive(["nowhere"], archived_on=dt.date(2026, 11, 23))
    assert store.get("a") is not None and store.archived_periods() == []


def test_a_move_interrupted_after_its_journal_record_is_finished_at_open(
    open_store, folder, monkeypatch
) -> None:
    store = open_store()
    docs = closed_and_synced(store, ["a"])

    def crash(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(store._shelf, "finish_moves", crash)
    store.archive(["a"], archived_on=dt.date(2026, 11, 23))
    assert store.get("a") == docs[0], "readable while waiting for its partition"
    assert not (folder / "archive-2026-11.db").exists()
    store.close(checkpoint=False)
    store = open_store()
    assert (folder / "archive-2026-11.db").exists()
    assert store.get("a") == docs[0]
    assert store.list_archived("2026-11") == docs


def test_retention_deletes_cases_archived_long_enough_ago(open_store, folder) -> None:
    store = open_store()
    closed_and_synced(store, ["aug", "sep1", "sep2", "nov"])
    store.archive(["aug"], archived_on=dt.date(2026, 8, 10))
    store.archive(["sep1"], archived_on=dt.date(2026, 9, 1))
    store.archive(["sep2"], archived_on=dt.date(2026, 9, 28))
    store.archive(["nov"], archived_on=dt.date(2026, 11, 1))
    report = store.retention_sweep(dt.date(2026, 12, 15), keep_days=90)  # cutoff: 16 Sept
    assert report.cases_deleted == 2
    assert report.partitions_deleted == ("2026-08",)
    assert not list(folder.glob("archive-2026-08.db*")), "generations go too"
    assert not list(folder.glob("archive-2026-09.db.*")), "old generations held sep1"
    assert store.get("aug") is None and store.get("sep1") is None
    assert store.get("sep2") is not None and store.get("nov") is not None
    assert store.retention_sweep(dt.date(2026, 12, 15), keep_days=90).cases_deleted == 0


def test_saves_touch_only_the_journal_however_big_the_archive(open_store, folder) -> None:
    store = open_store()
    for month in range(1, 7):
        ids = [f"m{month}-{n}" for n in range(40)]
        closed_and_synced(store, ids)
        store.archive(ids, archived_on=dt.date(2026, month, 15))
    store.checkpoint()
    before = {p.name: p.stat().st_mtime_ns for p in folder.iterdir() if p.is_file()}
    store.save_batch(cases=[case_doc("new", random.Random(1))], operations=[operation("new")])
    changed = {
        p.name
        for p in folder.iterdir()
        if p.is_file() and before.get(p.name) != p.stat().st_mtime_ns
    }
    assert changed == {max(folder.glob("working-*.wal")).name}


def test_a_failed_partition_write_leaves_memory_as_the_disk(open_store, folder, monkeypatch):
    from offline import partitions

    store = open_store()
    docs = closed_and_synced(store, ["a", "b", "c"])
    store.archive(["a"], archived_on=dt.date(2026, 11, 2))
    real = partitions.write_atomic

    def disk_full(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(partitions, "write_atomic", disk_full)
    store.archive(["b"], archived_on=dt.date(2026, 11, 3))  # waits in the working set
    assert [d["id"] for d in store.list_archived("2026-11")] == ["a"], "memory = disk"
    assert store.get("b") == docs[1]
    monkeypatch.setattr(partitions, "write_atomic", real)
    store.archive(["c"], archived_on=dt.date(2026, 11, 4))  # finishes b's move too
    assert sorted(d["id"] for d in store.list_archived("2026-11")) == ["a", "b", "c"]
    store.close()
    assert sorted(d["id"] for d in open_store().list_archived("2026-11")) == ["a", "b", "c"]


def test_periods_are_months(open_store) -> None:
    with pytest.raises(ValueError, match="month"):
        open_store().list_archived("../../etc")
