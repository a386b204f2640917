"""Signing in at a real case server on 127.0.0.1: the tokens go to the keyring and a local
verifier is kept, and the counter's own sync engine starts; an intake made online reaches
the server by it; with the server down, the same officer signs in offline, an intake is
saved with its operations waiting, and the counter's sync engine sends them once the
server is back."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from counterdesk import credentials
from counterdesk.domain.clock import FixedClock
from counterdesk.screens.login import LoginScreen
from counterdesk.services import local_store
from counterdesk.services.connectivity import LinkMode
from counterdesk.services.setup import FirstRunAnswers, write_first_run_config
from counterdesk.settings import Settings, load_settings
from counterdesk_server.db import migrate
from counterdesk_server.db.engine import Database
from tests.sync.harness import CENTRE, CaseServer, start_server
from tests.sync.harness import PASSWORD as SERVER_PASSWORD
from tests.tui.harness import (
    NOW,
    PERSON,
    answer_until_checklist,
    make_app,
    open_queue,
    paste_text,
    start_intake,
    wait_for,
)
from tests.tui.test_intake import ANSWERS


@pytest.fixture
def server(tmp_path: Path) -> Iterator[CaseServer]:
    url = f"sqlite:///{tmp_path / 'server.sqlite3'}"
    database = Database(url)
    migrate.upgrade(database.engine)
    database.dispose()
    running = start_server(url, tmp_path)
    yield running
    running.close()


def counter_for(server: CaseServer) -> Settings:
    write_first_run_config(FirstRunAnswers(server.url, "3号窗口"), Settings())
    return load_settings()


async def sign_in_online(pilot, with_centre: bool = True) -> None:
    app = pilot.app
    await wait_for(pilot, lambda: isinstance(app.screen, LoginScreen))
    if with_centre:
        await paste_text(pilot, CENTRE)
        await pilot.press("enter")
    await paste_text(pilot, "officer1")
    await pilot.press("enter")
    await paste_text(pilot, SERVER_PASSWORD)
    await pilot.press("enter")


def server_tokens(settings: Settings) -> dict[str, str] | None:
    profile = f"{local_store.key_profile()}-server"
    return credentials.get_tokens(
        profile, key_storage=settings.key_storage, secrets_dir=local_store.secrets_folder()
    )


async def test_online_sign_in_keeps_tokens_in_the_keyring_and_a_local_verifier(
    server: CaseServer,
) -> None:
    settings = counter_for(server)
    app = make_app(settings)
    async with app.run_test(size=(100, 30)) as pilot:
        await sign_in_online(pilot)
        await open_queue(pilot)
        assert app.officer is not None and app.officer.username == "officer1"
        await wait_for(pilot, lambda: app.link.mode is LinkMode.ONLINE)  # the runner synced
        assert app.services.connectivity is app.services.sync
        assert app.services.officers.get("officer1") is not None  # for offline sign-in
        assert app.services.sign_in.centre == CENTRE
        app.close_services()
    tokens = server_tokens(settings)
    assert tokens is not None and tokens["username"] == "officer1"
    assert tokens["access_token"] and tokens["refresh_token"] and tokens["centre"] == CENTRE


async def test_offline_sign_in_and_an_intake_that_syncs_when_the_server_is_back(
    server: CaseServer,
) -> None:
    settings = counter_for(server)
    first = make_app(settings)
    async with first.run_test(size=(100, 30)) as pilot:
        await sign_in_online(pilot)
        await open_queue(pilot)
        first.close_services()

    server.live.stop()  # the network goes away; the next day the officer signs in again
    app = make_app(settings, clock=FixedClock(NOW + dt.timedelta(days=1)))
    async with app.run_test(size=(100, 30)) as pilot:
        await sign_in_online(pilot, with_centre=False)  # the centre is remembered
        await open_queue(pilot)
        assert app.officer is not None and app.officer.username == "officer1"
        assert app.link.mode is LinkMode.OFFLINE
        await start_intake(pilot, "gtgsh", "SCJG-GT-001")
        await answer_until_checklist(pilot, ANSWERS)
        await pilot.press("f5", "f7")
        await open_queue(pilot)
        store = app.services.store
        [case] = store.list_queue()
        assert case["state"] == "accepted" and case["applicant"]["name"] == PERSON["name"]
        # Create, accept and the receipt's print record, waiting for the server (the print
        # is recorded once the printer says it is done: wait for it, do not race it).
        await wait_for(pilot, lambda: app.link.waiting == 3)

        server.live.start()  # back: the counter's own sync engine sends what waited
        app.services.saved()  # as the next save would; its backoff would get there too
        await wait_for(pilot, lambda: store.outbox_peek() == [], timeout=30)
        await wait_for(pilot, lambda: app.link.mode is LinkMode.ONLINE and app.link.waiting == 0)
        on_server = server.case(case["id"])
        assert on_server["state"] == "accepted"
        assert on_server["received_by"] == "officer1"
        app.close_services()


async def test_an_intake_made_online_reaches_the_server_by_the_counters_own_sync(
    server: CaseServer,
) -> None:
    settings = counter_for(server)
    app = make_app(settings)
    async with app.run_test(size=(100, 30)) as pilot:
        await sign_in_online(pilot)
        await open_queue(pilot)
        services = app.services
        assert services.sync is not None
        await wait_for(pilot, lambda: services.sync.engine.running)
        await start_intake(pilot, "gtgsh", "SCJG-GT-001")
        await answer_until_checklist(pilot, ANSWERS)
        await pilot.press("f5", "f7")
        await open_queue(pilot)
        store = services.store
        [case] = store.list_queue()
        assert case["state"] == "accepted"
        # Nobody but the counter's runner syncs here: saving woke it.
        await wait_for(pilot, lambda: store.outbox_peek() == [], timeout=30)
        on_server = server.case(case["id"])
        assert on_server["state"] == "accepted"
        assert on_server["received_by"] == "officer1"
        assert on_server["applicant"]["name"] == PERSON["name"]
        await wait_for(pilot, lambda: app.link.mode is LinkMode.ONLINE and app.link.waiting == 0)
        app.close_services()
    assert not services.sync.engine.running  # stopped with the services
