"""``counterdesk-server``: every command, on a real database, and ``serve`` over HTTPS."""

from __future__ import annotations

import io
import json
import os
import ssl
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
import trustme

from counterdesk.domain.cases import Operation, Role
from counterdesk.domain.clock import CHINA_TZ, SystemClock
from counterdesk_server.cli import main
from counterdesk_server.context import ServerContext
from counterdesk_server.services import case_ops, centres, users
from counterdesk_server.services.case_views import load_case
from counterdesk_server.services.roles import Principal
from counterdesk_server.settings import load_settings
from counterdesk_server.testing.postgres import free_port
from tests.server.harness import MINI_CATALOGUE, case_doc, create_op

START_TIMEOUT_S = 60.0


@pytest.fixture(autouse=True)
def cheap_passwords(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COUNTERDESK_SERVER_ARGON2_TIME_COST", "1")
    monkeypatch.setenv("COUNTERDESK_SERVER_ARGON2_MEMORY_KIB", "8192")


def run(
    capsys: pytest.CaptureFixture[str], url: str, *args: str, stdin: str = ""
) -> tuple[int, str, str]:
    sys_stdin = sys.stdin
    sys.stdin = io.StringIO(stdin)
    try:
        code = main(["--database-url", url, *args])
    finally:
        sys.stdin = sys_stdin
    out, err = capsys.readouterr()
    return code, out, err


def test_setting_up_a_centre_from_the_shell(capsys, database_url: str) -> None:
    assert run(capsys, database_url, "init")[0] == 0
    code, out, _ = run(capsys, database_url, "centre", "add", "JX-NANHU", "南湖区行政服务中心")
    assert code == 0 and "JX-NANHU" in out
    assert run(capsys, database_url, "centre", "add", "JX-NANHU", "again")[0] == 1
    assert run(capsys, database_url, "centre", "add", "bad code", "x")[0] == 2
    code, out, _ = run(
        capsys,
        database_url,
        "user",
        "add",
        "wang",
        "--centre",
        "JX-NANHU",
        "--role",
        "officer",
        "--name",
        "王晓燕",
        "--password-stdin",
        stdin="a-long-password\n",
    )
    assert code == 0, out
    code, _, err = run(
        capsys,
        database_url,
        "user",
        "add",
        "li",
        "--centre",
        "JX-NANHU",
        "--role",
        "officer",
        "--password-stdin",
        stdin="short\n",
    )
    assert code == 2 and "8" in err
    code, out, _ = run(capsys, database_url, "user", "list")
    assert out.splitlines() == ["JX-NANHU\twang\tofficer\tactive\t王晓燕"]
    assert run(capsys, database_url, "user", "disable", "wang", "--centre", "JX-NANHU")[0] == 0
    assert "disabled" in run(capsys, database_url, "user", "list", "--centre", "JX-NANHU")[1]
    assert run(capsys, database_url, "user", "enable", "wang", "--centre", "JX-NANHU")[0] == 0
    assert "\tactive\t" in run(capsys, database_url, "user", "list")[1]
    code, out, _ = run(capsys, database_url, "catalogue", "publish", str(MINI_CATALOGUE))
    assert code == 0 and "test-1" in out and "JX-NANHU" in out
    assert run(capsys, database_url, "user", "disable", "ghost", "--centre", "JX-NANHU")[0] == 1


def test_a_bad_catalogue_is_refused_with_every_problem(
    capsys, database_url: str, tmp_path: Path
) -> None:
    run(capsys, database_url, "centre", "add", "JX-NANHU", "南湖")
    bad = json.loads(MINI_CATALOGUE.read_text(encoding="utf-8"))
    bad["items"][0]["materials"][0]["material"] = "deed"
    bad["items"][1]["promised_days"] = 1.5
    bad["departments"].append({"code": "SCJG", "name": "重复"})
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(bad, ensure_ascii=False), encoding="utf-8")
    code, out, err = run(capsys, database_url, "catalogue", "publish", str(path))
    assert code == 2 and out == ""
    lines = err.splitlines()
    assert "3 problem" in lines[0]
    assert any("items[0].materials[0].material" in line for line in lines[1:])
    assert any("items[1].promised_days" in line for line in lines[1:])
    assert any(line.strip().startswith("departments[2]") for line in lines[1:])
    code, _, err = run(capsys, database_url, "catalogue", "publish", str(tmp_path / "missing.json"))
    assert code == 2 and "cannot read" in err


def test_a_department_decides_a_case(capsys, database_url: str, tmp_path: Path) -> None:
    run(capsys, database_url, "centre", "add", "JX-NANHU", "南湖")
    run(
        capsys,
        database_url,
        "user",
        "add",
        "wang",
        "--centre",
        "JX-NANHU",
        "--role",
        "officer",
        "--password-stdin",
        stdin="a-long-password\n",
    )
    ctx = ServerContext.build(
        load_settings({}, database_url=database_url, data_dir=tmp_path), SystemClock(CHINA_TZ)
    )
    try:
        with ctx.db.reading() as session:
            centre = centres.centre_by_code(session, "JX-NANHU")
            user = users.user_by_name(session, centre.id, "wang")
        officer = Principal(user.id, centre.id, "JX-NANHU", "wang", Role.OFFICER)
        doc = case_doc()
        create = Operation.model_validate(create_op(doc, officer="wang"))
        assert case_ops.apply_operations(ctx, officer, [create], training=False)[0].status == 201
        code, _, err = run(
            capsys, database_url, "decide", doc["id"], "--approve", "--reason", "同意"
        )
        assert code == 2 and "received" in err  # the state machine: not yet accepted
        accept = Operation.model_validate(
            {
                **create_op(doc, officer="wang"),
                "kind": "transition",
                "base_version": 1,
                "payload": {"to": "accepted"},
                "idempotency_key": "accept-0001",
            }
        )
        assert case_ops.apply_operations(ctx, officer, [accept], training=False)[0].status == 200
        code, out, _ = run(
            capsys,
            database_url,
            "decide",
            doc["id"],
            "--reject",
            "--reason",
            "材料虚假",
            "--by",
            "市场监管局",
        )
        assert code == 0 and "rejected" in out
        with ctx.db.reading() as session:
            case = load_case(session, centre.id, doc["id"], training=False)
        assert case.department_result is not None
        assert (case.department_result.approved, case.department_result.decided_by) == (
            False,
            "市场监管局",
        )
        assert case.timeline[-1].by == "市场监管局"
        assert run(capsys, database_url, "decide", "nope", "--approve", "--reason", "x")[0] == 1
        assert run(capsys, database_url, "decide", doc["id"], "--reject", "--reason", "")[0] == 2
    finally:
        ctx.close()


def test_demo_seed_is_repeatable(capsys, database_url: str) -> None:
    code, out, _ = run(capsys, database_url, "demo-seed", "--catalogue", str(MINI_CATALOGUE))
    assert code == 0, out
    assert "centre DEMO" in out and "user trainee1 (trainee) added" in out
    assert out.count(": 201 received") == 3
    assert ": 200 accepted" in out
    code, again, _ = run(capsys, database_url, "demo-seed", "--catalogue", str(MINI_CATALOGUE))
    assert code == 0
    assert "added" not in again and "case " not in again


def test_commands_need_an_initialised_database(capsys, tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'empty.sqlite3'}"
    code, _, err = run(capsys, url, "centre", "list")
    assert code == 1 and "init" in err
    code, out, _ = run(capsys, url, "init")
    assert code == 0 and "migrated from empty" in out
    code, out, _ = run(capsys, url, "init")
    assert code == 0 and "up to date" in out


@pytest.mark.parametrize("backend", ["sqlite"])
def test_serve_speaks_https_with_the_given_certificate(database_url: str, tmp_path: Path) -> None:
    authority = trustme.CA()
    certificate = authority.issue_cert("127.0.0.1", "localhost")
    certfile, keyfile, cafile = tmp_path / "cert.pem", tmp_path / "key.pem", tmp_path / "ca.pem"
    certificate.private_key_and_cert_chain_pem.write_to_path(str(certfile))
    certificate.private_key_pem.write_to_path(str(keyfile))
    authority.cert_pem.write_to_path(str(cafile))
    port = free_port()
    env = {**os.environ, "COUNTERDESK_SERVER_DATABASE_URL": database_url}
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "counterdesk_server",
            "serve",
            "--port",
            str(port),
            "--certfile",
            str(certfile),
            "--keyfile",
            str(keyfile),
            "--log-level",
            "warning",
        ],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + START_TIMEOUT_S
        answer = None
        trusted = ssl.create_default_context(cafile=str(cafile))
        with httpx.Client(verify=trusted, timeout=5) as client:
            while answer is None:
                assert server.poll() is None, server.stderr.read() if server.stderr else ""
                assert time.monotonic() < deadline, "the server did not come up"
                try:
                    answer = client.get(f"https://127.0.0.1:{port}/health")
                except httpx.TransportError:
                    time.sleep(0.05)  # wait-ok: polling a condition, bounded by the deadline
        assert answer.status_code == 200
        assert answer.json()["status"] == "ok"
        with pytest.raises(httpx.ConnectError):  # an unknown authority is not trusted
            httpx.get(f"https://127.0.0.1:{port}/health", timeout=5)
    finally:
        server.terminate()
        server.wait(timeout=30)
