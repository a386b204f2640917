"""Encryption at rest: no citizen's data in any file, and one flipped byte in any file is
found and named, never read as something else."""

from __future__ import annotations

import datetime as dt
import json
import random
import shutil
from pathlib import Path

import pytest

from offline import AuditChainBroken, RecoveryError, Store, StoreError
from offline.recovery import recover_key, write_recovery_file
from tests.offline.sample import audit_entry, case_doc, citizen, operation

PASSPHRASE = "窗口三号-recovery-2026"
NOT_DATA = {"store.lock", "store.owner"}  # the lock and the owner's pid: no data is read there


class Clock:
    def __init__(self, now: dt.datetime) -> None:
        self.now = now

    def __call__(self) -> dt.datetime:
        return self.now


def build_store(folder: Path, key: bytes) -> tuple[dict[str, dict], list[dict]]:
    """A store with every kind of file: generations, journal, archive and audit partitions
    (with generations), drafts, leases, recovery files. Returns the cases and citizens."""
    rng = random.Random(7)
    people = [citizen(rng) for _ in range(40)]
    clock = Clock(dt.datetime(2026, 10, 20, 9, tzinfo=dt.UTC))
    store = Store.open(folder, key, now=clock, journal_limit=8 * 1024)
    cases: dict[str, dict] = {}

    def save(n: int) -> None:
        doc = case_doc(f"case-{n}", rng, person=people[n], assignee=f"officer{n % 2}")
        op = operation(doc["id"], payload={"applicant": doc["applicant"]})
        store.save_batch(cases=[doc], operations=[op], audit_entries=[audit_entry(doc["id"])])
        cases[doc["id"]] = doc

    for n in range(20):
        save(n)
    clock.now = dt.datetime(2026, 11, 20, 9, tzinfo=dt.UTC)
    for n in range(20, 34):
        save(n)
    store.save_batch(drafts=[case_doc("draft-1", rng, person=people[34], state="draft")])
    store.lease_add({"lease_id": "L1", "prefix": "JX-", "first": 1, "last": 50, "width": 6})
    store.next_number("P-")
    for batch, day in ((range(0, 6), 3), (range(6, 10), 5), (range(10, 14), 20)):
        ids = [f"case-{n}" for n in batch]
        store.outbox_ack(
            [
                r["op"]["idempotency_key"]
                for r in store.outbox_peek(1000)
                if r["op"]["case_id"] in ids
            ]
        )
        store.archive(ids, archived_on=dt.date(2026, 11 if day < 10 else 10, day))
    store.checkpoint()  # rolls October's audit entries into their partition
    for n in range(34, 38):
        save(n)  # the newest journal is not empty
    write_recovery_file(folder, key, PASSPHRASE, store.store_id)
    assert len(list(folder.glob("working-*.snap"))) >= 2
    assert list(folder.glob("archive-2026-11.db.1")) and list(folder.glob("audit-2026-10.db"))
    store.close(checkpoint=False)
    return cases, people


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory):
    folder = tmp_path_factory.mktemp("pristine") / "store"
    key = bytes(range(32))
    cases, people = build_store(folder, key)
    return folder, key, cases, people


def forms(text: str) -> list[bytes]:
    """How a piece of personal data could appear in a file if it were not encrypted."""
    escaped = json.dumps(text)[1:-1]
    found = {text.encode("utf-8"), escaped.encode("ascii"), escaped.upper().encode("ascii")}
    found.add(escaped.replace("\\U", "\\u").encode("ascii"))
    found.add(text.encode("gb18030"))
    return sorted(found)


def test_no_personal_data_in_any_file(pristine) -> None:
    folder, _, _, people = pristine
    files = [p for p in folder.rglob("*") if p.is_file()]
    assert len(files) >= 12
    blobs = {p.name: p.read_bytes() for p in files}
    for person in people:
        for field in ("name", "id_number", "phone"):
            for form in forms(person[field]):
                leaks = [name for name, blob in blobs.items() if form in blob]
                assert leaks == [], f"{field} {person[field]} readable in {leaks}"


def test_the_search_for_personal_data_would_find_it_unencrypted(tmp_path) -> None:
    person = citizen(random.Random(1))
    plain = json.dumps({"applicant": person}).encode()  # ensure_ascii: \\u escapes
    assert any(form in plain for form in forms(person["name"]))
    assert any(form in plain for form in forms(person["id_number"]))


def read_everything(folder: Path, key: bytes, ids: list[str]):
    """Open the store and read all there is; returns (cases read, notes, audit problem)."""
    with Store.open(folder, key) as store:
        read = {cid: store.get(cid) for cid in ids}
        read["draft-1"] = store.get_draft("draft-1")
        for period in store.archived_periods():
            store.list_archived(period)
        problem = ""
        try:
            store.audit_verify()
        except AuditChainBroken as exc:
            problem = str(exc)
        notes = [*store.recovery_notes, *store.verify_files()]
    return read, notes, problem


def flip_positions(size: int, rng: random.Random) -> list[int]:
    return sorted({0, 1, size // 2, size - 1, rng.randrange(size), rng.randrange(size)})


def test_one_flipped_byte_in_any_file_is_named_and_never_misread(pristine, tmp_path) -> None:
    folder, key, cases, _ = pristine
    rng = random.Random(11)
    names = sorted(p.name for p in folder.iterdir() if p.is_file() and p.name not in NOT_DATA)
    assert {"store.json", "store.json.bak", "recovery.json", "recovery.json.bak"} <= set(names)
    trials = 0
    for name in names:
        size = (folder / name).stat().st_size
        for position in flip_positions(size, rng):
            trial = tmp_path / f"t{trials}"
            shutil.copytree(folder, trial)
            data = bytearray((trial / name).read_bytes())
            data[position] ^= rng.randint(1, 255)
            (trial / name).write_bytes(bytes(data))
            trials += 1
            try:
                read, notes, audit_problem = read_everything(trial, key, list(cases))
            except StoreError as exc:  # acceptable only if it names the file
                assert name in str(exc), f"{name}@{position}: {exc}"
                continue
            named = [n for n in notes if n.file == name or name in n.message]
            assert named, f"{name}@{position}: the damage went unreported"
            lost = any(n.needs_server for n in notes)
            for cid, doc in read.items():
                if cid == "draft-1":
                    assert doc is not None or lost
                    continue
                assert doc == cases[cid] or (doc is None and lost), f"{name}@{position}: {cid}"
            assert not audit_problem or lost, f"{name}@{position}: {audit_problem}"
            if name.startswith("recovery.json"):
                assert recover_key(trial, PASSPHRASE) == key, "the other copy still works"
    assert trials >= 60


def test_a_flipped_recovery_file_is_named_when_no_copy_is_left(pristine, tmp_path) -> None:
    folder, _, _, _ = pristine
    trial = tmp_path / "t"
    shutil.copytree(folder, trial)
    (trial / "recovery.json.bak").unlink()
    data = bytearray((trial / "recovery.json").read_bytes())
    data[len(data) // 2] ^= 0x04
    (trial / "recovery.json").write_bytes(bytes(data))
    with pytest.raises(RecoveryError, match="recovery.json: damaged"):
        recover_key(trial, PASSPHRASE)


def test_files_cannot_be_swapped(pristine, tmp_path) -> None:
    folder, key, cases, _ = pristine
    trial = tmp_path / "t"
    shutil.copytree(folder, trial)
    october = trial / "archive-2026-10.db"
    november = trial / "archive-2026-11.db"
    october_bytes = october.read_bytes()
    october.write_bytes(november.read_bytes())
    november.write_bytes(october_bytes)
    read, notes, _ = read_everything(trial, key, list(cases))
    assert {n.file for n in notes} >= {"archive-2026-10.db", "archive-2026-11.db"}
    assert all(doc is None or doc == cases[cid] for cid, doc in read.items() if cid in cases)
