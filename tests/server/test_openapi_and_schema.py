"""The published OpenAPI document is the served one, and the migrations build exactly the
tables the models describe (on both databases)."""

from __future__ import annotations

import json

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from counterdesk_server.db import migrate
from counterdesk_server.db.models import Base
from counterdesk_server.openapi import DOCS_FILE, openapi_document, render
from tests.server.harness import Api


def test_docs_openapi_json_is_current() -> None:
    assert DOCS_FILE.read_text(encoding="utf-8") == render(openapi_document()), (
        "docs/openapi.json is stale: run `python -m counterdesk_server.openapi`"
    )


def test_the_document_is_served(api: Api) -> None:
    served = api.client().get("/openapi.json")
    assert served.status_code == 200
    assert json.loads(render(served.json())) == json.loads(DOCS_FILE.read_text(encoding="utf-8"))
    assert "bearer" in json.dumps(served.json()["components"]["securitySchemes"]).lower()


def test_migrations_match_the_models(api: Api) -> None:
    with api.ctx.db.engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert differences == []
    assert migrate.is_current(api.ctx.db.engine)


def test_migrations_go_down_and_up_again(api: Api) -> None:
    from alembic import command

    config = migrate.alembic_config()
    with api.ctx.db.engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "base")
    assert migrate.current_revision(api.ctx.db.engine) is None
    migrate.upgrade(api.ctx.db.engine)
    assert migrate.is_current(api.ctx.db.engine)
