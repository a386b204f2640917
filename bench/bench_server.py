"""Case server figures for ``make bench``: real uvicorn processes on 127.0.0.1, real
databases with durability on (SQLite ``synchronous=FULL`` in WAL mode; PostgreSQL with
``fsync=on``), varied cases, nothing served from a cache.

- ``server_batch_1000_s``: 1,000 new cases sent as ten batches of 100 by one counter, one
  after the other, on SQLite (goal <= 0.5 s).
- ``server_changes_p95_ms``: 95th percentile of change-feed polls by 50 counters on a
  centre holding 10,000 cases, SQLite (goal <= 50 ms). Each counter polls once a second
  on its own clock, from its own cursor up to 500 changes behind, paging on at once while
  ``more`` is true (``limit=100``), while another counter keeps adding cases. Two harsher
  variants are recorded beside it: ``server_changes_burst_p95_ms`` (all fifty tick at the
  same instant) and ``server_changes_saturated_p95_ms`` (no pause at all: each polls
  again the moment it has its answer). On a small machine those measure queueing more
  than the server, as the load generator shares the CPU with it.
- ``server_cases_per_s``: sustained case creation on PostgreSQL by eight counters at
  once, batches of 100 (goal >= 2,000/s).

Everything runs in a scratch folder under bench/.work, removed at the end; every server
and the PostgreSQL cluster are stopped whatever happens.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import random
import shutil
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx

from bench.sample_cases import case_document
from counterdesk.domain.cases import Role
from counterdesk.domain.clock import CHINA_TZ, SystemClock
from counterdesk_server.context import ServerContext
from counterdesk_server.db import migrate
from counterdesk_server.db.engine import sqlite_pragma
from counterdesk_server.services import centres, users
from counterdesk_server.settings import load_settings
from counterdesk_server.testing.postgres import PostgresCluster, PostgresUnavailable, free_port

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "bench" / ".work"
PASSWORD = "bench-password-1"
CENTRE = "BENCH"
START_TIMEOUT_S = 60.0
FEED_CASES = 10_000
FEED_CLIENTS = 50
FEED_SECONDS = 6.0
FEED_BEHIND = 500  # a counter back from a short outage is this many changes behind at most
POLL_INTERVAL_S = 1.0
SUSTAIN_CLIENTS = 8
SUSTAIN_SECONDS = 8.0
# Two per core: a worker waiting on the database leaves its core to another.
WORKERS = 2 * (os.cpu_count() or 2)
_RNG = random.Random()


def run() -> dict[str, object]:
    WORK.mkdir(parents=True, exist_ok=True)
    folder = WORK / f"server-{os.getpid()}-{uuid.uuid4().hex[:6]}"
    folder.mkdir()
    try:
        figures: dict[str, object] = {
            "server_workers": WORKERS,
            # Other work on the machine moves these figures: say how busy it was.
            "server_load_average_at_start": round(os.getloadavg()[0], 2),
        }
        figures.update(_sqlite_figures(folder / "sqlite"))
        figures.update(_postgres_figures(folder / "postgres"))
        return figures
    finally:
        shutil.rmtree(folder, ignore_errors=True)


# -- the figures --------------------------------------------------------------------------


def _sqlite_figures(folder: Path) -> dict[str, object]:
    folder.mkdir()
    url = f"sqlite:///{folder / 'bench.sqlite3'}"
    synchronous = _prepare(url, folder)
    with _server(url, folder, workers=1) as base:
        token = _sign_in(base)
        with _client(base, token) as client:
            _post_batch(client, [_create_op() for _ in range(10)])  # warm-up, not counted
            batches = [[_create_op() for _ in range(100)] for _ in range(10)]
            started = time.perf_counter()
            for batch in batches:
                _post_batch(client, batch)
            batch_1000 = time.perf_counter() - started
    with _server(url, folder, workers=WORKERS) as base:
        token = _sign_in(base)
        with _client(base, token) as client:
            loaded = 1010  # those of the batch figure
            while loaded < FEED_CASES:
                _post_batch(client, [_create_op() for _ in range(100)])
                loaded += 100
        polling = _poll_feed(base, token, FEED_CASES, "steady")
        burst = _poll_feed(base, token, FEED_CASES, "burst")
        saturated = _poll_feed(base, token, FEED_CASES, "saturated")
    return {
        "server_batch_1000_s": round(batch_1000, 3),
        "server_changes_p95_ms": round(_percentile(polling, 95), 1),
        "server_changes_p50_ms": round(_percentile(polling, 50), 1),
        "server_changes_polls": len(polling),
        "server_changes_clients": FEED_CLIENTS,
        "server_changes_cases": FEED_CASES,
        "server_changes_poll_interval_s": POLL_INTERVAL_S,
        "server_changes_burst_p95_ms": round(_percentile(burst, 95), 1),
        "server_changes_saturated_p95_ms": round(_percentile(saturated, 95), 1),
        "server_changes_saturated_polls_per_s": round(len(saturated) / FEED_SECONDS),
        "server_db_sqlite": "sqlite WAL",
        "sqlite_synchronous": synchronous,
    }


def _postgres_figures(folder: Path) -> dict[str, object]:
    folder.mkdir()
    try:
        cluster = PostgresCluster().start()
    except PostgresUnavailable as exc:
        return {"server_cases_per_s": None, "postgres_unavailable": str(exc)[:200]}
    try:
        url = cluster.create_database("bench")
        _prepare(url, folder)
        fsync = cluster.setting("fsync")
        commit = cluster.setting("synchronous_commit")
        version = cluster.setting("server_version")
        with _server(url, folder, workers=WORKERS) as base:
            token = _sign_in(base)
            rate, total = _sustained_creates(base, token)
    finally:
        cluster.stop()
    return {
        "server_cases_per_s": round(rate),
        "server_cases_sustained_total": total,
        "server_cases_clients": SUSTAIN_CLIENTS,
        "server_db": f"postgresql {version}",
        "postgres_fsync": fsync,
        "postgres_synchronous_commit": commit,
    }


def _poll_feed(base: str, token: str, head: int, mode: str) -> list[float]:
    """Latencies (ms) of feed polls by FEED_CLIENTS counters polling at the same time.

    Each counter polls, pages on at once while ``more`` is true, then waits for its next
    tick, POLL_INTERVAL_S later. ``steady``: each counter's clock has its own phase, as
    independent counters' do. ``burst``: all tick together, fifty polls at one instant.
    ``saturated``: no pause at all, every counter polls again as soon as it has its answer.
    Meanwhile a counter keeps adding cases, so polls find fresh changes.
    """
    interval = None if mode == "saturated" else POLL_INTERVAL_S
    latencies: list[float] = []
    lock = threading.Lock()
    start = threading.Barrier(FEED_CLIENTS + 2, timeout=START_TIMEOUT_S)  # + writer, + us
    stop = threading.Event()
    errors: list[BaseException] = []

    def counter(seed: int) -> None:
        rng = random.Random(seed)
        behind = FEED_BEHIND if interval is not None else head
        cursor = rng.randrange(max(0, head - behind), head)
        mine: list[float] = []
        try:
            with _client(base, token) as client:
                start.wait()
                tick = time.perf_counter()
                if mode == "steady":
                    tick += rng.uniform(0, POLL_INTERVAL_S)
                    stop.wait(tick - time.perf_counter())  # this counter's phase
                while not stop.is_set():
                    began = time.perf_counter()
                    answer = client.get("/changes", params={"since": cursor, "limit": 100})
                    page = answer.json()
                    mine.append((time.perf_counter() - began) * 1000)
                    if answer.status_code != 200:
                        raise RuntimeError(f"feed answered {answer.status_code}")
                    cursor = page["next"]
                    if interval is not None and not page["more"]:
                        tick += interval
                        stop.wait(max(0.0, tick - time.perf_counter()))  # the poll interval
        except BaseException as exc:
            errors.append(exc)
        with lock:
            latencies.extend(mine)

    def writer() -> None:
        try:
            with _client(base, token) as client:
                start.wait()
                while not stop.wait(0.5):  # workload: ten new cases every half second
                    _post_batch(client, [_create_op() for _ in range(10)])
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=counter, args=(i,)) for i in range(FEED_CLIENTS)]
    threads.append(threading.Thread(target=writer))
    for thread in threads:
        thread.start()
    start.wait()
    stop.wait(FEED_SECONDS)
    stop.set()
    for thread in threads:
        thread.join(START_TIMEOUT_S)
    if errors:
        raise errors[0]
    return latencies


def _sustained_creates(base: str, token: str) -> tuple[float, int]:
    created = [0] * SUSTAIN_CLIENTS
    start = threading.Barrier(SUSTAIN_CLIENTS + 1, timeout=START_TIMEOUT_S)
    errors: list[BaseException] = []
    window: dict[str, float] = {}

    def counter(index: int) -> None:
        try:
            with _client(base, token) as client:
                batches = [[_create_op() for _ in range(100)] for _ in range(4)]
                start.wait()
                while time.perf_counter() < window["end"]:
                    _post_batch(client, batches.pop())
                    created[index] += 100
                    batches.append([_create_op() for _ in range(100)])
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=counter, args=(i,)) for i in range(SUSTAIN_CLIENTS)]
    for thread in threads:
        thread.start()
    window["end"] = time.perf_counter() + START_TIMEOUT_S  # until the barrier opens
    start.wait()
    began = time.perf_counter()
    window["end"] = began + SUSTAIN_SECONDS
    for thread in threads:
        thread.join(SUSTAIN_SECONDS + START_TIMEOUT_S)
    elapsed = time.perf_counter() - began
    if errors:
        raise errors[0]
    return sum(created) / elapsed, sum(created)


# -- servers, clients and cases -------------------------------------------------------------


def _prepare(url: str, folder: Path) -> str:
    """Create the schema, the centre and its officer; return SQLite's synchronous mode."""
    settings = load_settings({}, database_url=url, data_dir=folder / "data")
    ctx = ServerContext.build(settings, SystemClock(CHINA_TZ))
    try:
        migrate.upgrade(ctx.db.engine)
        now = ctx.clock.now()
        with ctx.db.writing() as session:
            centre = centres.add_centre(session, CENTRE, "基准测试中心", now)
            users.add_user(
                session, ctx.passwords, centre.id, "officer1", Role.OFFICER, PASSWORD, now
            )
        if ctx.db.is_sqlite:
            return {"2": "FULL", "3": "EXTRA"}.get(sqlite_pragma(ctx.db.engine, "synchronous"), "?")
        return ""
    finally:
        ctx.close()


@contextlib.contextmanager
def _server(url: str, folder: Path, workers: int) -> Iterator[str]:
    port = free_port()
    env = {
        **os.environ,
        "COUNTERDESK_SERVER_DATABASE_URL": url,
        "COUNTERDESK_SERVER_DATA_DIR": str(folder / "data"),
    }
    command = [sys.executable, "-m", "counterdesk_server", "serve", "--port", str(port)]
    command += ["--workers", str(workers), "--log-level", "warning"]
    log = open(folder / f"server-{port}.log", "wb")  # noqa: SIM115  (closed below)
    process = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(base, process)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=30)
        log.close()


def _wait_until_up(base: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited with {process.returncode}")
        try:
            if httpx.get(f"{base}/health", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.05)  # wait-ok: polling a condition, bounded by the deadline
    raise TimeoutError(f"the server at {base} did not come up in {START_TIMEOUT_S} s")


def _sign_in(base: str) -> str:
    answer = httpx.post(
        f"{base}/auth/token",
        json={"centre": CENTRE, "username": "officer1", "password": PASSWORD},
        timeout=30,
    )
    answer.raise_for_status()
    return str(answer.json()["access_token"])


def _client(base: str, token: str) -> httpx.Client:
    return httpx.Client(base_url=base, headers={"Authorization": f"Bearer {token}"}, timeout=60)


def _post_batch(client: httpx.Client, operations: list[dict[str, Any]]) -> None:
    answer = client.post("/cases/batch", json={"operations": operations})
    answer.raise_for_status()
    statuses = {result["status"] for result in answer.json()["results"]}
    if statuses != {201}:
        raise RuntimeError(f"unexpected outcomes {statuses}")


def _create_op() -> dict[str, Any]:
    """A new case, different every time: applicant, item, counter, minute."""
    rng = _RNG
    case_id = str(uuid.uuid4())
    now = dt.datetime.now(CHINA_TZ).replace(microsecond=0)
    document = case_document(rng, case_id, now)
    return {
        "idempotency_key": str(uuid.uuid4()),
        "kind": "create",
        "case_id": case_id,
        "officer": "officer1",
        "device_time": now.isoformat(),
        "base_version": 0,
        "payload": document,
    }


def _percentile(values: list[float], pct: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * pct / 100))]


if __name__ == "__main__":
    import json

    print(json.dumps(run(), indent=2, ensure_ascii=False))
