"""An upload killed half-way goes on where the server stopped: the counter process is
killed with SIGKILL while the server is taking one of its chunks; started again, it
asks how far the server got and sends the rest (declaring it again, had the kill come
before its record of the declaration, finds the same upload: the id is the counter's,
tests/server/test_attachments.py). The server ends with one file, whole, attached once; no chunk before the kill
was sent again from the start."""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from counterdesk.domain.cases import OperationKind, Role, apply_operation, new_operation
from counterdesk_server.db import migrate
from counterdesk_server.db.engine import Database
from tests.scanning.upload_child import CHUNK, USER, engine_for
from tests.sync.harness import ROOT, T0, CaseServer, case_doc, start_server

PUTS_BEFORE_THE_KILL = 6
SIZE = 16 * CHUNK + 1234


@pytest.fixture
def server(tmp_path: Path) -> Iterator[CaseServer]:
    url = f"sqlite:///{tmp_path / 'server.sqlite3'}"
    database = Database(url)
    migrate.upgrade(database.engine)
    database.dispose()
    running = start_server(url, tmp_path)
    yield running
    running.close()


def child(folder: Path, url: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "tests.scanning.upload_child", str(folder), url],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )


def test_a_killed_upload_resumes_where_the_server_stopped(
    server: CaseServer, tmp_path: Path
) -> None:
    folder = tmp_path / "counter"
    data = b"%PDF-1.7\n" + os.urandom(SIZE - 9)
    store, engine = engine_for(folder, server.url)
    doc = case_doc()
    create = new_operation(OperationKind.CREATE, doc["id"], USER, T0, 0, doc)
    case = apply_operation(None, create, Role.OFFICER)
    store.save_batch(cases=[case.to_json()], operations=[create.to_json()])
    local_id = engine.queue_scan(
        case_id=doc["id"], material="id_card", content_type="application/pdf", data=data, pages=3
    )
    engine.close()
    store.close()

    entered, release = threading.Event(), threading.Event()
    puts: list[str] = []

    def hold_a_chunk(method: str, path: str) -> None:
        if method == "PUT":
            puts.append(path)
            if len(puts) == PUTS_BEFORE_THE_KILL:
                entered.set()
                release.wait(30)  # the counter is killed while the server holds this one

    server.faults.before_request = hold_a_chunk
    first = child(folder, server.url)
    try:
        assert entered.wait(60), "the upload never reached its sixth chunk"
        first.send_signal(signal.SIGKILL)
        first.wait(30)
    finally:
        release.set()
        if first.poll() is None:
            first.kill()
    assert first.returncode == -signal.SIGKILL
    officer = server.client("officer1")
    held = officer.get(f"/attachments/{local_id}").json()
    assert CHUNK * (PUTS_BEFORE_THE_KILL - 1) <= held["received"] < SIZE
    assert not held["complete"]

    server.faults.requests.clear()
    second = child(folder, server.url)
    output, _ = second.communicate(timeout=120)
    assert second.returncode == 0, output.decode(errors="replace")

    offsets = [int(q.removeprefix("offset=")) for m, _, q in server.faults.requests if m == "PUT"]
    assert offsets[0] == held["received"]  # went on from where the server was, not from 0
    assert offsets == sorted(set(offsets))  # no chunk sent twice
    asked = [(m, p) for m, p, _ in server.faults.requests if p == f"/attachments/{local_id}"]
    assert asked == [("GET", f"/attachments/{local_id}")]  # how far the server got
    assert not [p for m, p, _ in server.faults.requests if m == "POST" and p == "/attachments"]
    [upload] = officer.get(f"/attachments/by-case/{doc['id']}").json()
    assert upload["id"] == local_id and upload["complete"]
    download = server.client("supervisor1").get(f"/attachments/{local_id}/content")
    assert hashlib.sha256(download.content).hexdigest() == hashlib.sha256(data).hexdigest()
    attached = server.case(doc["id"])["attachments"]
    assert [a["id"] for a in attached] == [local_id]
