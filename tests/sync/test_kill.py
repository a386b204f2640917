"""The fault test: while a counter process pushes 500 cases, the server process is killed
and restarted at least 20 times at random moments, several of them exactly between its
commit and its answer (the test-only fault hook), and the counter process is killed and
restarted too. Afterwards the server holds every case exactly once, with its edit applied
exactly once, and the counter's outbox is empty.

The server runs as real processes forked by a "zygote" (counterdesk_server.testing.faults)
so that a restart costs milliseconds; the counter is ``tests.sync.kill_child``.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO

import httpx
import pytest
from sqlalchemy import func, select

from counterdesk_server.context import ServerContext
from counterdesk_server.db.models import CaseRecord, OperationRecord
from counterdesk_server.testing.postgres import free_port
from offline import Store
from tests.sync.harness import ROOT, T0, server_settings
from tests.sync.kill_child import KEY

TOTAL = 500
SERVER_KILLS = 20
AFTER_COMMIT_KILLS = 6
CLIENT_KILLS = 3
DEADLINE_S = 85.0  # the whole test stays under 90 s
START_TIMEOUT_S = 15.0

pytestmark = pytest.mark.slow


class Zygote:
    """The server's process factory: ``start()`` forks a fresh server, ``wait()`` reaps it."""

    def __init__(self, port: int, env: dict[str, str], log: IO[bytes]) -> None:
        self.url = f"http://127.0.0.1:{port}"
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "counterdesk_server.testing.faults",
                "zygote",
                "--port",
                str(port),
            ],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=log,
            env=env,
            cwd=ROOT,
            text=True,
        )
        self.pid = 0

    def _ask(self, command: str) -> str:
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.write(command + "\n")
        self.process.stdin.flush()
        return self.process.stdout.readline().strip()

    def start(self) -> None:
        answer = self._ask("start")
        assert answer.startswith("started "), answer
        self.pid = int(answer.split()[1])
        deadline = time.monotonic() + START_TIMEOUT_S
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{self.url}/health", timeout=1).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.01)  # wait-ok: polling the server's health, bounded
        raise TimeoutError("the server did not come up")

    def kill(self) -> None:
        os.kill(self.pid, signal.SIGKILL)
        self.wait()

    def wait(self) -> None:
        answer = self._ask("wait")  # returns once the server process has exited
        assert answer.startswith(f"exited {self.pid}"), answer

    def close(self) -> None:
        if self.process.poll() is None:
            try:
                self._ask("quit")
            except (BrokenPipeError, OSError):
                pass
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(10)


class Client:
    """The counter process (tests.sync.kill_child)."""

    def __init__(self, folder: Path, url: str, log: IO[bytes]) -> None:
        self.folder, self.url, self.log = folder, url, log
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        command = [sys.executable, "-m", "tests.sync.kill_child", str(self.folder), self.url]
        self.process = subprocess.Popen(
            [*command, str(TOTAL)], cwd=ROOT, stdout=self.log, stderr=self.log
        )

    def kill(self) -> None:
        assert self.process is not None
        self.process.kill()
        self.process.wait(10)

    @property
    def done(self) -> bool:
        return (self.folder / "done").exists()

    def close(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(10)


@pytest.fixture
def world(
    tmp_path: Path, sqlite_template: Path
) -> Iterator[tuple[Zygote, Client, ServerContext, Path]]:
    database = tmp_path / "server.sqlite3"
    shutil.copyfile(sqlite_template, database)
    url = f"sqlite:///{database}"
    settings = server_settings(url, tmp_path / "server-data")
    context = ServerContext.build(settings, _Clock())
    _seed(context)
    triggers = tmp_path / "faults"
    triggers.mkdir()
    env = {
        **os.environ,
        "COUNTERDESK_SERVER_DATABASE_URL": url,
        "COUNTERDESK_SERVER_DATA_DIR": str(tmp_path / "server-data"),
        "COUNTERDESK_SERVER_SECRET_KEY": settings.secret_key,
        "COUNTERDESK_SERVER_ARGON2_TIME_COST": "1",
        "COUNTERDESK_SERVER_ARGON2_MEMORY_KIB": "8192",
        "COUNTERDESK_FAULT_DIR": str(triggers),
    }
    client_folder = tmp_path / "counter"
    client_folder.mkdir()
    with open(tmp_path / "processes.log", "wb") as log:
        zygote = Zygote(free_port(), env, log)
        client = Client(client_folder, zygote.url, log)
        try:
            yield zygote, client, context, triggers
        finally:
            client.close()
            zygote.close()
            context.close()


class _Clock:
    def now(self) -> dt.datetime:
        return T0

    def today(self) -> dt.date:
        return T0.date()


def _seed(context: ServerContext) -> None:
    from counterdesk.domain.cases import Role
    from counterdesk_server.services import centres, users
    from tests.sync.harness import CENTRE, PASSWORD

    with context.db.writing() as session:
        centre = centres.add_centre(session, CENTRE, "南湖区行政服务中心", T0)
        users.add_user(
            session, context.passwords, centre.id, "officer1", Role.OFFICER, PASSWORD, T0
        )


def _count(context: ServerContext) -> int:
    with context.db.reading() as session:
        return int(session.scalar(select(func.count()).select_from(CaseRecord)) or 0)


def _wait_until(condition: Callable[[], bool], timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.005)  # wait-ok: polling a condition, bounded by the deadline
    return True


def test_every_case_exactly_once_through_server_and_client_kills(
    world: tuple[Zygote, Client, ServerContext, Path],
) -> None:
    zygote, client, context, triggers = world
    rng = random.Random(20261123)
    started = time.monotonic()
    zygote.start()
    client.start()
    kills = {"random": 0, "after_commit": 0, "client": 0}
    received: list[int] = []  # cases on the server at each kill
    trigger = triggers / "kill-after-commit"

    def taken() -> bool:
        return not trigger.exists()

    while (
        kills["random"] + kills["after_commit"] < SERVER_KILLS
        or kills["after_commit"] < AFTER_COMMIT_KILLS
        or kills["client"] < CLIENT_KILLS
    ):
        assert time.monotonic() - started < DEADLINE_S / 2, f"kill phase too slow: {kills}"
        received.append(_count(context))
        if rng.random() < 0.4 or kills["after_commit"] < AFTER_COMMIT_KILLS and rng.random() < 0.6:
            trigger.write_text('{"method": "POST", "path": "/cases/batch"}', encoding="utf-8")
            if _wait_until(taken, 5.0):
                zygote.wait()  # it killed itself after committing, before answering
                kills["after_commit"] += 1
            else:
                trigger.unlink(missing_ok=True)
                zygote.kill()
                kills["random"] += 1
        else:
            time.sleep(rng.uniform(0.02, 0.4))  # wait-ok: a random moment to kill at
            zygote.kill()
            kills["random"] += 1
        if kills["client"] < CLIENT_KILLS and rng.random() < 0.3:
            client.kill()  # the counter dies too, at its own random moment
            kills["client"] += 1
            client.start()
        zygote.start()

    (client.folder / "finish").write_text("go", encoding="utf-8")
    assert _wait_until(lambda: client.done, DEADLINE_S - (time.monotonic() - started)), (
        f"the client did not finish; kills: {kills}"
    )

    with context.db.reading() as session:
        cases = session.scalar(select(func.count()).select_from(CaseRecord))
        distinct = session.scalar(select(func.count(func.distinct(CaseRecord.case_id))))
        versions = dict(
            session.execute(
                select(CaseRecord.version, func.count()).group_by(CaseRecord.version)
            ).all()
        )
        operations = session.scalar(select(func.count()).select_from(OperationRecord))
    assert cases == distinct == TOTAL
    assert versions == {2: TOTAL}  # every edit applied once, none twice
    assert operations == 2 * TOTAL
    with Store.open(client.folder / "store", KEY) as store:
        assert store.stats()["outbox_pending"] == 0 and store.stats()["outbox_rejected"] == 0
        assert len(store.list_queue()) == TOTAL
    assert kills["random"] + kills["after_commit"] >= SERVER_KILLS
    # The kills fell while the pushing went on: cases kept arriving between them.
    rising = sum(1 for a, b in zip(received, received[1:], strict=False) if b > a)
    assert rising >= SERVER_KILLS // 2 and received[-1] < TOTAL, received
    assert kills["after_commit"] >= AFTER_COMMIT_KILLS and kills["client"] >= CLIENT_KILLS
