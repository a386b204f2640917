"""Child process for the SIGKILL test: works on the store in a loop until it is killed.

Prints one line per step, flushed, only after the store call returned (``acking`` and
``archiving`` are printed before the call, so the parent knows a step may be half-way).
Everything it writes is derived from (run, i), so the parent can recompute what each
acknowledged document must look like.

Usage: python crash_child.py FOLDER KEY_HEX RUN
"""

from __future__ import annotations

import datetime as dt
import random
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from offline import Store  # noqa: E402
from tests.offline.sample import audit_entry, case_doc, operation  # noqa: E402

JOURNAL_LIMIT = 16 * 1024  # tiny, so that checkpoints happen under the kills too


def case_id(run: int, i: int) -> str:
    return f"r{run}-c{i}"


def created(run: int, i: int) -> dict[str, Any]:
    return case_doc(case_id(run, i), random.Random(f"{run}-{i}"), assignee=f"officer{i % 3}")


def updated(run: int, i: int) -> dict[str, Any]:
    return {**created(run, i), "version": 2, "state": "accepted"}


def archive_day(run: int) -> dt.date:
    return dt.date(2026, 1 + run % 3, 1 + run % 27)


def say(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def main() -> None:
    folder, key, run = Path(sys.argv[1]), bytes.fromhex(sys.argv[2]), int(sys.argv[3])
    store = Store.open(folder, key, journal_limit=JOURNAL_LIMIT)
    if store.numbers_left() < 3:
        first = 1000 + run * 10
        store.lease_add(
            {"lease_id": f"L{run}", "prefix": "JX-", "first": first, "last": first + 9, "width": 6}
        )
    say("ready")
    i = 0
    while True:
        cid = case_id(run, i)
        store.save_batch(
            cases=[created(run, i)],
            operations=[operation(cid, key=f"{cid}-create")],
            audit_entries=[audit_entry(cid, "case.save")],
        )
        say(f"save {cid}")
        if i % 2 == 1:
            prev = case_id(run, i - 1)
            store.save_batch(
                cases=[updated(run, i - 1)],
                operations=[operation(prev, key=f"{prev}-update", kind="update", base_version=1)],
                audit_entries=[audit_entry(prev, "case.update")],
            )
            say(f"update {prev}")
        if i >= 2 and i % 2 == 0:
            old = case_id(run, i - 2)
            say(f"acking {old}")
            store.outbox_ack([f"{old}-create", f"{old}-update"])
            say(f"acked {old}")
            say(f"archiving {old}")
            store.archive([old], archived_on=archive_day(run))
            say(f"archived {old}")
        if i % 5 == 0:
            say(f"number {store.next_number('P-')['number']}")
        i += 1


if __name__ == "__main__":
    main()
