"""The counter of the upload kill test, as a process of its own: it opens its store, signs
in and syncs (the case first, then its scan, in small chunks) until nothing is left to
upload. Killed half-way, it is simply started again. Run as
``python -m tests.scanning.upload_child FOLDER URL``.
"""

from __future__ import annotations

import sys
from pathlib import Path

from offline import Store
from offline.scans import ScanFolder
from offline.sync import MemoryTokens, SyncConfig, SyncEngine, SyncError
from tests.sync.harness import CENTRE, PASSWORD, case_rules

KEY = bytes(range(32))
USER = "officer1"
CHUNK = 64 * 1024


def engine_for(folder: Path, url: str) -> tuple[Store, SyncEngine]:
    store = Store.open(folder / "store", KEY)
    engine = SyncEngine(
        store,
        SyncConfig(server_url=url, chunk_bytes=CHUNK, timeout=30, connect_timeout=5),
        MemoryTokens(),
        rules=case_rules(),
        scans=ScanFolder(folder / "scans", KEY, store),
    )
    return store, engine


def main(folder: str, url: str) -> int:
    store, engine = engine_for(Path(folder), url)
    engine.sign_in(CENTRE, USER, PASSWORD)
    print("signed in", flush=True)
    for _ in range(20):
        try:
            engine.sync_once()
        except SyncError as exc:
            print(f"sync stopped: {exc}", flush=True)
            continue
        if not engine.uploads() and not store.outbox_peek():
            break
    done = not engine.uploads()
    engine.close()
    store.close()
    print("done" if done else "not done", flush=True)
    return 0 if done else 1


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:3]))
