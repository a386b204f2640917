"""Engines and sessions for SQLite and PostgreSQL, with durability on.

SQLite: WAL with ``synchronous=FULL`` (a commit is on disk when it returns), foreign keys
on, and write transactions opened with ``BEGIN IMMEDIATE`` so that two writers queue for
the lock up front instead of failing half-way when a read lock cannot be upgraded. Read
transactions stay deferred so readers never wait for writers.
PostgreSQL: READ COMMITTED, with row locks taken explicitly where order matters.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

SQLITE_BUSY_TIMEOUT_MS = 30_000
WRITE_OPTION = "counterdesk_write"


class Database:
    """One engine, and sessions that say whether they will write."""

    def __init__(self, url: str, *, pool_size: int = 10, max_overflow: int = 30) -> None:
        self.url = url
        self.is_sqlite = url.startswith("sqlite")
        kwargs: dict[str, Any] = {"pool_pre_ping": not self.is_sqlite}
        if self.is_sqlite:
            kwargs["connect_args"] = {
                "check_same_thread": False,
                "timeout": SQLITE_BUSY_TIMEOUT_MS / 1000,
            }
        kwargs.update(pool_size=pool_size, max_overflow=max_overflow, pool_timeout=60)
        self.engine: Engine = create_engine(url, **kwargs)
        if self.is_sqlite:
            _configure_sqlite(self.engine)
        self._reader = sessionmaker(bind=self.engine, expire_on_commit=False)
        self._writer = sessionmaker(
            bind=self.engine.execution_options(**{WRITE_OPTION: True}), expire_on_commit=False
        )

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    def session(self, *, write: bool) -> Session:
        return (self._writer if write else self._reader)()

    @contextmanager
    def writing(self) -> Iterator[Session]:
        """A session whose transaction commits on success and rolls back on error."""
        with self.session(write=True) as session, session.begin():
            yield session

    @contextmanager
    def reading(self) -> Iterator[Session]:
        with self.session(write=False) as session, session.begin():
            yield session

    @contextmanager
    def single_read(self) -> Iterator[Connection]:
        """A connection for one SELECT, in autocommit: no BEGIN and COMMIT around it.

        One statement sees one consistent snapshot on both databases; the hot reads (who
        is this token, what changed since) are single statements and run many times a
        second, so the two extra round trips are worth saving.
        """
        with self.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            yield conn

    def dispose(self) -> None:
        self.engine.dispose()


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy, not the driver, decide when transactions begin.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def on_begin(connection: Any) -> None:
        options = connection.get_execution_options()
        if options.get("isolation_level") == "AUTOCOMMIT":
            return  # single statements, each its own transaction
        connection.exec_driver_sql("BEGIN IMMEDIATE" if options.get(WRITE_OPTION) else "BEGIN")


def sqlite_pragma(engine: Engine, name: str) -> str:
    """A pragma's value as the server runs it (the bench records ``synchronous``)."""
    with engine.connect() as connection:
        return str(connection.exec_driver_sql(f"PRAGMA {name}").scalar())
