"""The counter of the fault test, as a process of its own: it receives cases offline (each
saved with its create and an edit, durably) at an officer's pace while its engine syncs in
the background, and stops once every case it was to make is made and acknowledged.

Killed at any moment, it is simply started again: it counts the cases already in its store
and goes on. The last few cases wait for a ``finish`` file from the test, so that the
pushing lasts until the test is done killing. Run as
``python -m tests.sync.kill_child FOLDER URL TOTAL``.
"""

from __future__ import annotations

import sys
import threading
from pathlib import Path

from counterdesk.domain.cases import OperationKind, Role, apply_operation, new_operation
from offline import Store
from offline.sync import MemoryTokens, SyncConfig, SyncEngine, SyncError
from tests.sync.harness import CENTRE, PASSWORD, T0, case_doc, case_rules

KEY = bytes(range(32))
USER = "officer1"
PACE_S = 0.012  # one case every 12 ms: the pushing lasts through the server's restarts
HELD_BACK = 25  # cases made only once the test says it is done killing


def make_case(store: Store, number: int) -> None:
    doc = case_doc(f"kill-{number:04d}")
    create = new_operation(OperationKind.CREATE, doc["id"], USER, T0, 0, doc)
    case = apply_operation(None, create, Role.OFFICER)
    edit = new_operation(
        OperationKind.UPDATE_FIELDS, doc["id"], USER, T0, 1, {"changes": {"counter": "窗口 9"}}
    )
    case = apply_operation(case, edit, Role.OFFICER)
    store.save_batch(cases=[case.to_json()], operations=[create.to_json(), edit.to_json()])


def sign_in(engine: SyncEngine, stop: threading.Event) -> None:
    while not stop.is_set():
        try:
            engine.sign_in(CENTRE, USER, PASSWORD)
            return
        except SyncError:
            stop.wait(0.05)  # wait-ok: the server is down; try again shortly


def main(folder: str, url: str, total: int) -> int:
    store = Store.open(Path(folder) / "store", KEY)
    engine = SyncEngine(
        store,
        SyncConfig(
            server_url=url,
            batch_size=24,
            poll_interval=0.05,
            backoff_base=0.02,
            backoff_max=0.2,
            timeout=5,
            connect_timeout=1,
        ),
        MemoryTokens(),
        rules=case_rules(),
    )
    idle = threading.Event()
    sign_in(engine, idle)
    engine.start()
    made = len(store.list_queue())
    finish = Path(folder) / "finish"
    while made < total:
        while made >= total - HELD_BACK and not finish.exists():
            idle.wait(0.02)  # wait-ok: polling for the test's go-ahead
        make_case(store, made)
        made += 1
        engine.wake()
        idle.wait(PACE_S)  # wait-ok: the officer's pace, not a wait for a condition
    while store.stats()["outbox_pending"]:
        engine.wake()
        idle.wait(0.05)  # wait-ok: polling the outbox until the engine emptied it
    engine.close()
    store.close()
    (Path(folder) / "done").write_text("done", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2], int(sys.argv[3])))
