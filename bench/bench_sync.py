"""Sync figures for ``make bench``: a real server process (uvicorn, SQLite in WAL mode with
``synchronous=FULL``) on 127.0.0.1 and a counter's real store on disk with fsync on.

- ``sync_1000_s``: 1,000 cases received offline (each saved with its create operation,
  as the intake saves it), then one sync: from its start until the server holds all
  1,000 and the outbox is empty (goal <= 1 s). The counter had synced before (warm
  connection, number lease in hand), as a counter coming back online has.
- ``sync_idle_poll_ms``: a sync with nothing to do, median of 200 (goal <= 20 ms): one
  feed request at the head of the feed, nothing written.
- ``sync_1000_https_s``, ``sync_idle_poll_https_ms``: the same over HTTPS (a test
  authority from trustme given as ``ca_bundle``), as counters reach a real server.

Both go through the counter's own ``SyncRunner`` (its hooks included), with the settings'
``key_storage = "file"`` since a bench machine has no keyring.

Cases are varied (applicant, item, counter, materials), nothing is served from a cache.
Everything lives in a scratch folder under bench/.work, removed at the end, and the server
process is stopped whatever happens.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import os
import random
import shutil
import ssl
import statistics
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx

from bench.sample_cases import case_document
from counterdesk.domain.cases import OperationKind, Role, apply_operation, new_operation
from counterdesk.domain.clock import CHINA_TZ, SystemClock
from counterdesk.services import local_store
from counterdesk.services.sync_runner import SyncRunner
from counterdesk.settings import Settings
from counterdesk_server.context import ServerContext
from counterdesk_server.db import migrate
from counterdesk_server.db.engine import sqlite_pragma
from counterdesk_server.services import centres, users
from counterdesk_server.settings import load_settings
from counterdesk_server.testing.postgres import free_port
from offline import Store
from offline.sync import MemoryTokens, SyncEngine

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "bench" / ".work"
CENTRE = "BENCH-SYNC"
PASSWORD = "bench-password-1"
CASES = 1000
IDLE_POLLS = 200
START_TIMEOUT_S = 60.0


def run() -> dict[str, object]:
    WORK.mkdir(parents=True, exist_ok=True)
    folder = WORK / f"sync-{os.getpid()}-{uuid.uuid4().hex[:6]}"
    folder.mkdir()
    # The bench's own key file and missing recovery key are expected: not worth a warning.
    logging.getLogger("counterdesk").setLevel(logging.ERROR)
    try:
        url = f"sqlite:///{folder / 'server.sqlite3'}"
        synchronous = _prepare(url, folder)
        with _server(url, folder) as base:
            figures = _measure(base, folder / "plain")
        tls = _test_certificate(folder)
        url = f"sqlite:///{folder / 'server-tls.sqlite3'}"  # a fresh server: 1,000 new
        _prepare(url, folder)
        with _server(url, folder, tls) as base:
            secure = _measure(base, folder / "tls", ca_bundle=str(tls[2]))
        figures["sync_1000_https_s"] = secure["sync_1000_s"]
        figures["sync_idle_poll_https_ms"] = secure["sync_idle_poll_ms"]
        figures["sync_server_db"] = f"sqlite WAL synchronous={synchronous}"
        return figures
    finally:
        logging.getLogger("counterdesk").setLevel(logging.NOTSET)
        shutil.rmtree(folder, ignore_errors=True)


def _test_certificate(folder: Path) -> tuple[Path, Path, Path]:
    """A server certificate for 127.0.0.1 from a test authority (trustme), and that
    authority's bundle for the counter's ``ca_bundle``."""
    import trustme

    authority = trustme.CA()
    cert = authority.issue_cert("127.0.0.1")
    paths = folder / "server.pem", folder / "server.key", folder / "ca.pem"
    cert.private_key_and_cert_chain_pem.write_to_path(str(paths[0]))
    cert.private_key_pem.write_to_path(str(paths[1]))
    authority.cert_pem.write_to_path(str(paths[2]))
    return paths


def _measure(base: str, folder: Path, ca_bundle: str = "") -> dict[str, object]:
    rng = random.Random(1123)
    # The counter's own path: SyncRunner with its hooks (official numbers, catalogue).
    # key_storage "file": a bench machine has no keyring; the key file lies in the scratch
    # folder and goes with it.
    settings = Settings(
        server_url=base, counter_name="基准窗口", key_storage="file", ca_bundle=ca_bundle
    )
    data_dir = folder / "counter"
    store = local_store.open_local_store(settings, data_dir=data_dir)
    runner = SyncRunner(
        settings, store, data_dir=data_dir, tokens=MemoryTokens(), poll_interval=3600
    )
    try:
        runner.sign_in(CENTRE, "officer1", PASSWORD)
        runner.sync_now()  # online before: lease in hand, connection open
        for _ in range(CASES):
            _receive_offline(store, rng)
        assert store.stats()["outbox_pending"] == CASES
        started = time.perf_counter()
        report = runner.sync_now()
        sync_1000 = time.perf_counter() - started
        if store.stats()["outbox_pending"] or report.push.acknowledged != CASES:
            raise RuntimeError(f"sync left work behind: {report}")
        held = _server_cases(runner.engine)
        if held != CASES:
            raise RuntimeError(f"the server holds {held} cases, not {CASES}")
        polls = []
        for _ in range(IDLE_POLLS):
            began = time.perf_counter()
            runner.sync_now()
            polls.append((time.perf_counter() - began) * 1000)
        polls.sort()
        batch_size = runner.engine.config.batch_size
    finally:
        runner.close()
        store.close()
    return {
        "sync_1000_s": round(sync_1000, 3),
        "sync_1000_push_s": round(report.timings["push"], 3),
        "sync_1000_pull_s": round(report.timings["pull"], 3),
        "sync_idle_poll_ms": round(statistics.median(polls), 2),
        "sync_idle_poll_p95_ms": round(polls[int(len(polls) * 0.95)], 2),
        "sync_batch_size": batch_size,
        "sync_transport": "HTTP/1.1 keep-alive over TCP on 127.0.0.1 (httpx, uvicorn)",
        "sync_client_store": "offline.Store on the bench disk, fsync on, AES-256-GCM",
    }


def _receive_offline(store: Store, rng: random.Random) -> None:
    """One case as the intake saves it: the case and its create operation, together."""
    now = dt.datetime.now(CHINA_TZ).replace(microsecond=0)
    case_id = str(uuid.uuid4())
    doc = case_document(rng, case_id, now)
    op = new_operation(OperationKind.CREATE, case_id, "officer1", now, 0, doc)
    case = apply_operation(None, op, Role.OFFICER)
    store.save_batch(cases=[case.to_json()], operations=[op.to_json()])


def _server_cases(engine: SyncEngine) -> int:
    answer = engine.transport.call("GET", "/changes", params={"since": 0, "limit": 1000})
    page = engine.transport.expect_json(answer, "changes", "more")
    return len(page["changes"]) + (1 if page["more"] else 0)


# The server


def _prepare(url: str, folder: Path) -> str:
    settings = load_settings({}, database_url=url, data_dir=folder / "server-data")
    ctx = ServerContext.build(settings, SystemClock(CHINA_TZ))
    try:
        migrate.upgrade(ctx.db.engine)
        now = ctx.clock.now()
        with ctx.db.writing() as session:
            centre = centres.add_centre(session, CENTRE, "同步基准测试中心", now)
            users.add_user(
                session, ctx.passwords, centre.id, "officer1", Role.OFFICER, PASSWORD, now
            )
        return {"2": "FULL", "3": "EXTRA"}.get(sqlite_pragma(ctx.db.engine, "synchronous"), "?")
    finally:
        ctx.close()


@contextlib.contextmanager
def _server(url: str, folder: Path, tls: tuple[Path, Path, Path] | None = None) -> Iterator[str]:
    port = free_port()
    env = {
        **os.environ,
        "COUNTERDESK_SERVER_DATABASE_URL": url,
        "COUNTERDESK_SERVER_DATA_DIR": str(folder / "server-data"),
    }
    command = [sys.executable, "-m", "counterdesk_server", "serve", "--port", str(port)]
    command += ["--log-level", "warning"]
    if tls is not None:
        command += ["--certfile", str(tls[0]), "--keyfile", str(tls[1])]
    with open(folder / f"server-{port}.log", "wb") as log:
        process = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)
        base = f"{'https' if tls else 'http'}://127.0.0.1:{port}"
        try:
            _wait_until_up(base, process, str(tls[2]) if tls else None)
            yield base
        finally:
            process.terminate()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=30)


def _wait_until_up(base: str, process: subprocess.Popen[bytes], ca: str | None) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited with {process.returncode}")
        try:
            verify = ssl.create_default_context(cafile=ca) if ca else True
            if httpx.get(f"{base}/health", timeout=2, verify=verify).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.05)  # wait-ok: polling a condition, bounded by the deadline
    raise TimeoutError(f"the server at {base} did not come up in {START_TIMEOUT_S} s")


if __name__ == "__main__":
    import json

    print(json.dumps(run(), indent=2, ensure_ascii=False))
