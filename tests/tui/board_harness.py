"""Helpers of the supervisor board's tests: a real case server on 127.0.0.1, counters
with their own data folders signed in at it (the officers' PCs, headless: their real
``CounterServices`` and sync runner), and the supervisor's App opening on the board."""

from __future__ import annotations

import asyncio
import datetime as dt
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from counterdesk.domain.cases import Case, OperationKind, Role, apply_operation, new_operation
from counterdesk.domain.catalogue import bundled_catalogue_path
from counterdesk.domain.clock import FixedClock
from counterdesk.services.counter import CounterServices, open_counter, prepare_signed_in
from counterdesk.services.intake import provisional_prefix
from counterdesk.services.setup import FirstRunAnswers, write_first_run_config
from counterdesk.settings import Settings, load_settings
from counterdesk_server.db import migrate
from counterdesk_server.db.engine import Database
from counterdesk_server.db.models import Centre
from counterdesk_server.services import users
from tests.sync.harness import CENTRE, PASSWORD, CaseServer, start_server
from tests.tui.harness import NOW, make_app, wait_for

# A bundled item, so the board can name its department.
TARGET = {"kind": "item", "code": "SCJG-GT-001", "name": "个体工商户设立登记"}
NAMES = {"officer1": "王丽", "officer2": "李明", "supervisor1": "赵主任"}


@pytest.fixture
def server(tmp_path: Path) -> Iterator[CaseServer]:
    url = f"sqlite:///{tmp_path / 'server.sqlite3'}"
    database = Database(url)
    migrate.upgrade(database.engine)
    database.dispose()
    running = start_server(url, tmp_path)
    with running.ctx.db.writing() as session:
        centre_id = session.scalars(select(Centre.id).where(Centre.code == CENTRE)).one()
        for username, name in NAMES.items():
            users.user_by_name(session, centre_id, username).display_name = name
        users.add_user(
            session,
            running.ctx.passwords,
            centre_id,
            "trainee1",
            Role.TRAINEE,
            PASSWORD,
            running.clock.now(),
        )
    running.publish_catalogue(bundled_catalogue_path().read_bytes())
    yield running
    running.close()


def counter_settings(server: CaseServer) -> Settings:
    write_first_run_config(FirstRunAnswers(server.url, "3号窗口"), Settings())
    return load_settings()


@dataclass
class OfficerPC:
    """An officer's counter with its own data folder, signed in at the server."""

    username: str
    services: CounterServices

    @property
    def store(self) -> Any:
        return self.services.store

    def new_case(self, **overrides: Any) -> dict[str, Any]:
        """A case received at this counter (saved with its create operation, as the
        intake does), not yet synced."""
        taken = self.store.next_number(provisional_prefix(self.store))
        kind = "provisional" if taken["provisional"] else "official"
        doc = case_document(self.username, numbers={kind: taken["number"]}, **overrides)
        op = new_operation(OperationKind.CREATE, doc["id"], self.username, NOW, 0, doc)
        case = apply_operation(None, op, Role.OFFICER).to_json()
        self.store.save_batch(cases=[case], operations=[op.to_json()])
        self.services.saved()
        return case

    def edit_fields(self, case_id: str, **fields: Any) -> None:
        """An edit made at this counter (offline or not): synced at the next sync."""
        current = Case.model_validate(self.store.get(case_id))
        changes = {"fields": {**current.fields, **fields}}
        op = new_operation(
            OperationKind.UPDATE_FIELDS,
            case_id,
            self.username,
            NOW,
            current.version,
            {"changes": changes},
        )
        updated = apply_operation(current, op, Role.OFFICER).to_json()
        self.store.save_batch(cases=[updated], operations=[op.to_json()])

    async def sync(self) -> Any:
        runner = self.services.sync
        assert runner is not None
        return await asyncio.to_thread(runner.sync_now)

    def notices(self, *kinds: str) -> list[Any]:
        runner = self.services.sync
        assert runner is not None
        return [n for n in runner.notices() if not kinds or n.kind in kinds]

    def close(self) -> None:
        self.services.close()


def officer_pc(settings: Settings, folder: Path, username: str) -> OfficerPC:
    clock = FixedClock(NOW)
    prepare_signed_in(
        settings, clock, username=username, password=PASSWORD, centre=CENTRE, data_dir=folder
    )
    services = open_counter(settings, clock, data_dir=folder)
    assert services.sync is not None
    services.sync.tokens_changed()
    return OfficerPC(username, services)


def case_document(officer: str, **overrides: Any) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "id": str(uuid.uuid4()),
        "counter": "3号窗口",
        "target": dict(TARGET),
        "applicant": {
            "type": "natural",
            "name": "张三",
            "id_kind": "resident_id",
            "id_number": "330402199001011230",
            "phone": "13812345678",
        },
        "fields": {"premises": "rented"},
        "received_at": NOW.isoformat(),
        "received_by": officer,
        "assignee": officer,
    }
    doc.update(overrides)
    return doc


def supervisor_app(settings: Settings) -> Any:
    """The supervisor's App on the default data folder, signed in at the server for this
    shift (it opens on the queue)."""
    prepare_signed_in(
        settings, FixedClock(NOW), username="supervisor1", password=PASSWORD, centre=CENTRE
    )
    return make_app(settings)


async def open_board(pilot: Any, cases: int | None = None) -> Any:
    """From the queue, Ctrl+B; waits for the board to show ``cases`` open cases."""
    from counterdesk.screens.queue import QueueScreen
    from counterdesk.screens.supervisor.board import BoardScreen

    app = pilot.app
    await wait_for(pilot, lambda: isinstance(app.screen, QueueScreen) and app.screen.loaded, 30)
    await wait_for(pilot, lambda: app.check_action("board", ()) is True, 30)
    await pilot.press("ctrl+b")
    await wait_for(pilot, lambda: isinstance(app.screen, BoardScreen) and app.screen.loaded, 30)
    board = app.screen
    if cases is not None:
        await wait_for(pilot, lambda: len(board.model.rows) == cases, 60)
    return board


def server_case(server: CaseServer, case_id: str) -> dict[str, Any]:
    return server.case(case_id)


def days_ago(days: int) -> str:
    return (NOW - dt.timedelta(days=days)).isoformat()
