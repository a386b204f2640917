"""``make demo``: open the counter screen, signed in, on a demo folder, with a case server.

Everything lives in ``.demo/`` beside the project (config, encrypted store, logs, and the
server's SQLite database and keys in ``.demo/server``), so a second ``make demo`` reuses the
same counter, officer and server data. The case server runs in this process (uvicorn on a
free port of 127.0.0.1, in a daemon thread), seeded once like ``counterdesk-server
demo-seed`` (a centre, officers, a supervisor, a trainee, an admin and the bundled
catalogue); the counter's config gets the server's address each time (the port may
differ), the demo officer signs in there, and the counter's sync engine runs as it does
at a real centre. The demo counter keeps its data key and tokens in files in the demo
folder (``key_storage = "file"``, the documented kiosk/demo option), because a headless
machine has no OS keyring.

Without a terminal (CI, a pipe) it prints a walkthrough of the headless core instead.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
import uuid
from pathlib import Path
from typing import Any

from counterdesk.domain.calendar import WorkingCalendar
from counterdesk.domain.cases import OperationKind, Role, apply_operation, new_operation
from counterdesk.domain.cases.limits import acceptance_limits
from counterdesk.domain.cases.timelimit import read_clock
from counterdesk.domain.catalogue import bundled_catalogue_path
from counterdesk.domain.checklist import check_request
from counterdesk.domain.clock import SystemClock
from counterdesk.domain.identity import mask_id_number, validate_resident_id
from counterdesk.services.catalogue_source import load_with_search_index

SEARCHES = ["KTV", "yyzz", "gongjijin", "provident fund", "食品经营", "新生儿"]


def heading(text: str) -> None:
    print(f"\n== {text} ==")


DEMO_CENTRE = ("DEMO", "南湖区行政服务中心")
DEMO_OFFICER = ("officer1", "counterdesk-demo")  # seeded on the demo server (demo_seed)
DEMO_COUNTER = "演示窗口 Demo counter"


def main() -> None:
    if sys.stdin.isatty() and sys.stdout.isatty():
        raise SystemExit(open_counter_screen())
    walkthrough()


def start_demo_server(folder: Path) -> Any:
    """The case server on a free port of 127.0.0.1, its SQLite database and keys in
    ``folder`` (made and seeded on first use), served by uvicorn in a daemon thread."""
    from counterdesk_server import demo_seed
    from counterdesk_server.app import create_app
    from counterdesk_server.db import migrate
    from counterdesk_server.settings import load_settings as server_settings
    from counterdesk_server.testing.live import LiveServer

    app = create_app(server_settings({}, data_dir=folder))
    ctx = app.state.context
    migrate.upgrade(ctx.db.engine)
    code, name = DEMO_CENTRE
    demo_seed.seed(ctx, code, name, DEMO_OFFICER[1], None)  # adds nothing twice
    return LiveServer(app).start()


def open_counter_screen() -> int:
    """Start the demo server, sign the demo officer in at it, then open the real counter
    screen on the queue."""
    from counterdesk.commands.default import run_counter
    from counterdesk.logs import setup_logging
    from counterdesk.services.counter import prepare_signed_in
    from counterdesk.services.setup import FirstRunAnswers, write_first_run_config
    from counterdesk.settings import load_settings

    folder = Path(os.environ.get("COUNTERDESK_DEMO_DIR", Path.cwd() / ".demo")).resolve()
    for name in ("config", "data", "cache", "log"):
        os.environ[f"COUNTERDESK_{name.upper()}_DIR"] = str(folder / name)
    os.environ["COUNTERDESK_CONFIG_FILE"] = str(folder / "config" / "config.toml")
    os.environ["COUNTERDESK_KEY_STORAGE"] = "file"
    print(f"counterdesk demo: folder {folder} (demo only: the data key is kept in a file there)")
    settings = load_settings()
    setup_logging(settings.log_level)
    server = start_demo_server(folder / "server")
    print(f"case server {server.url} (database and keys in {folder / 'server'})")
    try:
        # The port may differ from the last run's: the config gets this run's address.
        settings = write_first_run_config(
            FirstRunAnswers(server.url, DEMO_COUNTER, DEMO_CENTRE[1]), settings
        )
        username, password = DEMO_OFFICER
        prepare_signed_in(
            settings, SystemClock(), username=username, password=password, centre=DEMO_CENTRE[0]
        )
        print(f"centre {DEMO_CENTRE[0]!r}, officer {username!r}, password {password!r}")
        return run_counter(settings)
    finally:
        server.stop()


def walkthrough() -> None:
    print("counterdesk headless demo (no terminal here, so not the counter screen):")
    print("the shared core every part of the product runs on.")
    catalogue, index = load_with_search_index(bundled_catalogue_path())
    heading(f"Bundled catalogue {catalogue.version}: {catalogue.summary()}")

    heading("Search as an officer types")
    for query in SEARCHES:
        hits = index.search(query, limit=3)
        found = "; ".join(f"{h.code} {h.name}" for h in hits) or "nothing"
        print(f"  {query!r:20} -> {found}")

    target = index.search("KTV", limit=1)[0]
    heading(f"Completeness check for {target.code} {target.name}")
    clock = SystemClock()
    request = {
        "target": target.code,
        "facts": {"applicant_type": "legal"},
        "presented": {"id_card": {"original": 1, "copies": 1}},
    }
    result = check_request(catalogue, request, clock.today())
    print(f"  request: {json.dumps(request, ensure_ascii=False)}")
    for line in result.checklist:
        print(
            f"  {line.status:10} {line.need:10} 原件{line.original} 复印件{line.copies}  {line.name}"
        )
    print(
        f"  outcome: {result.outcome}; promised by {result.promised_by}, legal limit {result.legal_by}"
    )

    heading("An applicant's ID number, validated and masked")
    for raw in ("330402 19900101 1230", "330402199001011238", "33040219900101123"):
        checked = validate_resident_id(raw, today=clock.today())
        shown = mask_id_number(checked.value) if checked.ok else checked.reason
        print(f"  {raw!r:24} -> {shown}")

    heading("A case through its states")
    now = clock.now()
    case_id = str(uuid.uuid4())
    document = {
        "id": case_id,
        "target": {
            "kind": "bundle" if target.is_bundle else "item",
            "code": target.code,
            "name": target.name,
        },
        "applicant": {
            "type": "legal",
            "name": "嘉兴欢唱娱乐有限公司",
            "id_kind": "uscc",
            "id_number": "91330402MA2B3C4D5E",
            "contact_name": "王小明",
        },
        "received_at": now.isoformat(),
    }
    case = apply_operation(
        None, new_operation(OperationKind.CREATE, case_id, "demo", now, 0, document), Role.OFFICER
    )
    calendar = WorkingCalendar(catalogue.calendar)
    limits = acceptance_limits(catalogue, catalogue.target(target.code), result, clock.today())
    for to, role, extra in [
        ("accepted", Role.OFFICER, {"changes": {"limits": limits}}),
        ("under_review", Role.DEPARTMENT, {}),
    ]:
        op = new_operation(
            OperationKind.TRANSITION, case_id, "demo", now, case.version, {"to": to, **extra}
        )
        case = apply_operation(case, op, role)
        reading = read_clock(case, clock.today() + dt.timedelta(days=1), calendar)
        print(
            f"  {case.state.label_zh:8} {case.state.label_en:22} clock: {reading.status.value}, due {reading.due}"
        )
    print(
        "\nRun `make demo` in a terminal for the counter screen; `counterdesk --help` lists the commands."
    )


if __name__ == "__main__":
    main()
