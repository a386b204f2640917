"""Fixtures of the server tests: real databases (SQLite and PostgreSQL) and a real server.

PostgreSQL is started once per session on 127.0.0.1 by the shared helper; each test gets
a fresh database copied from a migrated template, and a fresh SQLite file likewise. When
PostgreSQL is not installed its tests skip, except in CI (``CI=true``), where they fail.
"""

from __future__ import annotations

import datetime as dt
import itertools
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from counterdesk.domain.clock import CHINA_TZ, FixedClock
from counterdesk_server.app import create_app
from counterdesk_server.db import migrate
from counterdesk_server.db.engine import Database
from counterdesk_server.settings import ServerSettings, load_settings
from counterdesk_server.testing.live import LiveServer
from counterdesk_server.testing.postgres import PostgresCluster, PostgresUnavailable
from tests.server.harness import Api

BACKENDS = ["sqlite", "postgresql"]
_numbers = itertools.count(1)


@pytest.fixture(autouse=True)
def server_data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """No test reads or writes the developer's real server data folder."""
    folder = tmp_path / "server-data"
    monkeypatch.setenv("COUNTERDESK_SERVER_DATA_DIR", str(folder))
    for name in ("DATABASE_URL", "SECRET_KEY"):
        monkeypatch.delenv(f"COUNTERDESK_SERVER_{name}", raising=False)
    return folder


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresCluster | None]:
    try:
        cluster = PostgresCluster().start()
    except PostgresUnavailable as exc:
        if os.environ.get("CI") == "true":
            pytest.fail(f"PostgreSQL is required in CI: {exc}")
        yield None
        return
    try:
        url = cluster.create_database("counterdesk_template")
        database = Database(url)
        migrate.upgrade(database.engine)
        database.dispose()
        yield cluster
    finally:
        cluster.stop()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("sqlite-template") / "template.sqlite3"
    database = Database(f"sqlite:///{path}")
    migrate.upgrade(database.engine)
    database.dispose()
    return path


def fresh_database(
    backend: str, postgres: PostgresCluster | None, sqlite_template: Path, folder: Path
) -> Iterator[str]:
    if backend == "sqlite":
        path = folder / "server.sqlite3"
        shutil.copyfile(sqlite_template, path)
        yield f"sqlite:///{path}"
        return
    if postgres is None:
        pytest.skip("PostgreSQL is not installed (it is required in CI)")
    name = f"test_{os.getpid()}_{next(_numbers)}"
    url = postgres.create_database(name, template="counterdesk_template")
    try:
        yield url
    finally:
        postgres.drop_database(name)


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def database_url(
    backend: str, postgres: PostgresCluster | None, sqlite_template: Path, tmp_path: Path
) -> Iterator[str]:
    yield from fresh_database(backend, postgres, sqlite_template, tmp_path)


def server_settings(database_url: str, data_dir: Path, **overrides: object) -> ServerSettings:
    """Real settings with a cheap argon2 cost, so that tests sign in quickly."""
    values: dict[str, object] = {
        "database_url": database_url,
        "data_dir": data_dir,
        "secret_key": "test-secret-key-" + "x" * 40,
        "argon2_time_cost": 1,
        "argon2_memory_kib": 8192,
    }
    values.update(overrides)
    return load_settings({}, **values)


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(dt.datetime(2026, 11, 23, 9, 0, tzinfo=CHINA_TZ))


@pytest.fixture
def api(database_url: str, backend: str, tmp_path: Path, clock: FixedClock) -> Iterator[Api]:
    app = create_app(server_settings(database_url, tmp_path / "data"), clock)
    with LiveServer(app) as server:
        harness = Api(server, app, clock, backend)
        try:
            yield harness
        finally:
            harness.close()
