"""The test harness for the case server: a real server per test on a fresh database,
centres with one user per role, and helpers to build case documents and operations."""

from __future__ import annotations

import datetime as dt
import ssl
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from fastapi import FastAPI

from counterdesk.domain.cases import Role
from counterdesk.domain.clock import CHINA_TZ, FixedClock
from counterdesk_server.context import ServerContext
from counterdesk_server.services import centres, users
from counterdesk_server.testing.live import LiveServer

ROOT = Path(__file__).resolve().parents[2]
MINI_CATALOGUE = ROOT / "tests" / "data" / "mini_catalogue.json"
PASSWORD = "correct-horse-battery"
T0 = dt.datetime(2026, 11, 23, 9, 30, tzinfo=CHINA_TZ)
# Building an SSL context costs tens of milliseconds; every client shares this one.
SSL_CONTEXT = ssl.create_default_context()
USERS = {
    "officer1": Role.OFFICER,
    "officer2": Role.OFFICER,
    "supervisor1": Role.SUPERVISOR,
    "trainee1": Role.TRAINEE,
    "trainee2": Role.TRAINEE,
    "admin1": Role.ADMIN,
}


@dataclass
class Centre:
    """A centre of the running server, with a signed-in client per user."""

    code: str
    clients: dict[str, httpx.Client]
    tokens: dict[str, dict[str, Any]]

    @property
    def officer(self) -> httpx.Client:
        return self.clients["officer1"]

    @property
    def officer2(self) -> httpx.Client:
        return self.clients["officer2"]

    @property
    def supervisor(self) -> httpx.Client:
        return self.clients["supervisor1"]

    @property
    def trainee(self) -> httpx.Client:
        return self.clients["trainee1"]

    @property
    def admin(self) -> httpx.Client:
        return self.clients["admin1"]


@dataclass
class Api:
    server: LiveServer
    app: FastAPI
    clock: FixedClock
    backend: str
    _clients: list[httpx.Client] = field(default_factory=list)

    @property
    def ctx(self) -> ServerContext:
        return self.app.state.context  # type: ignore[no-any-return]

    @property
    def url(self) -> str:
        return self.server.url

    def client(self, token: str | None = None, **kwargs: Any) -> httpx.Client:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        kwargs.setdefault("verify", SSL_CONTEXT)
        client = httpx.Client(base_url=self.url, headers=headers, timeout=30, **kwargs)
        self._clients.append(client)
        return client

    def add_centre(self, code: str = "JX-NANHU", name: str = "南湖区行政服务中心") -> Centre:
        now = self.clock.now()
        with self.ctx.db.writing() as session:
            centre = centres.add_centre(session, code, name, now)
            for username, role in USERS.items():
                users.add_user(
                    session, self.ctx.passwords, centre.id, username, role, PASSWORD, now
                )
        clients, tokens = {}, {}
        for username in USERS:
            tokens[username] = self.login(code, username)
            clients[username] = self.client(tokens[username]["access_token"])
        return Centre(code, clients, tokens)

    def login(self, centre: str, username: str, password: str = PASSWORD) -> dict[str, Any]:
        response = self.client().post(
            "/auth/token", json={"centre": centre, "username": username, "password": password}
        )
        assert response.status_code == 200, response.text
        return response.json()

    def close(self) -> None:
        for client in self._clients:
            client.close()


def new_id() -> str:
    return str(uuid.uuid4())


def case_doc(case_id: str | None = None, **overrides: Any) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "id": case_id or new_id(),
        "counter": "窗口 3",
        "target": {"kind": "item", "code": "SCJG-001", "name": "个体工商户设立登记"},
        "applicant": {
            "type": "natural",
            "name": "王小明",
            "id_kind": "resident_id",
            "id_number": "330402199001011237",
            "phone": "13812345678",
        },
        "fields": {"premises": "owned"},
        "received_at": T0.isoformat(),
    }
    doc.update(overrides)
    return doc


def operation(
    kind: str,
    case_id: str,
    payload: dict[str, Any],
    *,
    officer: str = "officer1",
    base_version: int = 0,
    key: str | None = None,
    at: dt.datetime = T0,
) -> dict[str, Any]:
    return {
        "idempotency_key": key or new_id(),
        "kind": kind,
        "case_id": case_id,
        "officer": officer,
        "device_time": at.isoformat(),
        "base_version": base_version,
        "payload": payload,
    }


def create_op(doc: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
    return operation("create", doc["id"], doc, **kwargs)


def batch(
    client: httpx.Client, *ops: dict[str, Any], training: bool = False
) -> list[dict[str, Any]]:
    path = "/training/cases/batch" if training else "/cases/batch"
    response = client.post(path, json={"operations": list(ops)})
    assert response.status_code == 200, response.text
    return response.json()["results"]


def create_case(
    client: httpx.Client, officer: str = "officer1", **overrides: Any
) -> dict[str, Any]:
    """A new live case made by ``officer``; returns the stored document."""
    result = batch(client, create_op(case_doc(**overrides), officer=officer))[0]
    assert result["status"] == 201, result
    return result["case"]
