"""Crash safety: a child process saving in a loop is killed with SIGKILL at random moments,
over and over, on the same store; then every file must open, every acknowledged step must
be there whole, and nothing half-written may be."""

from __future__ import annotations

import os
import queue
import random
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from offline import Store
from tests.offline import crash_child

CHILD = Path(crash_child.__file__)
KILLS = 110
pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")


@dataclass
class Seen:
    saved: dict[str, tuple[int, int]] = field(default_factory=dict)  # case id -> (run, i)
    updated: set[str] = field(default_factory=set)
    acking: set[str] = field(default_factory=set)
    acked: set[str] = field(default_factory=set)
    archiving: set[str] = field(default_factory=set)
    archived: set[str] = field(default_factory=set)
    numbers: list[str] = field(default_factory=list)

    def take(self, run: int, line: str) -> None:
        word, _, arg = line.partition(" ")
        if word == "save":
            self.saved[arg] = (run, int(arg.rsplit("-c", 1)[1]))
        elif word == "update":
            self.updated.add(arg)
        elif word == "number":
            self.numbers.append(arg)
        elif word in ("acking", "acked", "archiving", "archived"):
            getattr(self, word).add(arg)
        elif word != "ready":
            raise AssertionError(f"unexpected line from the child: {line!r}")


def _reader(stream, lines: queue.Queue) -> None:
    for raw in stream:
        lines.put(raw.rstrip("\n"))
    lines.put(None)


def run_and_kill(folder: Path, key: bytes, run: int, saves: int, rng: random.Random) -> list[str]:
    """Start the child, let it acknowledge ``saves`` saves, kill it; every line it printed."""
    child = subprocess.Popen(
        [sys.executable, str(CHILD), str(folder), key.hex(), str(run)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    lines: queue.Queue = queue.Queue()
    reader = threading.Thread(target=_reader, args=(child.stdout, lines), daemon=True)
    reader.start()
    got: list[str] = []
    counted = 0
    while counted < saves:
        line = lines.get(timeout=20)
        if line is None:
            child.wait(timeout=20)
            raise AssertionError(f"the child stopped by itself: {child.stderr.read()}")
        got.append(line)
        counted += line.startswith("save ")
    if rng.random() < 0.7:
        time.sleep(rng.uniform(0, 0.004))  # wait-ok: moves the kill to a random point of a write
    os.kill(child.pid, signal.SIGKILL)
    child.wait(timeout=20)
    reader.join(timeout=20)
    while (line := lines.get(timeout=20)) is not None:
        got.append(line)
    child.stderr.close()
    return got


@pytest.mark.timeout(120)  # a guard against a hung child, not a speed check (about 10 s)
def test_sigkill_at_random_moments_loses_nothing_acknowledged(folder: Path, key: bytes) -> None:
    rng = random.Random(20261123)
    seen = Seen()
    for run in range(KILLS):
        saves = rng.choice([0, 0, 1, 2, 3, 5, 8, 13])
        for line in run_and_kill(folder, key, run, saves, rng):
            seen.take(run, line)
    assert len(seen.saved) > 200, "the kills landed too early to test anything"

    with Store.open(folder, key) as store:
        assert store.recovery_notes == [], "a crash alone must never look like damage"
        assert not [p.name for p in folder.iterdir() if p.name.endswith(".tmp")]
        entries = store.audit_entries()
        store.audit_verify()
        audited = {(e["case_id"], e["action"]) for e in entries}
        outbox_keys = {row["op"]["idempotency_key"] for row in store.outbox_peek(100_000)}
        open_ids = {doc["id"] for doc in store.list_queue()}
        archived_ids = {
            doc["id"] for period in store.archived_periods() for doc in store.list_archived(period)
        }
        assert not open_ids & archived_ids, "a case is in one place, never two"

        # Every acknowledged step is there, whole.
        for cid, (run, i) in seen.saved.items():
            doc = store.get(cid)
            expected = crash_child.updated(run, i) if cid in seen.updated else None
            assert doc in (expected or crash_child.created(run, i), crash_child.updated(run, i))
            if cid in seen.updated:
                assert doc == crash_child.updated(run, i)
                assert (cid, "case.update") in audited
            assert (cid, "case.save") in audited
            if cid not in seen.acking:
                assert f"{cid}-create" in outbox_keys, f"{cid}: its operation is missing"
            if cid in seen.acked:
                assert {f"{cid}-create", f"{cid}-update"}.isdisjoint(outbox_keys)
            if cid in seen.archived:
                assert cid in archived_ids
            elif cid not in seen.archiving:
                assert cid in open_ids

        # Nothing half-written: whatever is there (acknowledged or not) came with its parts.
        for cid, action in audited:
            assert cid in open_ids | archived_ids, f"audit entry {action} without its case {cid}"
        for cid in open_ids | archived_ids:
            assert (cid, "case.save") in audited, f"{cid} saved without its audit entry"
        for row in store.outbox_peek(100_000):
            assert row["op"]["case_id"] in open_ids, "an operation without its case"
        for cid in open_ids:
            versions = [row["op"]["base_version"] for row in store.outbox_of_case(cid)]
            assert versions == sorted(versions), "operations of a case keep their order"

        # Numbers are never handed out twice, across every crash.
        assert len(seen.numbers) == len(set(seen.numbers))
        after = store.next_number("P-")["number"]
        assert after not in seen.numbers
