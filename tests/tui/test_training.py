"""Training mode on a standalone counter, with the real App under Pilot: entering and
leaving it, the banner on every screen, the sandbox that keeps practice apart from live
work (and the live store that refuses practice cases), papers with the training mark,
known wrong handlings losing the right points, guided hints and exam time, the sandbox
reset, a trainee kept in training mode, and random practice from the generator."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io

import pytest
from pypdf import PdfReader

from counterdesk.domain.catalogue import bundled_catalogue_path, load_catalogue
from counterdesk.domain.clock import FixedClock
from counterdesk.domain.training import Handling, Received, perfect_handling
from counterdesk.services import intake
from counterdesk.services.counter import open_counter
from counterdesk.services.session import Officer
from counterdesk.services.training_store import TrainingMixError
from tests.tui.harness import (
    NOW,
    OFFICER,
    InstantPrinter,
    make_app,
    open_queue,
    screen_text,
    signed_in_standalone,
    wait_for,
)
from tests.tui.training_driver import TrainingDriver

CATALOGUE = load_catalogue(bundled_catalogue_path())


class KeepingPrinter(InstantPrinter):
    """Prints at once and keeps each PDF, to read what was printed."""

    def __init__(self) -> None:
        super().__init__()
        self.pdfs: list[tuple[str, bytes]] = []

    def submit(self, pdf: bytes, queue: str = "", title: str = "", copies: int = 1) -> str:
        self.pdfs.append((title, pdf))
        return super().submit(pdf, queue, title, copies)


def pdf_text(pdf: bytes) -> str:
    pages = PdfReader(io.BytesIO(pdf)).pages
    return "".join("".join((page.extract_text() or "").split()) for page in pages)


def scenario(scenario_id: str):
    from counterdesk.services.training import scenarios

    return next(s for s in scenarios() if s.id == scenario_id)


async def test_ctrl_t_enters_training_with_the_banner_on_every_screen_and_leaves_it() -> None:
    from counterdesk.screens.queue import QueueScreen

    app = make_app(signed_in_standalone())
    async with app.run_test(size=(100, 30)) as pilot:
        await open_queue(pilot)
        live = app.services
        assert "TRAINING" not in screen_text(app)
        driver = TrainingDriver(pilot)
        picker = await driver.enter_training()
        assert app.training and app.services is not live and app.services.training
        assert app.services.store.holds_training and not live.store.holds_training
        await wait_for(pilot, lambda: "TRAINING" in screen_text(app))
        await wait_for(pilot, lambda: "公积金从杭州转到嘉兴" in screen_text(app))  # bundled
        await driver.open_scenario("expired-id-card")
        await wait_for(pilot, lambda: "TRAINING" in screen_text(app))
        text = screen_text(app)
        assert "有效期至2026-10-31" in text  # what can be read on the paper...
        assert "已过期" not in text and "expired" not in text  # ...never whether it counts
        await driver.press("enter")  # the real intake screen, on the sandbox
        await wait_for(pilot, lambda: type(app.screen).__name__ == "IntakeScreen")
        intake_screen = app.screen
        assert intake_screen.services is app.services  # the sandbox's
        await wait_for(pilot, lambda: "TRAINING" in screen_text(app))
        await pilot.press("ctrl+t")  # during an exercise: the desk
        await wait_for(pilot, lambda: type(app.screen).__name__ == "DeskModal")
        assert "330402198105062206" in screen_text(app)
        await pilot.press("escape", "escape")  # the desk, then the intake (draft kept)
        await wait_for(pilot, lambda: type(app.screen).__name__ == "BriefScreen")
        await pilot.press("escape")  # give up the exercise
        await wait_for(pilot, lambda: app.screen is picker and app.training_mode.run is None)
        await pilot.press("ctrl+t")  # out of training mode
        await wait_for(pilot, lambda: isinstance(app.screen, QueueScreen))
        assert not app.training and app.services is live
        await wait_for(pilot, lambda: "TRAINING" not in screen_text(app))
        app.close_services()


async def test_practice_stays_in_the_sandbox_and_its_papers_carry_the_training_mark() -> None:
    printer = KeepingPrinter()
    app = make_app(signed_in_standalone(), printer=printer)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_queue(pilot)
        live = app.services
        driver = TrainingDriver(pilot)
        chosen = scenario("gjj-transfer-hangzhou-jiaxing")
        await driver.open_scenario(chosen.id)
        debrief = await driver.handle(chosen, perfect_handling(chosen, CATALOGUE))
        assert debrief.finished.result.points == 100
        sandbox = app.services
        [practice] = sandbox.store.list_queue()
        assert practice["training"] is True and practice["state"] == "accepted"
        assert live.store.list_queue() == [] and live.store.outbox_peek() == []
        await wait_for(pilot, lambda: printer.pdfs)
        [(title, receipt)] = printer.pdfs
        assert "培训TRAINING" in pdf_text(receipt)
        await pilot.press("enter")  # back to the scenarios
        await pilot.press("ctrl+t")  # and to live work: a live case has no mark
        await open_queue(pilot)
        assert app.services is live
        from tests.tui.harness import answer_until_checklist, start_intake
        from tests.tui.test_intake import ANSWERS

        await start_intake(pilot, "gtgsh", "SCJG-GT-001")
        await answer_until_checklist(pilot, ANSWERS)
        await pilot.press("f5", "f7")
        await open_queue(pilot)
        [case] = live.store.list_queue()
        assert case["training"] is False
        assert [c["id"] for c in sandbox.store.list_queue()] == [practice["id"]]
        await wait_for(pilot, lambda: len(printer.pdfs) == 2)
        assert "TRAINING" not in pdf_text(printer.pdfs[1][1])
        app.close_services()


def test_the_live_store_refuses_a_training_case_and_the_sandbox_a_live_one(tmp_path) -> None:
    from counterdesk.services.local_store import open_local_store

    settings = signed_in_standalone()
    services = open_counter(settings, FixedClock(NOW))
    sandbox = open_local_store(settings, data_dir=tmp_path / "training", training=True)
    try:
        draft = intake.IntakeDraft.new(OFFICER.username, NOW)
        draft.target, draft.name = "SCJG-GT-001", "张三"
        draft.id_number, draft.phone = "330402199001011230", "13812345678"
        draft.fields = {"premises": "rented", "business_scope": "小吃"}
        assessment = intake.assess(services.catalogue, draft, NOW.date(), False)
        intake.mark_all_present(draft, assessment)
        context = services.intake_context(OFFICER)
        practice = dataclasses.replace(context, training=True)
        with pytest.raises(TrainingMixError, match=draft.id):
            intake.submit(practice, draft, intake.DecisionInput("accept"))
        assert services.store.list_queue() == [] and services.store.outbox_peek() == []
        into_sandbox = dataclasses.replace(context, store=sandbox)  # a live case
        with pytest.raises(TrainingMixError, match=draft.id):
            intake.submit(into_sandbox, draft, intake.DecisionInput("accept"))
        assert sandbox.list_queue() == []
        saved = intake.submit(
            dataclasses.replace(practice, store=sandbox), draft, intake.DecisionInput("accept")
        )
        assert saved.case.training and [c["id"] for c in sandbox.list_queue()] == [draft.id]
    finally:
        sandbox.close()
        services.close()


def wrong(chosen, **changes) -> Handling:
    return dataclasses.replace(perfect_handling(chosen, CATALOGUE), **changes)


def without(handling: Handling, material: str) -> dict[str, Received]:
    return {m: r for m, r in handling.received.items() if m != material}


@pytest.mark.parametrize(
    ("scenario_id", "make_wrong", "expected", "points", "passed"),
    [
        pytest.param(
            "fruit-vegetable-sole-proprietor",
            lambda s: wrong(
                s,
                target="SCJG-SP-002",  # pre-packed food filing: its form is missing
                facts={**s.facts, "area": 30},
                outcome="notice",
                printed=("notice",),
            ),
            ["wrong_target", "uncounted_paper", "needless_notice"],
            47,
            False,
            id="wrong-item",
        ),
        pytest.param(
            "fruit-vegetable-sole-proprietor",
            lambda s: wrong(
                s,
                received=without(perfect_handling(s, CATALOGUE), "id_card"),
                outcome="notice",
                printed=("notice",),
            ),
            ["uncounted_paper", "needless_notice"],
            77,
            False,
            id="missed-paper",
        ),
        pytest.param(
            "expired-id-card",
            lambda s: wrong(
                s,
                received={**perfect_handling(s, CATALOGUE).received, "id_card": Received(1, 1)},
                outcome="accept",
                missing=(),
                printed=("receipt",),
            ),
            ["counted_flawed_paper", "accepted_incomplete"],
            50,
            False,
            id="counted-expired-card",
        ),
        pytest.param(
            "agent-company-no-attorney",
            lambda s: wrong(
                s,
                received={
                    **perfect_handling(s, CATALOGUE).received,
                    "power_of_attorney": Received(1, 0),
                },
                outcome="accept",
                missing=(),
                printed=("receipt",),
            ),
            ["counted_absent_paper", "accepted_incomplete"],
            50,
            False,
            id="accepted-what-needs-a-notice",
        ),
    ],
)
async def test_known_wrong_handlings_lose_the_right_points(
    scenario_id, make_wrong, expected, points, passed
) -> None:
    chosen = scenario(scenario_id)
    app = make_app(signed_in_standalone())
    async with app.run_test(size=(100, 30)) as pilot:
        await open_queue(pilot)
        driver = TrainingDriver(pilot)
        await driver.open_scenario(chosen.id)
        debrief = await driver.handle(chosen, make_wrong(chosen))
        result = debrief.finished.result
        assert [m.code for m in result.mistakes] == expected
        assert (result.points, result.passed) == (points, passed)
        text = screen_text(app)  # the debrief lists each mistake with its rule
        for mistake in result.mistakes[:2]:
            assert mistake.rule_zh[:8] in "".join(text.split()) or mistake.detail_zh[:6] in text
        if scenario_id == "expired-id-card":
            accepted = next(m for m in result.mistakes if m.code == "accepted_incomplete")
            assert "按您登记的材料核验为“材料齐全”" in accepted.detail_zh
        app.close_services()


async def papers_step_of_expired_card(pilot, driver: TrainingDriver, mode: str):
    """An exercise on the expired card, up to the checklist; returns the intake screen."""
    from counterdesk.widgets.checklist_table import ChecklistTable

    app = pilot.app
    await driver.open_scenario("expired-id-card", mode=mode)
    await driver.press("enter")
    await wait_for(pilot, lambda: type(app.screen).__name__ == "IntakeScreen")
    screen = app.screen
    await wait_for(pilot, lambda: screen.catalogue is not None)
    driver.fill(screen, "search", "RSJ-SK-001")
    await pilot.pause()
    await driver.press("enter")
    await wait_for(pilot, lambda: screen.draft.target == "RSJ-SK-001")
    await pilot.pause()
    assert "身份证已过期" not in screen_text(app)  # not the hint of the target step
    screen.query_one(ChecklistTable).focus()
    return screen


async def give_up(pilot) -> None:
    app = pilot.app
    await pilot.press("escape")  # back to the brief, then give up
    await wait_for(pilot, lambda: type(app.screen).__name__ == "BriefScreen")
    await pilot.press("escape")
    await wait_for(pilot, lambda: app.training_mode.run is None)


async def test_guided_mode_shows_the_hint_of_the_step_and_exam_mode_none() -> None:
    app = make_app(signed_in_standalone())
    async with app.run_test(size=(100, 30)) as pilot:
        await open_queue(pilot)
        driver = TrainingDriver(pilot)
        await papers_step_of_expired_card(pilot, driver, "guided")
        await wait_for(pilot, lambda: "身份证已过期" in screen_text(app))  # the papers hint
        assert "提示" in screen_text(app)
        await give_up(pilot)
        await papers_step_of_expired_card(pilot, driver, "exam")
        seen = app.training_tick
        await wait_for(pilot, lambda: app.training_tick > seen + 1)  # the banner has moved on
        assert "身份证已过期" not in screen_text(app) and "提示" not in screen_text(app)
        await give_up(pilot)
        app.close_services()


async def test_an_exam_shows_its_time_limit_and_over_time_costs_points() -> None:
    clock = FixedClock(NOW)
    app = make_app(signed_in_standalone(), clock=clock)
    chosen = scenario("home-sale-bundle-notice")
    async with app.run_test(size=(100, 30)) as pilot:
        await open_queue(pilot)
        driver = TrainingDriver(pilot)
        await driver.open_scenario(chosen.id, mode="exam")
        await wait_for(pilot, lambda: "剩余 10:00（限时 10:00）" in screen_text(app))
        clock.current = NOW + dt.timedelta(minutes=9, seconds=30)
        await wait_for(pilot, lambda: "剩余 00:30（限时 10:00）" in screen_text(app))
        clock.current = NOW + dt.timedelta(minutes=11)
        debrief = await driver.handle(chosen, perfect_handling(chosen, CATALOGUE))
        result = debrief.finished.result
        assert [(m.code, m.points) for m in result.mistakes] == [("over_time", 5)]
        assert (result.points, result.seconds, result.mode) == (95, 660.0, "exam")
        app.close_services()


async def test_the_sandbox_reset_asks_first_and_keeps_the_results() -> None:
    from counterdesk.widgets.confirmation import ConfirmationModal

    app = make_app(signed_in_standalone())
    chosen = scenario("dongyang-id-card-only")
    async with app.run_test(size=(100, 30)) as pilot:
        await open_queue(pilot)
        driver = TrainingDriver(pilot)
        await driver.open_scenario(chosen.id)
        await driver.handle(chosen, perfect_handling(chosen, CATALOGUE))
        await pilot.press("enter")
        picker = await driver.enter_training()
        assert len(app.services.store.list_queue()) == 1
        await wait_for(pilot, lambda: "100" in screen_text(app))  # the best score, listed
        await pilot.press("f8")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmationModal))
        await pilot.press("escape")  # no: nothing goes
        await wait_for(pilot, lambda: app.screen is picker)
        assert len(app.services.store.list_queue()) == 1
        old = app.services
        await pilot.press("f8")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmationModal))
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.services is not old and app.screen is picker)
        assert app.services.store.list_queue() == [] and app.services.training
        [kept] = app.training_mode.sandbox.book.of(OFFICER.username)
        assert kept["scenario_id"] == chosen.id and kept["score"] == 100
        await driver.open_scenario("expired-id-card")  # and practice goes on
        assert app.training_mode.run is not None
        app.close_services()


def trainee_counter():
    settings = signed_in_standalone()
    services = open_counter(settings, FixedClock(NOW))
    try:
        trainee = services.officers.add(Officer("xue.tu", "薛徒", role="trainee"), "trainee-pass-1")
        services.sign_in.sessions.remember(trainee, online=False)
    finally:
        services.close()
    return settings


async def test_a_trainee_works_in_training_mode_only() -> None:
    from counterdesk.screens.training.picker import TrainingHomeScreen

    app = make_app(trainee_counter())
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, TrainingHomeScreen))
        assert app.training and app.officer.role == "trainee"
        assert app.check_action("training", ()) is False
        await pilot.press("ctrl+t")
        await pilot.pause()
        assert isinstance(app.screen, TrainingHomeScreen) and app.training
        driver = TrainingDriver(pilot)
        chosen = scenario("residence-permit-counter-copies")
        await driver.open_scenario(chosen.id)
        debrief = await driver.handle(chosen, perfect_handling(chosen, CATALOGUE))
        assert debrief.finished.result.trainee == "xue.tu"
        assert debrief.finished.result.points == 100
        app.close_services()


async def test_random_practice_comes_from_the_generator_and_is_scored_by_the_check() -> None:
    app = make_app(signed_in_standalone())
    async with app.run_test(size=(100, 30)) as pilot:
        await open_queue(pilot)
        driver = TrainingDriver(pilot)
        picker = await driver.enter_training()
        app.training_mode.seeds = [11, 12]
        for _ in range(2):
            picker.select("practice:beginner")
            await pilot.press("enter")
            await wait_for(pilot, lambda: app.training_mode.run is not None)
            practice = app.training_mode.run.scenario
            assert practice.id.startswith("practice-beginner-") and practice.date == NOW.date()
            driver.keys = 0
            debrief = await driver.handle(practice, perfect_handling(practice, CATALOGUE))
            result = debrief.finished.result
            assert result.points == 100 and result.scenario_id == practice.id
            await pilot.press("enter")
            picker = await driver.enter_training()
        app.close_services()


async def test_a_live_intake_left_open_beneath_training_keeps_to_the_live_store() -> None:
    from tests.tui.harness import start_intake

    app = make_app(signed_in_standalone())
    async with app.run_test(size=(100, 30)) as pilot:
        await open_queue(pilot)
        live = app.services
        live_intake = await start_intake(pilot, "gtgsh", "SCJG-GT-001")
        driver = TrainingDriver(pilot)
        await driver.enter_training()  # Ctrl+T from the live intake
        sandbox = app.services
        live_intake.draft.name = "李留下"
        live_intake.changed()  # a late save of the live intake, while training shows
        await wait_for(pilot, lambda: live.store.get_draft(live_intake.draft.id) is not None)
        assert live.store.get_draft(live_intake.draft.id)["name"] == "李留下"
        assert sandbox.store.get_draft(live_intake.draft.id) is None
        await pilot.press("ctrl+t")  # back: the intake is where it was
        await wait_for(pilot, lambda: app.screen is live_intake and app.services is live)
        app.close_services()


async def test_locking_and_switching_officer_in_training_mode() -> None:
    from counterdesk.screens.login import LockScreen, LoginScreen
    from tests.tui.harness import PASSWORD, paste_text

    app = make_app(signed_in_standalone())
    async with app.run_test(size=(100, 30)) as pilot:
        await open_queue(pilot)
        live = app.services
        driver = TrainingDriver(pilot)
        picker = await driver.enter_training()
        await pilot.press("ctrl+l")
        await wait_for(pilot, lambda: isinstance(app.screen, LockScreen))
        assert app.check_action("training", ()) is False  # no way around the lock
        await paste_text(pilot, PASSWORD)
        await pilot.press("enter")  # unlocked: still training, where it was
        await wait_for(pilot, lambda: app.screen is picker)
        await pilot.press("ctrl+l")
        await wait_for(pilot, lambda: isinstance(app.screen, LockScreen))
        await pilot.press("f2")  # switch officer: out of training, signed out
        await wait_for(pilot, lambda: isinstance(app.screen, LoginScreen))
        assert not app.training and app.services is live and app.officer is None
        await paste_text(pilot, OFFICER.username)
        await pilot.press("enter")
        await paste_text(pilot, PASSWORD)
        await pilot.press("enter")
        await open_queue(pilot)
        fresh = await driver.enter_training()
        assert fresh is not picker and app.services.training
        app.close_services()


def test_a_company_being_registered_needs_no_credit_code_yet() -> None:
    """The intake the trainee uses is the live one: a new company has no code until its
    licence is issued, so an item that takes none does not ask for it; a case still
    needs a person's ID number."""
    from counterdesk.domain.cases.document import Applicant
    from counterdesk.services.intake_entries import entry_problems

    draft = intake.IntakeDraft.new(OFFICER.username, NOW)
    draft.applicant_type, draft.name, draft.contact_name = "legal", "嘉兴某某有限公司", "孟浩"
    draft.phone = "0573-83379900"
    for code, needed in (("SCJG-QY-001", False), ("B-KTV", False), ("GJJ-DW-001", True)):
        draft.target = code
        problems = entry_problems(CATALOGUE, draft, NOW.date(), required=True)
        assert ("id_number" in problems) is needed, code
    draft.target, draft.id_number = "SCJG-QY-001", "91330402MA2B3C4D5X"  # typed: still checked
    assert "id_number" in entry_problems(CATALOGUE, draft, NOW.date(), required=True)
    assert Applicant(type="legal", name="x", id_kind="uscc", id_number="").id_number == ""
    with pytest.raises(ValueError, match="ID number"):
        Applicant(type="natural", name="x", id_kind="resident_id", id_number="")


async def test_a_standalone_counter_marks_a_trainee_and_the_trainee_signs_in_to_training(
    tmp_path, capsys
) -> None:
    from counterdesk import cli
    from counterdesk.screens.login import LoginScreen
    from counterdesk.screens.training.picker import TrainingHomeScreen
    from tests.tui.harness import paste_text, prepare_standalone

    settings = prepare_standalone()
    secret = tmp_path / "password"
    secret.write_text("trainee-pass-1\n", encoding="utf-8")
    argv = ["officer", "add", "xue.tu", "--name", "薛徒", "--trainee", "--password-file"]
    assert cli.main([*argv, str(secret)]) == 0
    assert cli.main(["officer", "list"]) == 0
    assert "xue.tu\ttrainee\t薛徒" in capsys.readouterr().out
    app = make_app(settings)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, LoginScreen))
        await paste_text(pilot, "xue.tu")
        await pilot.press("enter")
        await paste_text(pilot, "trainee-pass-1")
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, TrainingHomeScreen))
        assert app.training and app.officer.role == "trainee"
        app.close_services()


async def test_the_command_palette_enters_training_mode() -> None:
    from counterdesk.screens.training.picker import TrainingHomeScreen
    from tests.tui.harness import type_text

    app = make_app(signed_in_standalone())
    async with app.run_test(size=(100, 30)) as pilot:
        await open_queue(pilot)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await type_text(pilot, "培训模式")
        await wait_for(pilot, lambda: "用模拟申请人练习" in screen_text(app))
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, TrainingHomeScreen))
        assert app.training and app.has_class("-training")
        app.close_services()
