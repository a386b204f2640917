"""The real program in a real terminal: ``python -m counterdesk`` in a detached tmux of
100x30, an officer signs in and completes an intake with keys alone; the case is then in
the store. (tmux is installed by .ci/run; outside CI the test skips without it.)"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from counterdesk.domain.cases import Case
from counterdesk.domain.clock import SystemClock
from counterdesk.services.counter import open_counter
from counterdesk.services.session import Officer
from counterdesk.settings import load_settings
from tests.tui.harness import PASSWORD, PERSON

ROOT = Path(__file__).resolve().parents[2]
TIMEOUT_S = 40.0


@pytest.fixture
def tmux() -> Iterator[str]:
    if shutil.which("tmux") is None:
        if os.environ.get("CI") == "true":
            pytest.fail("tmux is required in CI (.ci/run installs it)")
        pytest.skip("tmux is not installed")
    session = f"counterdesk-test-{uuid.uuid4().hex[:8]}"
    yield session
    subprocess.run(["tmux", "kill-session", "-t", session], capture_output=True, timeout=10)


def prepared_counter(home: Path) -> dict[str, str]:
    """A standalone counter with one officer, keys in files (no OS keyring in tmux)."""
    env = {k: v for k, v in os.environ.items() if k.startswith("COUNTERDESK_")}
    config = Path(env["COUNTERDESK_CONFIG_FILE"])
    config.write_text(
        'server_url = ""\ncounter_name = "3号窗口"\nkey_storage = "file"\n'
        'printer = "counterdesk-no-such-printer"\n',
        encoding="utf-8",
    )
    services = open_counter(load_settings(), SystemClock())
    try:
        services.officers.add(Officer("wang.li", "王丽"), PASSWORD)
    finally:
        services.close()
    return {**env, "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8", "TERM": "xterm-256color"}


class Terminal:
    def __init__(self, session: str) -> None:
        self.session = session

    def keys(self, *keys: str) -> None:
        subprocess.run(["tmux", "send-keys", "-t", self.session, *keys], check=True, timeout=10)

    def text(self, text: str) -> None:
        subprocess.run(
            ["tmux", "send-keys", "-t", self.session, "-l", text], check=True, timeout=10
        )

    def screen(self) -> str:
        done = subprocess.run(
            ["tmux", "capture-pane", "-p", "-t", self.session],
            capture_output=True,
            text=True,
            timeout=10,
        )
        return done.stdout

    def wait_for(self, *needles: str) -> str:
        deadline = time.monotonic() + TIMEOUT_S
        while True:
            shown = self.screen()
            if all(needle in shown for needle in needles):
                return shown
            if time.monotonic() > deadline:
                raise AssertionError(f"{needles} never appeared; the terminal shows:\n{shown}")
            time.sleep(0.1)  # wait-ok: polling the terminal, bounded by the deadline

    def alive(self) -> bool:
        done = subprocess.run(
            ["tmux", "has-session", "-t", self.session], capture_output=True, timeout=10
        )
        return done.returncode == 0


def test_an_intake_with_keys_in_a_real_terminal(tmux: str, tmp_path: Path) -> None:
    env = prepared_counter(tmp_path)
    command = f"{sys.executable} -m counterdesk"
    environment = [f"{key}={value}" for key, value in env.items()]
    subprocess.run(
        [
            "tmux",
            "-u",
            "new-session",
            "-d",
            "-s",
            tmux,
            "-x",
            "100",
            "-y",
            "30",
            "env",
            *environment,
            "sh",
            "-c",
            command,
        ],
        check=True,
        cwd=ROOT,
        timeout=10,
    )
    # With no client attached tmux may size the window by default-size (80x24).
    for option in (
        ["set-option", "-t", tmux, "window-size", "manual"],
        ["resize-window", "-t", tmux, "-x", "100", "-y", "30"],
    ):
        subprocess.run(["tmux", *option], check=True, timeout=10)
    term = Terminal(tmux)
    term.wait_for("登录", "3号窗口")
    term.text("wang.li")
    term.wait_for("wang.li")  # as a person does: see it typed, then press Enter
    term.keys("Enter")
    term.text(PASSWORD)
    term.wait_for("•" * len(PASSWORD))
    term.keys("Enter")
    term.wait_for("我的办件", "王丽")
    term.keys("F2")
    term.wait_for("新收件 · 王丽 · 草稿")  # the intake title: the key bar also says 新收件
    term.text("gtgsh")
    term.wait_for("SCJG-GT-001")
    term.keys("Enter")
    term.wait_for("SCJG-GT-001 个体工商户设立登记", "经营场所来源")
    for answer in (PERSON["name"], PERSON["id_number"], PERSON["phone"], "2", "小吃"):
        term.text(answer)
        term.wait_for(answer)
        term.keys("Enter")
    term.wait_for("经营范围", "小吃")
    term.keys("F5")
    term.wait_for("材料齐全：可受理")
    term.keys("F7")
    term.wait_for("我的办件", PERSON["name"], "受理", "已保存")  # the row and the toast
    term.keys("C-q")
    deadline = time.monotonic() + TIMEOUT_S
    while term.alive() and time.monotonic() < deadline:
        time.sleep(0.1)  # wait-ok: the program closes its store, bounded by the deadline
    assert not term.alive(), "the program did not quit"

    services = open_counter(load_settings(), SystemClock())
    try:
        [document] = services.store.list_queue()
        case = Case.model_validate(document)
        assert case.state.value == "accepted"
        assert case.applicant.name == PERSON["name"]
        assert [row["op"]["kind"] for row in services.store.outbox_of_case(case.id)] == [
            "create",
            "transition",
        ]
    finally:
        services.close()
