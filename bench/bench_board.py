"""The supervisor board's figure for ``make bench``: a real server process (uvicorn, SQLite
WAL, ``synchronous=FULL``) holding 5,000 open cases of ten officers, and the supervisor's
real App (Pilot, 100x30) on its own store with fsync on, its board showing all 5,000.

- ``board_refresh_ms_5k``: from a change arriving to the repainted board (goal <= 200 ms),
  p95 of 40 changes. Each change is made on the server by an officer (a field edit or a
  reassignment, on a different case each time, through the API); the clock starts once
  it is committed, when the supervisor's sync is asked for it (what its next poll would
  do, without the wait for the poll), and stops when the board's repaint after taking the
  change is done: the change feed read, the copy written to the encrypted store, the row
  read on the shared clock, the 5,000 rows filtered and sorted, the screen redrawn.
- ``board_change_to_paint_ms``: the part of that from the sync reporting the change to
  the repaint (median), so the share of the network and the store is visible.
- ``board_load_5k_s``: the board's first reading of the 5,000 local copies (their clocks
  and rows), once they are on the counter.

Everything lives in a scratch folder under bench/.work, removed at the end; the server
process is stopped whatever happens.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import os
import random
import shutil
import statistics
import time
import uuid
from pathlib import Path
from typing import Any

import httpx

from bench.bench_sync import _server
from bench.sample_cases import case_document
from counterdesk.domain.cases import Role
from counterdesk.domain.clock import CHINA_TZ, SystemClock
from counterdesk_server.context import ServerContext
from counterdesk_server.db import migrate
from counterdesk_server.services import centres, users
from counterdesk_server.settings import load_settings as server_settings

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "bench" / ".work"
CENTRE = "BENCH-BOARD"
PASSWORD = "bench-password-1"
OFFICERS = [f"officer{n}" for n in range(1, 11)]
CASES = 5000
CHANGES = 40
SIZE = (100, 30)
TIMEOUT_S = 300.0


def run() -> dict[str, object]:
    WORK.mkdir(parents=True, exist_ok=True)
    folder = WORK / f"board-{os.getpid()}-{uuid.uuid4().hex[:6]}"
    folder.mkdir()
    logging.getLogger("counterdesk").setLevel(logging.ERROR)
    saved = {k: v for k, v in os.environ.items() if k.startswith("COUNTERDESK_")}
    try:
        url = f"sqlite:///{folder / 'server.sqlite3'}"
        _prepare(url, folder)
        with _server(url, folder) as base:
            _seed(base)
            return asyncio.run(_measure(base, folder))
    finally:
        for key in [k for k in os.environ if k.startswith("COUNTERDESK_")]:
            os.environ.pop(key)
        os.environ.update(saved)
        logging.getLogger("counterdesk").setLevel(logging.NOTSET)
        shutil.rmtree(folder, ignore_errors=True)


def _prepare(url: str, folder: Path) -> None:
    settings = server_settings({}, database_url=url, data_dir=folder / "server-data")
    ctx = ServerContext.build(settings, SystemClock(CHINA_TZ))
    try:
        migrate.upgrade(ctx.db.engine)
        now = ctx.clock.now()
        with ctx.db.writing() as session:
            centre = centres.add_centre(session, CENTRE, "看板基准测试中心", now)
            for name in OFFICERS:
                users.add_user(session, ctx.passwords, centre.id, name, Role.OFFICER, PASSWORD, now)
            users.add_user(
                session, ctx.passwords, centre.id, "supervisor1", Role.SUPERVISOR, PASSWORD, now
            )
    finally:
        ctx.close()


def _client(base: str, username: str) -> httpx.Client:
    answer = httpx.post(
        f"{base}/auth/token",
        json={"centre": CENTRE, "username": username, "password": PASSWORD},
        timeout=30,
    )
    answer.raise_for_status()
    token = answer.json()["access_token"]
    return httpx.Client(base_url=base, headers={"Authorization": f"Bearer {token}"}, timeout=60)


def _seed(base: str) -> None:
    """5,000 received cases, spread over ten officers, varied, some days old."""
    rng = random.Random(20261123)
    now = SystemClock(CHINA_TZ).now().replace(microsecond=0)
    per_officer = CASES // len(OFFICERS)
    for officer in OFFICERS:
        with _client(base, officer) as client:
            for start in range(0, per_officer, 500):
                operations = []
                for _ in range(min(500, per_officer - start)):
                    case_id = str(uuid.uuid4())
                    doc = case_document(rng, case_id, now)
                    if rng.random() < 0.2:  # some older: due soon or past the notice deadline
                        doc["received_at"] = (
                            now - dt.timedelta(days=rng.randint(3, 12))
                        ).isoformat()
                    operations.append(
                        {
                            "idempotency_key": str(uuid.uuid4()),
                            "kind": "create",
                            "case_id": case_id,
                            "officer": officer,
                            "device_time": now.isoformat(),
                            "base_version": 0,
                            "payload": doc,
                        }
                    )
                answer = client.post("/cases/batch", json={"operations": operations})
                answer.raise_for_status()
                if any(r["status"] != 201 for r in answer.json()["results"]):
                    raise RuntimeError("the server refused a seeded case")


def _environment(home: Path) -> None:
    for name in ("config", "data", "cache", "log"):
        (home / name).mkdir(parents=True, exist_ok=True)
        os.environ[f"COUNTERDESK_{name.upper()}_DIR"] = str(home / name)
    os.environ["COUNTERDESK_CONFIG_FILE"] = str(home / "config" / "config.toml")


async def _until(pilot: Any, condition: Any, timeout: float = TIMEOUT_S) -> Any:
    deadline = time.monotonic() + timeout
    while not (value := condition()):
        if time.monotonic() > deadline:
            raise TimeoutError(f"bench: timed out waiting for {condition}")
        await pilot.pause()
        await asyncio.sleep(0.002)  # wait-ok: polling a condition, bounded by the deadline
    return value


async def _measure(base: str, folder: Path) -> dict[str, object]:
    home = folder / "supervisor"
    _environment(home)
    (home / "config" / "config.toml").write_text(
        f'server_url = "{base}"\ncounter_name = "值班长"\nkey_storage = "file"\n',
        encoding="utf-8",
    )
    from counterdesk.app import CounterApp
    from counterdesk.screens.supervisor.board import BoardScreen
    from counterdesk.services.counter import prepare_signed_in
    from counterdesk.settings import load_settings

    settings = load_settings()
    clock = SystemClock(CHINA_TZ)
    prepare_signed_in(settings, clock, username="supervisor1", password=PASSWORD, centre=CENTRE)
    app = CounterApp(settings, clock, cursor_blink=False)
    rng = random.Random(5000)
    refresh: list[float] = []
    to_paint: list[float] = []
    async with app.run_test(size=SIZE) as pilot:
        await _until(pilot, lambda: app.check_action("board", ()) is True)
        await pilot.press("ctrl+b")
        board = await _until(
            pilot, lambda: isinstance(app.screen, BoardScreen) and app.screen.loaded and app.screen
        )
        await _until(pilot, lambda: len(board.model.rows) == CASES)
        runner = app.services.sync
        await _until(pilot, lambda: runner.status.pending == 0 and not runner.status.last_error)
        # The board's first reading of every local copy (as on entering the mode).
        started = time.perf_counter()
        rows = await asyncio.to_thread(board.board.all_rows)
        load_s = time.perf_counter() - started
        assert len(rows) == CASES
        clients = {name: _client(base, name) for name in [*OFFICERS, "supervisor1"]}
        try:
            keys = sorted(board.model.rows)
            for index in range(CHANGES):
                case_id = keys[rng.randrange(len(keys))]
                keys.remove(case_id)
                row = board.model.rows[case_id]
                version = _change(clients, row, index, rng)
                painted = board.paints
                began = time.perf_counter()
                runner.wake()  # the change is on the server: the sync reads the feed
                await _until(
                    pilot,
                    lambda cid=case_id, v=version, p=painted: (
                        board.model.rows[cid].version >= v and board.paints > p
                    ),
                )
                refresh.append((board.last_paint_at - began) * 1000)
                if board.last_change_ms is not None:
                    to_paint.append(board.last_change_ms)
        finally:
            for client in clients.values():
                client.close()
        app.close_services()
    refresh.sort()
    return {
        "board_refresh_ms_5k": round(refresh[int(len(refresh) * 0.95) - 1], 1),
        "board_refresh_median_ms_5k": round(statistics.median(refresh), 1),
        "board_change_to_paint_ms": round(statistics.median(to_paint), 1),
        "board_load_5k_s": round(load_s, 2),
        "board_cases": CASES,
        "board_client_store": "offline.Store on the bench disk, fsync on, AES-256-GCM",
    }


def _change(clients: dict[str, httpx.Client], row: Any, index: int, rng: random.Random) -> int:
    """A colleague's change on the server: a field edit by the case's officer, or every
    fifth time a reassignment by the supervisor. Returns the case's new version."""
    client = clients[row.officer]
    answer = client.get(f"/cases/{row.key}")
    answer.raise_for_status()
    case = answer.json()["case"]
    if index % 5 == 4:
        other = rng.choice([name for name in OFFICERS if name != row.officer])
        move = {"case_id": row.key, "from": row.officer, "to": other}
        answer = clients["supervisor1"].post(
            "/board/reassign",
            json={
                "idempotency_key": f"bench-{uuid.uuid4().hex}",
                "reason": "基准",
                "moves": [move],
            },
        )
        answer.raise_for_status()
        if answer.json()["moved"] != 1:
            raise RuntimeError(f"the bench's reassignment was refused: {answer.text}")
        return int(case["version"]) + 1
    fields = {**case["fields"], "staff": rng.randint(1, 99), "note": f"bench {index}"}
    answer = client.patch(
        f"/cases/{row.key}",
        json={"base_version": case["version"], "changes": {"fields": fields}},
    )
    answer.raise_for_status()
    return int(answer.json()["case"]["version"])


if __name__ == "__main__":
    import json

    print(json.dumps(run(), indent=2, ensure_ascii=False))
