"""Training mode with a real case server on 127.0.0.1: practice cases never reach the live
store, the live outbox or the server's cases; results reach ``/training/results`` (for a
signed-in officer, and for a trainee, who works in training mode only and whose counter
runs no live sync); with the server down a result is kept and sent once it is back."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from counterdesk.domain.cases import Role
from counterdesk.domain.catalogue import bundled_catalogue_path, load_catalogue
from counterdesk.domain.training import perfect_handling
from counterdesk.services.connectivity import LinkMode
from counterdesk_server.db import migrate
from counterdesk_server.db.engine import Database
from counterdesk_server.services import centres, users
from tests.sync.harness import CENTRE, PASSWORD, CaseServer, start_server
from tests.tui.harness import make_app, open_queue, screen_text, wait_for
from tests.tui.test_online import counter_for, sign_in_online
from tests.tui.training_driver import TrainingDriver

CATALOGUE = load_catalogue(bundled_catalogue_path())


@pytest.fixture
def server(tmp_path: Path) -> Iterator[CaseServer]:
    url = f"sqlite:///{tmp_path / 'server.sqlite3'}"
    database = Database(url)
    migrate.upgrade(database.engine)
    database.dispose()
    running = start_server(url, tmp_path)
    with running.ctx.db.writing() as session:
        centre = centres.centre_by_code(session, CENTRE)
        users.add_user(
            session,
            running.ctx.passwords,
            centre.id,
            "trainee1",
            Role.TRAINEE,
            PASSWORD,
            running.clock.now(),
        )
    yield running
    running.close()


def scenario(scenario_id: str):
    from counterdesk.services.training import scenarios

    return next(s for s in scenarios() if s.id == scenario_id)


def server_results(server: CaseServer) -> list[dict]:
    answer = server.client("supervisor1").get("/training/results")
    assert answer.status_code == 200, answer.text
    return answer.json()["results"]


def server_case_ids(server: CaseServer, path: str) -> set[str]:
    answer = server.client("supervisor1").get(path, params={"limit": 500})
    assert answer.status_code == 200, answer.text
    return {entry["case"]["id"] for entry in answer.json()["cases"]}


async def sign_in(pilot, username: str, with_centre: bool = True) -> None:
    from counterdesk.screens.login import LoginScreen
    from tests.tui.harness import paste_text

    app = pilot.app
    await wait_for(pilot, lambda: isinstance(app.screen, LoginScreen))
    if with_centre:  # else remembered from the last sign-in here
        await paste_text(pilot, CENTRE)
        await pilot.press("enter")
    await paste_text(pilot, username)
    await pilot.press("enter")
    await paste_text(pilot, PASSWORD)
    await pilot.press("enter")


async def test_practice_never_reaches_live_work_and_the_result_reaches_the_server(
    server: CaseServer,
) -> None:
    app = make_app(counter_for(server))
    chosen = scenario("restaurant-one-thing")
    async with app.run_test(size=(100, 30)) as pilot:
        await sign_in_online(pilot)
        await open_queue(pilot)
        live = app.services
        await wait_for(pilot, lambda: app.link.mode is LinkMode.ONLINE)
        driver = TrainingDriver(pilot)
        await driver.open_scenario(chosen.id)
        debrief = await driver.handle(chosen, perfect_handling(chosen, CATALOGUE))
        result = debrief.finished.result
        assert result.points == 100
        sandbox = app.services
        [practice] = sandbox.store.list_queue()
        assert practice["training"] is True
        await wait_for(pilot, lambda: sandbox.connectivity.state().waiting == 0, timeout=30)
        [sent] = server_results(server)
        assert (sent["username"], sent["exercise"], sent["score"]) == (
            "officer1",
            chosen.id,
            100,
        )
        assert sent["details"]["keys"] == result.keys and sent["details"]["mode"] == "guided"
        live.sync.sync_now()  # whatever the live engine has, the server now has too
        assert live.store.list_queue() == [] and live.store.outbox_peek() == []
        assert practice["id"] not in server_case_ids(server, "/cases")
        assert practice["id"] not in server_case_ids(server, "/training/cases")
        app.close_services()


async def test_a_trainee_signs_in_to_training_mode_and_their_results_are_theirs(
    server: CaseServer,
) -> None:
    from counterdesk.screens.training.picker import TrainingHomeScreen

    app = make_app(counter_for(server))
    chosen = scenario("vegetables-no-licence-needed")
    async with app.run_test(size=(100, 30)) as pilot:
        await sign_in(pilot, "trainee1")
        await wait_for(pilot, lambda: isinstance(app.screen, TrainingHomeScreen), timeout=30)
        assert app.officer.role == "trainee" and app.training
        live = app.training_mode.live_services()
        assert not live.sync.engine.running  # a trainee's counter never syncs live cases
        driver = TrainingDriver(pilot)
        await driver.open_scenario(chosen.id, mode="exam")
        debrief = await driver.handle(chosen, perfect_handling(chosen, CATALOGUE))
        assert debrief.finished.result.trainee == "trainee1"
        sandbox = app.services
        await wait_for(pilot, lambda: sandbox.connectivity.state().waiting == 0, timeout=30)
        [sent] = server_results(server)
        assert (sent["username"], sent["exercise"]) == ("trainee1", chosen.id)
        assert sent["details"]["mode"] == "exam"
        await wait_for(pilot, lambda: app.link.mode is LinkMode.ONLINE)
        app.close_services()


async def test_a_result_made_offline_is_kept_and_sent_once_the_server_is_back(
    server: CaseServer,
) -> None:
    app = make_app(counter_for(server))
    chosen = scenario("gjj-transfer-hangzhou-jiaxing")
    async with app.run_test(size=(100, 30)) as pilot:
        await sign_in_online(pilot)
        await open_queue(pilot)
        driver = TrainingDriver(pilot)
        await driver.open_scenario(chosen.id)
        server.live.stop()  # the network goes away during the exercise
        debrief = await driver.handle(chosen, perfect_handling(chosen, CATALOGUE))
        key = debrief.finished.result.idempotency_key
        sandbox = app.services
        uploader = app.training_mode.sandbox.uploader
        await wait_for(pilot, lambda: uploader.online is False, timeout=30)
        assert sandbox.connectivity.state().waiting == 1
        await wait_for(pilot, lambda: "1 条成绩待上传" in screen_text(app))
        [kept] = app.training_mode.sandbox.book.waiting()
        assert kept["body"]["idempotency_key"] == key

        server.live.start()  # back: the uploader sends what waited
        uploader.wake()  # as its next round would; its timer gets there too
        await wait_for(pilot, lambda: sandbox.connectivity.state().waiting == 0, timeout=30)
        [sent] = server_results(server)
        assert sent["exercise"] == chosen.id and sent["username"] == "officer1"
        await wait_for(pilot, lambda: app.link.mode is LinkMode.ONLINE)
        app.close_services()


async def test_a_result_goes_with_its_own_trainee_on_a_shared_counter(server: CaseServer) -> None:
    from counterdesk.screens.login import LockScreen

    app = make_app(counter_for(server))
    chosen = scenario("dongyang-id-card-only")
    async with app.run_test(size=(100, 30)) as pilot:
        await sign_in_online(pilot)
        await open_queue(pilot)
        driver = TrainingDriver(pilot)
        await driver.open_scenario(chosen.id)
        server.live.stop()
        await driver.handle(chosen, perfect_handling(chosen, CATALOGUE))
        book = app.training_mode.sandbox.book
        uploader = app.training_mode.sandbox.uploader
        await wait_for(pilot, lambda: uploader.online is False, timeout=30)
        server.live.start()
        await pilot.press("ctrl+l")  # officer1 goes; trainee1 takes the counter
        await wait_for(pilot, lambda: isinstance(app.screen, LockScreen))
        await pilot.press("f2")
        await sign_in(pilot, "trainee1", with_centre=False)
        await wait_for(pilot, lambda: app.training and app.officer.username == "trainee1")
        uploader.wake()
        await wait_for(pilot, lambda: uploader.online is True, timeout=30)
        assert server_results(server) == []  # officer1's result is not sent as trainee1's
        assert [e["record"]["trainee"] for e in book.waiting()] == ["officer1"]
        app.close_services()
