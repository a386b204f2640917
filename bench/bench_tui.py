"""Figures of the counter screen (issue 7).

- startup_ratio: from process start until the queue shows this officer's 500 open cases
  (already signed in), divided by the same for a minimal Textual app (Header, a 500-row
  DataTable, Footer) measured in the same run; both are real processes in a 100x30
  pseudo-terminal, alternated, medians of several starts. Each app writes the time its
  table is on screen to a file and exits (COUNTERDESK_READY_FILE).
- keystroke_ms_10k: from a key press in the item search until the first expected result row
  is on the rendered screen, with a 10,000-item catalogue and varied queries (Pilot).
- intake_keys: keys pressed, beyond the search text and the applicant's data, for the
  reference intake (sole proprietor registration, every paper present, accept, receipt
  printed), from the queue to the printed receipt.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import fcntl
import json
import logging
import os
import pty
import shutil
import statistics
import struct
import subprocess
import sys
import termios
import threading
import time
import uuid
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "bench" / ".work" / "tui"
OPEN_CASES = 500
STARTS = 9
QUERIES = 60
SIZE = (100, 30)

MINIMAL_APP = r"""
import os, sys, time
from textual.app import App
from textual.widgets import DataTable, Footer, Header

class Minimal(App):
    def compose(self):
        yield Header()
        yield DataTable()
        yield Footer()

    def on_mount(self):
        table = self.query_one(DataTable)
        table.add_columns("编号", "事项", "申请人", "状态", "期限", "剩余")
        table.add_rows(
            (f"JX2026-{i:06d}", "个体工商户设立登记", "王小明", "受理", "11-30 承诺", "剩5天")
            for i in range(500)
        )
        self.call_after_refresh(self.shown)

    def shown(self):
        with open(os.environ["COUNTERDESK_READY_FILE"], "w") as out:
            out.write(repr(time.time()))
        self.exit()

Minimal().run()
"""


def run() -> dict[str, object]:
    WORK.mkdir(parents=True, exist_ok=True)
    # The counters made here keep their keys in files (no keyring on a bench box): their
    # warnings say so once per start; not news for a bench.
    logging.getLogger("counterdesk").setLevel(logging.ERROR)
    figures: dict[str, object] = {}
    figures.update(_startup())
    figures.update(asyncio.run(_keystrokes()))
    figures.update(asyncio.run(_intake_keys()))
    return figures


# --- startup ------------------------------------------------------------------------------


def _environment(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("COUNTERDESK_")}
    # Installed programs run from compiled bytecode; the warm-up start writes it.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    for name in ("config", "data", "cache", "log"):
        env[f"COUNTERDESK_{name.upper()}_DIR"] = str(home / name)
    env["COUNTERDESK_CONFIG_FILE"] = str(home / "config" / "config.toml")
    env["TERM"] = "xterm-256color"
    env["COLUMNS"], env["LINES"] = str(SIZE[0]), str(SIZE[1])
    return env


def _prepare_counter(home: Path) -> dict[str, str]:
    """A standalone counter with one signed-in officer and 500 open cases (in a child
    process, so that this one's imports do not warm anything for the measured ones)."""
    if home.exists():
        shutil.rmtree(home)
    env = _environment(home)
    (home / "config").mkdir(parents=True)
    (home / "config" / "config.toml").write_text(
        'server_url = ""\ncounter_name = "3号窗口"\nkey_storage = "file"\n', encoding="utf-8"
    )
    code = "from bench.bench_tui import _seed; _seed()"
    subprocess.run([sys.executable, "-c", code], env=env, cwd=ROOT, check=True, timeout=300)
    return env


def _seed() -> None:
    from counterdesk.domain.cases import OperationKind, Role, apply_operation, new_operation
    from counterdesk.domain.clock import SystemClock
    from counterdesk.services.counter import open_counter
    from counterdesk.services.session import Officer
    from counterdesk.settings import load_settings

    logging.getLogger("counterdesk").setLevel(logging.ERROR)  # key files: known, not news
    clock = SystemClock()
    services = open_counter(load_settings(), clock)
    officer = services.officers.add(Officer("wang.li", "王丽"), "bench-password-1")
    services.sign_in.sessions.remember(officer, online=False)
    services.store.lease_add(
        {"lease_id": "bench", "prefix": "JX2026-", "first": 1, "last": 99999, "width": 6}
    )
    now = clock.now()
    names = "王李张刘陈杨赵黄周吴"
    targets = [("SCJG-GT-001", "个体工商户设立登记"), ("B-STORE", "开办便利店一件事")]
    for n in range(OPEN_CASES):
        code, name = targets[n % 2]
        received = now - dt.timedelta(days=n % 12, hours=n % 5)
        case_id = str(uuid.uuid4())
        document = {
            "id": case_id,
            "counter": "3号窗口",
            "target": {
                "kind": "bundle" if code.startswith("B-") else "item",
                "code": code,
                "name": name,
            },
            "applicant": {
                "type": "natural",
                "name": names[n % 10] + "小" + names[(n // 10) % 10],
                "id_kind": "resident_id",
                "id_number": "330402199001011230",
                "phone": "13812345678",
            },
            "numbers": {"official": services.store.next_number("P-")["number"]},
            "received_by": "wang.li",
            "assignee": "wang.li",
            "received_at": received.isoformat(),
        }
        op = new_operation(OperationKind.CREATE, case_id, "wang.li", received, 0, document)
        case = apply_operation(None, op, Role.OFFICER)
        ops = [op]
        if n % 3:
            limits = {
                "accepted_on": received.date().isoformat(),
                "promised_days": 5,
                "legal_days": 20,
                "promised_by": (received.date() + dt.timedelta(days=7)).isoformat(),
                "legal_by": (received.date() + dt.timedelta(days=28)).isoformat(),
                "fee": 0,
            }
            decision = {
                "outcome": "accept",
                "decided_at": received.isoformat(),
                "decided_by": "wang.li",
            }
            move = new_operation(
                OperationKind.TRANSITION,
                case_id,
                "wang.li",
                received,
                case.version,
                {"to": "accepted", "changes": {"decision": decision, "limits": limits}},
            )
            case = apply_operation(case, move, Role.OFFICER)
            ops.append(move)
        services.store.save_batch(cases=[case.to_json()], operations=[o.to_json() for o in ops])
    services.load_catalogue()  # the compact catalogue cache, as after any earlier start
    services.close()


def _timed_start(command: list[str], env: dict[str, str], ready: Path) -> float:
    """Seconds from starting the process until it says its table is on screen."""
    ready.unlink(missing_ok=True)
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", SIZE[1], SIZE[0], 0, 0))
    drained = threading.Event()

    def drain() -> None:
        try:
            while os.read(master, 65536):
                pass
        except OSError:
            pass
        drained.set()

    reader = threading.Thread(target=drain, daemon=True)
    reader.start()
    started = time.time()
    process = subprocess.Popen(
        command,
        env={**env, "COUNTERDESK_READY_FILE": str(ready)},
        cwd=ROOT,
        stdin=slave,
        stdout=slave,
        stderr=slave,
        start_new_session=True,
    )
    os.close(slave)
    try:
        process.wait(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
        os.close(master)
    if not ready.exists():
        raise RuntimeError(f"{command} exited ({process.returncode}) without showing its table")
    return float(ready.read_text()) - started


def _startup() -> dict[str, object]:
    home = WORK / "counter"
    env = _prepare_counter(home)
    minimal_file = WORK / "minimal_app.py"
    minimal_file.write_text(MINIMAL_APP, encoding="utf-8")
    ready = WORK / "ready"
    ours, theirs = [], []
    counter = [sys.executable, "-m", "counterdesk"]
    minimal = [sys.executable, str(minimal_file)]
    _timed_start(counter, env, ready)  # warm the OS file cache for both, unmeasured
    _timed_start(minimal, env, ready)
    for _ in range(STARTS):
        ours.append(_timed_start(counter, env, ready))
        theirs.append(_timed_start(minimal, env, ready))
    counter_s, minimal_s = statistics.median(ours), statistics.median(theirs)
    return {
        "startup_ratio": round(counter_s / minimal_s, 2),
        "startup_ms_500": round(counter_s * 1000),
        "startup_minimal_ms_500": round(minimal_s * 1000),
        "startup_stat": f"median of {STARTS} starts each, 100x30 pty, alternated",
    }


# --- keystrokes and keys per intake (in this process, the real App under Pilot) -----------


class _Environment:
    """COUNTERDESK_* variables pointing at a bench folder, restored afterwards."""

    def __init__(self, home: Path) -> None:
        self.values = {k: v for k, v in _environment(home).items() if k.startswith("COUNTERDESK_")}
        self.saved: dict[str, str | None] = {}

    def __enter__(self) -> None:
        for key, value in self.values.items():
            self.saved[key] = os.environ.get(key)
            os.environ[key] = value

    def __exit__(self, *_exc: object) -> None:
        for key, value in self.saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def _signed_in_counter(home: Path, catalogue: Path | None = None) -> None:
    if home.exists():
        shutil.rmtree(home)
    (home / "config").mkdir(parents=True)
    lines = ['server_url = ""', 'counter_name = "3号窗口"', 'key_storage = "file"']
    if catalogue is not None:
        lines.append(f'catalogue_path = "{catalogue}"')
    (home / "config" / "config.toml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    with _Environment(home):
        from counterdesk.domain.clock import SystemClock
        from counterdesk.services.counter import open_counter
        from counterdesk.services.session import Officer
        from counterdesk.settings import load_settings

        services = open_counter(load_settings(), SystemClock())
        officer = services.officers.add(Officer("wang.li", "王丽"), "bench-password-1")
        services.sign_in.sessions.remember(officer, online=False)
        services.load_catalogue()  # builds the compact cache once, as a first start would
        services.close()


class _InstantPrinter:
    """CUPS stand-in: every job completes at once (the print queue itself is real)."""

    def __init__(self) -> None:
        self.jobs = 0

    def submit(self, pdf: bytes, queue: str = "", title: str = "", copies: int = 1) -> str:
        self.jobs += 1
        return f"bench-{self.jobs}"

    def status(self, job_id: str) -> Any:
        from counterdesk.forms.cups import CupsJobState, CupsStatus

        return CupsStatus(CupsJobState.COMPLETED)

    def cancel(self, job_id: str) -> None:
        pass


def _app(printer: Any = None) -> Any:
    from counterdesk.app import CounterApp
    from counterdesk.domain.clock import SystemClock
    from counterdesk.services.counter import open_counter
    from counterdesk.settings import load_settings

    def opener(settings: Any, clock: Any, *, data_dir: Path | None = None) -> Any:
        return open_counter(settings, clock, data_dir=data_dir, printer_backend=printer)

    return CounterApp(load_settings(), SystemClock(), open_services=opener, cursor_blink=False)


async def _until(pilot: Any, condition: Any, timeout: float = 30.0) -> Any:
    deadline = time.monotonic() + timeout
    while not (value := condition()):
        if time.monotonic() > deadline:
            raise TimeoutError(f"bench: timed out waiting for {condition}")
        await pilot.pause()
    return value


async def _open_intake(pilot: Any) -> Any:
    from counterdesk.screens.intake import IntakeScreen
    from counterdesk.screens.queue import QueueScreen

    app = pilot.app
    await _until(pilot, lambda: isinstance(app.screen, QueueScreen) and app.screen.loaded)
    await pilot.press("f2")
    await _until(pilot, lambda: isinstance(app.screen, IntakeScreen) and app.screen.catalogue)
    return app.screen


async def _keystrokes() -> dict[str, object]:
    from textual import events
    from textual.keys import _character_to_key

    from counterdesk.domain.catalogue.synthetic import synthetic_catalogue, synthetic_queries

    home = WORK / "keystrokes"
    document = synthetic_catalogue(10_000, seed=7)
    catalogue_file = WORK / "catalogue-10k.json"
    catalogue_file.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    _signed_in_counter(home, catalogue_file)
    queries = [q for q in synthetic_queries(document, QUERIES * 2, seed=23) if len(q) >= 2]
    times: list[float] = []
    with _Environment(home):
        app = _app()
        async with app.run_test(size=SIZE) as pilot:
            screen = await _open_intake(pilot)
            search = screen.query_one("#search")
            index = screen.query_one("#item-search").index
            written: list[tuple[float, str]] = []
            driver = app._driver
            display = app._display

            def displayed(screen_: Any, renderable: Any) -> None:
                """Headless Textual renders but writes nothing: make the terminal output
                it would write (same work as in a terminal) and note when."""
                display(screen_, renderable)
                if renderable is not None and hasattr(renderable, "render_segments"):
                    output = renderable.render_segments(app.console)
                    written.append((time.perf_counter(), output))

            app._display = displayed
            item_search = screen.query_one("#item-search")
            searched: dict[str, float] = {}
            search_for = item_search.search

            def search_and_note(query: str) -> None:
                search_for(query)
                searched[query] = time.perf_counter()

            item_search.search = search_and_note
            for query in queries:
                hits = index.search(query, limit=8)
                if not hits:
                    continue
                expected = hits[0].code
                search.value = query[:-1]  # typed before: not timed
                search.cursor_position = len(search.value)
                await pilot.pause()
                written.clear()
                searched.clear()
                char = query[-1]
                key = _character_to_key(char) if len(char) == 1 and not char.isalnum() else char
                pressed = time.perf_counter()
                driver.send_message(events.Key(key, char))
                # The first frame drawn after the results of the whole query were made
                # (rows unchanged since the previous key are not redrawn, yet are shown).
                try:
                    shown = await _until(
                        pilot,
                        lambda query=query: (
                            query in searched
                            and next((t for t, _d in written if t >= searched[query]), None)
                        ),
                        timeout=5,
                    )
                except TimeoutError:
                    raise RuntimeError(
                        f"bench: {query!r}: searched {list(searched)}, {len(written)} frames, "
                        f"input {search.value!r}"
                    ) from None
                lines = app.screen._compositor.render_strips()
                text = "\n".join("".join(seg.text for seg in line) for line in lines)
                if expected not in text:
                    raise RuntimeError(f"bench: {expected} not on screen for {query!r}")
                times.append((shown - pressed) * 1000)
                if len(times) >= QUERIES:
                    break
                search.value = ""
                await pilot.pause()
            app.close_services()
    return {
        "keystroke_ms_10k": round(statistics.quantiles(times, n=20)[18], 1),
        "keystroke_median_ms_10k": round(statistics.median(times), 1),
        "keystroke_stat": f"p95 of {len(times)} varied queries, last key to first result row drawn",
    }


async def _intake_keys() -> dict[str, object]:
    """The reference intake: every key beyond the search text and the applicant's data."""
    from counterdesk.domain.cases import Case
    from counterdesk.screens.queue import QueueScreen
    from counterdesk.widgets.checklist_table import ChecklistTable

    home = WORK / "intake"
    _signed_in_counter(home)
    data = {
        "name": "张三",
        "id_number": "330402199001011230",
        "phone": "13812345678",
        "field-premises": "2",
        "field-business_scope": "小吃",
    }
    printer = _InstantPrinter()
    keys: list[str] = []
    with _Environment(home):
        app = _app(printer)
        async with app.run_test(size=SIZE) as pilot:

            async def press(key: str) -> None:
                keys.append(key)
                await pilot.press(key)

            await _until(pilot, lambda: isinstance(app.screen, QueueScreen) and app.screen.loaded)
            await press("f2")
            await _until(pilot, lambda: getattr(app.screen, "catalogue", None))
            screen = app.screen
            await pilot.press(*"gtgsh")  # search text: not counted
            await press("enter")
            while not isinstance(app.focused, ChecklistTable):
                await pilot.press(*data[app.focused.id])  # the applicant's data: not counted
                await press("enter")
                if len(keys) > 30:
                    raise RuntimeError("the reference intake did not reach the checklist")
            await press("f5")
            await press("f7")
            await _until(pilot, lambda: isinstance(app.screen, QueueScreen))
            store = app.services.store
            [doc] = store.list_queue()
            await _until(pilot, lambda: Case.model_validate(store.get(doc["id"])).prints)
            case = Case.model_validate(store.get(doc["id"]))
            assert case.state.value == "accepted" and case.prints[0].doc == "receipt"
            assert screen.draft.target == "SCJG-GT-001"
            app.close_services()
    return {"intake_keys": len(keys), "intake_keys_sequence": " ".join(keys)}


if __name__ == "__main__":
    print(json.dumps(run(), indent=2, ensure_ascii=False))
