"""Corruption is survived: a damaged file is found when read, set aside (never deleted), and
the store comes back from the newest good generation, saying what it recovered and what
only the server still has."""

from __future__ import annotations

import datetime as dt
import random
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from offline import Store
from tests.offline.sample import audit_entry, case_doc, operation


def save(store: Store, n: int) -> dict:
    doc = case_doc(f"case-{n}", random.Random(n))
    store.save_batch(
        cases=[doc], operations=[operation(doc["id"])], audit_entries=[audit_entry(doc["id"])]
    )
    return doc


def flip(path: Path, offset: int) -> bytes:
    data = bytearray(path.read_bytes())
    original = bytes(data)
    data[offset] ^= 0x5A
    path.write_bytes(bytes(data))
    return original


def newest(folder: Path, pattern: str) -> Path:
    return max(folder.glob(pattern))


def set_aside(folder: Path) -> list[Path]:
    return sorted((folder / "damaged").iterdir()) if (folder / "damaged").exists() else []


def test_a_damaged_newest_snapshot_is_rebuilt_from_an_older_generation(open_store, folder) -> None:
    store = open_store()
    docs = []
    for n in range(12):
        docs.append(save(store, n))
        if n % 4 == 3:
            store.checkpoint()
    store.close(checkpoint=False)
    snapshot = newest(folder, "working-*.snap")
    original = flip(snapshot, snapshot.stat().st_size // 2)

    store = open_store()
    [note] = store.recovery_notes
    assert note.file == snapshot.name and "nothing was lost" in note.message
    assert not note.needs_server
    assert store.list_queue() == docs
    assert store.audit_verify() == 12
    [kept] = set_aside(folder)
    assert kept.read_bytes() != original and len(kept.read_bytes()) == len(original)
    store.close()
    assert open_store().recovery_notes == [], "repaired for good: a new generation was written"


def test_two_damaged_snapshots_still_lose_nothing_while_journals_remain(open_store, folder) -> None:
    store = open_store()
    docs = [save(store, n) for n in range(3)]
    store.checkpoint()
    docs += [save(store, n) for n in range(3, 6)]
    store.checkpoint()
    docs += [save(store, n) for n in range(6, 9)]
    store.close(checkpoint=False)
    snapshots = sorted(folder.glob("working-*.snap"))
    for path in snapshots[-2:]:
        flip(path, 40)
    store = open_store()
    assert len(store.recovery_notes) == 2
    assert store.list_queue() == docs


def test_a_damaged_journal_keeps_what_came_before_and_says_what_is_lost(open_store, folder) -> None:
    store = open_store()
    docs = [save(store, n) for n in range(6)]
    sizes = []
    for n in range(6, 10):
        docs.append(save(store, n))
        sizes.append(newest(folder, "working-*.wal").stat().st_size)
    store.close(checkpoint=False)
    journal = newest(folder, "working-*.wal")
    flip(journal, sizes[1] + 30)  # inside the record of case-8

    store = open_store()
    [note] = store.recovery_notes
    assert note.file == journal.name and "fails authentication" in note.damage
    assert "server" in note.needs_server
    assert [d["id"] for d in store.list_queue()] == [f"case-{n}" for n in range(8)]
    assert [p.name.split(".wal")[0] for p in set_aside(folder)] == [journal.stem]
    docs = docs[:8] + [save(store, 20)]
    store.close(checkpoint=False)
    store = open_store()
    assert store.recovery_notes == []
    assert store.list_queue() == docs
    assert store.audit_verify() == 9


def test_a_flipped_length_is_damage_not_an_unfinished_write(open_store, folder) -> None:
    store = open_store()
    save(store, 0)
    before = newest(folder, "working-*.wal").stat().st_size
    save(store, 1)
    store.close(checkpoint=False)
    flip(newest(folder, "working-*.wal"), before + 3)  # the last record's length field
    store = open_store()
    [note] = store.recovery_notes
    assert "header" in note.damage and note.needs_server


def test_damaged_archive_partition_comes_back_from_its_previous_generation(
    open_store, folder
) -> None:
    store = open_store()
    docs = {}
    for batch in (range(0, 4), range(4, 8)):
        ids = []
        for n in batch:
            docs[f"case-{n}"] = save(store, n)
            ids.append(f"case-{n}")
        store.outbox_ack([r["op"]["idempotency_key"] for r in store.outbox_peek()])
        store.archive(ids, archived_on=dt.date(2026, 11, 2))
    store.close()
    flip(folder / "archive-2026-11.db", 100)
    store = open_store()
    assert store.recovery_notes == [], "partitions are read when first used, not at open"
    assert store.get("case-0") == docs["case-0"]
    [note] = store.recovery_notes
    assert note.file == "archive-2026-11.db" and "generation 1" in note.action
    assert "server" in note.needs_server
    assert store.get("case-5") is None, "archived after the generation: on the server"
    assert [d["id"] for d in store.list_archived("2026-11")] == [f"case-{n}" for n in range(4)]


def test_a_partition_with_no_good_generation_starts_empty_with_a_note(open_store, folder) -> None:
    store = open_store()
    doc = save(store, 0)
    store.outbox_ack([r["op"]["idempotency_key"] for r in store.outbox_peek()])
    store.archive(["case-0"], archived_on=dt.date(2026, 11, 2))
    store.close()
    flip(folder / "archive-2026-11.db", 10)
    store = open_store()
    assert store.get("case-0") is None
    [note] = store.recovery_notes
    assert "starts empty" in note.action and "only on the server" in note.needs_server
    assert doc and len(set_aside(folder)) == 1


class Journal:
    """A store whose working set lives in one journal, with each record's end offset."""

    def __init__(self, folder: Path, key: bytes) -> None:
        self.folder, self.key = folder, key
        with Store.open(folder, key) as store:
            self.docs = []
            self.ends = [newest(folder, "working-*.wal").stat().st_size]
            for n in range(12):
                self.docs.append(save(store, n))
                self.ends.append(newest(folder, "working-*.wal").stat().st_size)
            store.close(checkpoint=False)
        self.journal = newest(folder, "working-*.wal").name


@pytest.fixture(scope="module")
def journal(tmp_path_factory: pytest.TempPathFactory) -> Journal:
    return Journal(tmp_path_factory.mktemp("journal") / "store", bytes(range(32)))


@settings(max_examples=60, deadline=None)
@given(cut=st.integers(min_value=0, max_value=10**9))
def test_a_journal_cut_anywhere_opens_as_of_its_last_whole_record(
    journal: Journal, cut: int
) -> None:
    cut = cut % (journal.ends[-1] + 1)
    with tempfile.TemporaryDirectory() as scratch:
        trial = Path(scratch) / "store"
        shutil.copytree(journal.folder, trial)
        with open(trial / journal.journal, "r+b") as handle:
            handle.truncate(cut)
        whole = sum(1 for end in journal.ends[1:] if end <= cut)
        with Store.open(trial, journal.key) as store:
            assert store.recovery_notes == [], "an unfinished write is not damage"
            assert store.list_queue() == journal.docs[:whole]
            assert len(store.outbox_peek()) == whole
            save(store, 99)
        with Store.open(trial, journal.key) as store:
            assert [d["id"] for d in store.list_queue()][-1] == "case-99"


def test_work_saved_after_a_repair_survives_a_second_damage(open_store, folder) -> None:
    store = open_store()
    kept = [save(store, n) for n in range(4)]
    store.checkpoint()
    kept += [save(store, n) for n in range(4, 6)]
    size = newest(folder, "working-*.wal").stat().st_size
    save(store, 6)  # will be lost to the damage below
    store.close(checkpoint=False)
    flip(newest(folder, "working-*.wal"), size + 40)
    store = open_store()
    assert len(store.recovery_notes) == 1
    kept += [save(store, n) for n in range(7, 10)]  # work done after the repair
    store.close(checkpoint=False)
    flip(newest(folder, "working-*.snap"), 60)  # the repair's own snapshot is damaged now
    store = open_store()
    assert [d["id"] for d in store.list_queue()] == [d["id"] for d in kept]
    assert store.list_queue() == kept
