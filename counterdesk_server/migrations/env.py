"""Alembic's entry point: runs migrations on the connection handed over by db/migrate.py."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from counterdesk_server.db.models import Base

config = context.config
target_metadata = Base.metadata


def run() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _migrate(connection)
        return
    # Only for `alembic revision --autogenerate` during development.
    url = config.get_main_option("sqlalchemy.url")
    if not url:
        raise RuntimeError("set sqlalchemy.url or pass a connection")
    with create_engine(url).begin() as own:
        _migrate(own)


def _migrate(connection: object) -> None:
    context.configure(
        connection=connection,  # type: ignore[arg-type]
        target_metadata=target_metadata,
        render_as_batch=True,  # SQLite alters tables by copying them
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


run()
