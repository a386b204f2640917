"""Fixtures of the sync tests: a real server on a fresh SQLite database per test, counters
with their own stores, and an in-memory keyring (no test touches a real one)."""

from __future__ import annotations

import itertools
import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import keyring
import pytest

from counterdesk.domain.clock import FixedClock
from counterdesk_server.db import migrate
from counterdesk_server.db.engine import Database
from counterdesk_server.testing.postgres import PostgresCluster, PostgresUnavailable
from tests.offline.keyring_backend import MemoryKeyring
from tests.sync.harness import T0, CaseServer, Counter, make_counter, start_server

_numbers = itertools.count(1)


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("sync-sqlite-template") / "template.sqlite3"
    database = Database(f"sqlite:///{path}")
    migrate.upgrade(database.engine)
    database.dispose()
    return path


@pytest.fixture
def database_url(sqlite_template: Path, tmp_path: Path) -> str:
    path = tmp_path / "server.sqlite3"
    shutil.copyfile(sqlite_template, path)
    return f"sqlite:///{path}"


@pytest.fixture(scope="session")
def sync_postgres() -> Iterator[PostgresCluster | None]:
    """A PostgreSQL cluster with a migrated template, for the server additions' tests;
    None when PostgreSQL is not installed (those tests then skip, except in CI)."""
    try:
        cluster = PostgresCluster().start()
    except PostgresUnavailable as exc:
        if os.environ.get("CI") == "true":
            pytest.fail(f"PostgreSQL is required in CI: {exc}")
        yield None
        return
    try:
        database = Database(cluster.create_database("sync_template"))
        migrate.upgrade(database.engine)
        database.dispose()
        yield cluster
    finally:
        cluster.stop()


@pytest.fixture(params=["sqlite", "postgresql"])
def any_database_url(
    request: pytest.FixtureRequest, tmp_path: Path, sqlite_template: Path
) -> Iterator[str]:
    """A fresh database on each backend the server supports."""
    if request.param == "sqlite":
        path = tmp_path / "server.sqlite3"
        shutil.copyfile(sqlite_template, path)
        yield f"sqlite:///{path}"
        return
    cluster = request.getfixturevalue("sync_postgres")
    if cluster is None:
        pytest.skip("PostgreSQL is not installed (it is required in CI)")
    name = f"sync_{os.getpid()}_{next(_numbers)}"
    url = cluster.create_database(name, template="sync_template")
    try:
        yield url
    finally:
        cluster.drop_database(name)


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(T0)


@pytest.fixture
def server(
    database_url: str, tmp_path: Path, clock: FixedClock, monkeypatch: pytest.MonkeyPatch
) -> Iterator[CaseServer]:
    monkeypatch.setenv("COUNTERDESK_SERVER_DATA_DIR", str(tmp_path / "server-data"))
    running = start_server(database_url, tmp_path, clock)
    try:
        yield running
    finally:
        running.close()


@pytest.fixture
def counters(server: CaseServer, tmp_path: Path) -> Iterator[Callable[..., Counter]]:
    """Makes counters on the server (one per user); closes them all at the end."""
    made: list[Counter] = []

    def make(user: str = "officer1", **options: Any) -> Counter:
        counter = make_counter(server, tmp_path, user, **options)
        made.append(counter)
        return counter

    yield make
    for counter in made:
        counter.engine.close()
        counter.store.close(checkpoint=False)


@pytest.fixture
def memory_keyring() -> Iterator[MemoryKeyring]:
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)
