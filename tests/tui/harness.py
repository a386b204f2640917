"""Driving the real counter App in tests: a prepared standalone counter, a fixed clock, an
in-memory keyring, a printer that completes at once, and waiting on conditions."""

from __future__ import annotations

import asyncio
import datetime as dt
import itertools
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from textual.pilot import Pilot

from counterdesk.app import CounterApp
from counterdesk.domain.clock import CHINA_TZ, FixedClock
from counterdesk.forms.cups import CupsJobState, CupsStatus
from counterdesk.services.counter import CounterServices, open_counter
from counterdesk.services.session import Officer
from counterdesk.services.setup import FirstRunAnswers, write_first_run_config
from counterdesk.settings import Settings, load_settings

NOW = dt.datetime(2026, 11, 23, 9, 0, tzinfo=CHINA_TZ)  # a Monday
OFFICER = Officer("wang.li", "王丽")
PASSWORD = "counter-pass-1"
COUNTER = "3号窗口"

# A sole proprietor with every paper: the reference intake.
PERSON = {
    "name": "张三",
    "id_number": "330402199001011230",
    "phone": "13812345678",
}
COMPANY = {
    "name": "嘉兴欢唱娱乐有限公司",
    "id_number": "91330402MA2B3C4D53",
    "contact_name": "王小明",
    "phone": "0573-82345678",
}


class InstantPrinter:
    """A CUPS stand-in that prints everything at once and remembers what it printed."""

    def __init__(self) -> None:
        self.printed: list[tuple[str, str, int]] = []  # (title, queue, bytes)
        self._ids = itertools.count(1)

    def submit(self, pdf: bytes, queue: str = "", title: str = "", copies: int = 1) -> str:
        job = f"test-{next(self._ids)}"
        self.printed.append((title, queue, len(pdf)))
        return job

    def status(self, job_id: str) -> CupsStatus:
        return CupsStatus(CupsJobState.COMPLETED)

    def cancel(self, job_id: str) -> None:
        pass


def prepare_standalone(
    counter: str = COUNTER, officer: Officer = OFFICER, password: str = PASSWORD
) -> Settings:
    """A counter already set up: config.toml written and one officer with a verifier."""
    settings = write_first_run_config(FirstRunAnswers("", counter), Settings())
    services = open_counter(settings, FixedClock(NOW))
    try:
        services.officers.add(officer, password)
    finally:
        services.close()
    return load_settings()


def signed_in_standalone(**kwargs: Any) -> Settings:
    """As prepare_standalone, and the officer's sign-in for this shift remembered."""
    settings = prepare_standalone(**kwargs)
    services = open_counter(settings, FixedClock(NOW))
    try:
        officer = services.officers.get(OFFICER.username)
        assert officer is not None
        services.sign_in.sessions.remember(officer, online=False)
    finally:
        services.close()
    return settings


def make_app(
    settings: Settings | None = None,
    *,
    clock: FixedClock | None = None,
    printer: InstantPrinter | None = None,
    opener: Callable[..., CounterServices] | None = None,
    data_dir: Path | None = None,
) -> CounterApp:
    backend = printer if printer is not None else InstantPrinter()

    def open_with_printer(settings: Settings, clock: Any, *, data_dir: Path | None = None):
        return (opener or open_counter)(settings, clock, data_dir=data_dir, printer_backend=backend)

    return CounterApp(
        settings or load_settings(),
        clock or FixedClock(NOW),
        data_dir=data_dir,
        open_services=open_with_printer,
        cursor_blink=False,
    )


async def wait_for(pilot: Pilot[Any], condition: Callable[[], Any], timeout: float = 15.0) -> Any:
    """Let the App work until ``condition()`` is truthy; fail after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        await pilot.pause()
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {condition}")
        await asyncio.sleep(0.01)  # wait-ok: a polling interval, bounded by the deadline


async def type_text(pilot: Pilot[Any], text: str) -> None:
    """Type text as keys (Chinese characters included)."""
    await pilot.press(*list(text))


async def paste_text(pilot: Pilot[Any], text: str) -> None:
    """Enter text in the focused input in one go, as an input method commits a word."""
    from textual import events

    focused = pilot.app.focused
    assert focused is not None
    focused.post_message(events.Paste(text))
    await pilot.pause()


def screen_text(app: Any) -> str:
    """What the terminal shows, as plain text (one line per row)."""
    strips = app.screen._compositor.render_strips()
    return "\n".join("".join(segment.text for segment in strip) for strip in strips)


async def open_queue(pilot: Pilot[Any]) -> Any:
    from counterdesk.screens.queue import QueueScreen

    app = pilot.app
    await wait_for(pilot, lambda: isinstance(app.screen, QueueScreen) and app.screen.loaded)
    screen = app.screen
    seen = app.status_refreshes
    app.refresh_status()  # now, rather than at the next tick of its timer
    await wait_for(pilot, lambda: app.status_refreshes > seen)  # the status bar is current
    return screen


async def start_intake(pilot: Pilot[Any], query: str, code: str) -> Any:
    """From the queue: F2, type the search, Enter on the best result."""
    from counterdesk.screens.intake import IntakeScreen

    app = pilot.app
    await pilot.press("f2")
    await wait_for(pilot, lambda: isinstance(app.screen, IntakeScreen) and app.screen.catalogue)
    screen = app.screen
    await type_text(pilot, query)
    await pilot.press("enter")
    await wait_for(pilot, lambda: screen.draft.target == code)
    return screen


async def answer_until_checklist(
    pilot: Pilot[Any], answers: dict[str, str], limit: int = 30
) -> int:
    """Type the answer for whichever entry Enter brought the cursor to, until it reaches
    the checklist; returns how many times Enter was pressed."""
    from counterdesk.widgets.checklist_table import ChecklistTable

    app = pilot.app
    enters = 0
    for _ in range(limit):
        focused = app.focused
        if isinstance(focused, ChecklistTable):
            return enters
        name = getattr(focused, "id", None)
        if name not in answers:
            raise AssertionError(f"no answer for the entry {name!r} (screen:\n{screen_text(app)})")
        await paste_text(pilot, answers[name])
        await pilot.press("enter")
        enters += 1
        await pilot.pause()
    raise AssertionError("Enter never reached the checklist")


def store_of(app: Any) -> Any:
    return app.services.store


LEASE = {"lease_id": "test-lease", "prefix": "JX2026-", "first": 1, "last": 9999, "width": 6}
TARGET_FIELDS = {
    "SCJG-GT-001": {"premises": "rented", "business_scope": "小吃"},
    "RSJ-TX-001": {"retirement_kind": "1"},
    "B-STORE": {"premises": "rented", "business_scope": "预包装食品零售", "area": "35"},
}


def seed_cases(settings: Settings, cases: list[dict[str, Any]], *, lease: bool = True) -> None:
    """Cases made through the intake service at the times given, for queue tests.

    Each entry: ``at`` (datetime), ``name``, ``code``, ``outcome`` (accept, notice,
    receive, accept_deferral), and optionally ``officer``."""
    from counterdesk.services import intake

    clock = FixedClock(NOW)
    services = open_counter(settings, clock)
    try:
        if lease and not services.store.numbers_left():
            services.store.lease_add(LEASE)
        catalogue = services.catalogue
        for spec in cases:
            clock.current = spec["at"]
            draft = intake.IntakeDraft.new(spec.get("officer", OFFICER.username), clock.now())
            draft.target = spec["code"]
            draft.name = spec["name"]
            draft.id_number = PERSON["id_number"]
            draft.phone = PERSON["phone"]
            draft.fields = dict(TARGET_FIELDS[spec["code"]])
            context = services.intake_context(Officer(spec.get("officer", OFFICER.username), ""))
            assessment = intake.assess(catalogue, draft, clock.today(), False)
            intake.mark_all_present(draft, assessment)
            outcome = spec["outcome"]
            if outcome in ("notice", "accept_deferral"):
                need = "required" if outcome == "notice" else "deferrable"
                line = next(x for x in assessment.result.checklist if x.need == need)
                draft.received.pop(line.material, None)
            due = intake.default_due(catalogue, clock.today(), outcome)
            decision = intake.DecisionInput(
                outcome, due=due, commitment_signed=outcome == "accept_deferral"
            )
            intake.submit(context, draft, decision)
    finally:
        services.close()


def type_ahead(pilot: Pilot[Any], *keys: str) -> None:
    """Keys arriving faster than the App handles them (a fast typist, an ID card reader):
    all queued at once, nothing awaited in between."""
    from textual import events
    from textual.keys import _character_to_key

    driver = pilot.app._driver
    for key in keys:
        if len(key) == 1:
            name = _character_to_key(key) if not key.isalnum() else key
            driver.send_message(events.Key(name, key))
        else:
            driver.send_message(events.Key(key, "\r" if key == "enter" else None))
