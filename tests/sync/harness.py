"""Helpers of the sync tests: a real case server on 127.0.0.1 (uvicorn, a fresh SQLite
database, an injectable clock and the test-only fault injector), counters with their own
store and engine, and case documents made the way the counter makes them."""

from __future__ import annotations

import datetime as dt
import socket
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import uvicorn

from counterdesk.domain.cases import Case, OperationKind, Role, apply_operation, new_operation
from counterdesk.domain.clock import CHINA_TZ, FixedClock
from counterdesk_server.app import create_app
from counterdesk_server.context import ServerContext
from counterdesk_server.services import centres, users
from counterdesk_server.settings import load_settings
from counterdesk_server.testing.faults import FaultInjector
from counterdesk_server.testing.postgres import free_port
from offline import Store
from offline.sync import DocumentRules, MemoryTokens, SyncConfig, SyncEngine, SyncHooks, Tokens
from offline.sync.tokens import TokenKeeper

ROOT = Path(__file__).resolve().parents[2]
MINI_CATALOGUE = ROOT / "tests" / "data" / "mini_catalogue.json"
PASSWORD = "correct-horse-battery"
CENTRE = "JX-NANHU"
T0 = dt.datetime(2026, 11, 23, 9, 0, tzinfo=CHINA_TZ)
USERS = {
    "officer1": Role.OFFICER,
    "officer2": Role.OFFICER,
    "supervisor1": Role.SUPERVISOR,
    "admin1": Role.ADMIN,
}


def server_settings(database_url: str, data_dir: Path, **overrides: object) -> Any:
    values: dict[str, object] = {
        "database_url": database_url,
        "data_dir": data_dir,
        "secret_key": "sync-test-secret-" + "x" * 40,
        "argon2_time_cost": 1,
        "argon2_memory_kib": 8192,
    }
    values.update(overrides)
    return load_settings({}, **values)


class PortServer:
    """An application served by uvicorn on a fixed port of 127.0.0.1, in a thread, that can
    be stopped and started again: the network going away and coming back, as a counter
    sees it (connections refused, then answered on the same address)."""

    def __init__(self, app: Any, port: int | None = None, **config: Any) -> None:
        self.app = app
        self.port = port or free_port()
        self.scheme = "https" if config.get("ssl_certfile") else "http"
        self.config = config
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None
        self._sock: socket.socket | None = None

    @property
    def url(self) -> str:
        return f"{self.scheme}://127.0.0.1:{self.port}"

    def start(self) -> PortServer:
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("127.0.0.1", self.port))
        options = {"log_level": "warning", "lifespan": "off", "access_log": False, **self.config}
        server = uvicorn.Server(uvicorn.Config(self.app, **options))
        thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
        thread.start()
        self._server, self._thread, self._sock = server, thread, sock
        wait_for(lambda: server.started or not thread.is_alive(), what="uvicorn to start")
        if not server.started:
            raise RuntimeError("uvicorn stopped while starting")
        return self

    def stop(self) -> None:
        if self._server is None or self._thread is None or self._sock is None:
            return
        self._server.should_exit = True
        self._thread.join(20)
        if self._thread.is_alive():
            self._server.force_exit = True
            self._thread.join(20)
        self._sock.close()
        self._server = self._thread = self._sock = None


@dataclass
class CaseServer:
    """A running server with one centre and a user per role."""

    live: PortServer
    app: Any
    faults: FaultInjector
    clock: FixedClock
    _clients: list[httpx.Client] = field(default_factory=list)

    @property
    def url(self) -> str:
        return self.live.url

    @property
    def ctx(self) -> ServerContext:
        return self.app.state.context

    def seed(self) -> None:
        now = self.clock.now()
        with self.ctx.db.writing() as session:
            centre = centres.add_centre(session, CENTRE, "南湖区行政服务中心", now)
            for username, role in USERS.items():
                users.add_user(
                    session, self.ctx.passwords, centre.id, username, role, PASSWORD, now
                )

    def login(self, username: str) -> dict[str, Any]:
        answer = httpx.post(
            f"{self.url}/auth/token",
            json={"centre": CENTRE, "username": username, "password": PASSWORD},
            verify=False,
            timeout=30,
        )
        assert answer.status_code == 200, answer.text
        return answer.json()

    def tokens(self, username: str) -> Tokens:
        return Tokens.from_answer(self.login(username), dt.datetime.now(dt.UTC))

    def client(self, username: str) -> httpx.Client:
        token = self.login(username)["access_token"]
        client = httpx.Client(
            base_url=self.url, headers={"Authorization": f"Bearer {token}"}, timeout=30
        )
        self._clients.append(client)
        return client

    def case(self, case_id: str) -> dict[str, Any]:
        answer = self.client("supervisor1").get(f"/cases/{case_id}")
        assert answer.status_code == 200, answer.text
        return answer.json()["case"]

    def publish_catalogue(self, data: bytes) -> None:
        answer = self.client("admin1").put("/catalogue", content=data)
        assert answer.status_code == 200, answer.text

    def close(self) -> None:
        for client in self._clients:
            client.close()
        self.live.stop()
        self.ctx.close()


def start_server(
    database_url: str, folder: Path, clock: FixedClock | None = None, **tls: Any
) -> CaseServer:
    clock = clock or FixedClock(T0)
    app = create_app(server_settings(database_url, folder / "server-data"), clock)
    faults = FaultInjector(app)
    live = PortServer(faults, **tls).start()
    server = CaseServer(live, app, faults, clock)
    server.seed()
    return server


# Counters


def case_rules(role: Role = Role.OFFICER) -> DocumentRules:
    """The counter's rules, as the runner gives them (without Settings or a keyring)."""
    from counterdesk.domain.cases import EDITABLE, SERVER_OWNED
    from counterdesk.services.sync_runner import case_belongs_here, replay_cases

    return DocumentRules(
        server_owned=SERVER_OWNED,
        mergeable=EDITABLE,
        owner_member="assignee",
        replay=lambda doc, ops: replay_cases(doc, ops, role),
        keep=lambda doc, user: case_belongs_here(doc, user, role),
    )


@dataclass
class Counter:
    """One counter PC: its store, its sign-in and its engine."""

    store: Store
    engine: SyncEngine
    tokens: TokenKeeper
    user: str

    def new_case(self, **overrides: Any) -> dict[str, Any]:
        """A case received offline: saved with its create operation, like the intake does."""
        doc = case_doc(**overrides)
        op = new_operation(OperationKind.CREATE, doc["id"], self.user, T0, 0, doc)
        case = apply_operation(None, op, Role.OFFICER).to_json()
        self.store.save_batch(cases=[case], operations=[op.to_json()])
        return case

    def get(self, case_id: str) -> dict[str, Any]:
        """The counter's copy of a case (which must be there)."""
        doc = self.store.get(case_id)
        assert doc is not None, case_id
        return doc

    def update(self, case_id: str, **changes: Any) -> dict[str, Any]:
        """An officer's edit of case members on this counter (online or not)."""
        return self.edit(case_id, OperationKind.UPDATE_FIELDS, changes=changes)

    def edit(self, case_id: str, kind: OperationKind, **payload: Any) -> dict[str, Any]:
        """An officer's operation on a case on this counter (online or not)."""
        current = Case.model_validate(self.get(case_id))
        op = new_operation(kind, case_id, self.user, T0, current.version, payload)
        case = apply_operation(current, op, Role.OFFICER).to_json()
        self.store.save_batch(cases=[case], operations=[op.to_json()])
        return op.to_json()

    def sync(self) -> Any:
        return self.engine.sync_once()


def make_counter(
    server: CaseServer,
    folder: Path,
    user: str,
    *,
    key: bytes | None = None,
    hooks: SyncHooks | None = None,
    tokens: TokenKeeper | None = None,
    url: str | None = None,
    store: Store | None = None,
    **config: Any,
) -> Counter:
    store = store or Store.open(folder / f"store-{user}", key or bytes(range(32)))
    keeper = tokens or MemoryTokens(server.tokens(user))
    options: dict[str, Any] = {"poll_interval": 0.05, "backoff_base": 0.01, "backoff_max": 0.1}
    options.update(config)
    engine = SyncEngine(
        store,
        SyncConfig(server_url=url or server.url, **options),
        keeper,
        rules=case_rules(USERS.get(user, Role.OFFICER)),
        hooks=hooks,
    )
    return Counter(store, engine, keeper, user)


def case_doc(case_id: str | None = None, **overrides: Any) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "id": case_id or str(uuid.uuid4()),
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


def wait_for(condition: Callable[[], bool], timeout: float = 20.0, what: str = "condition") -> None:
    """Poll a condition until it holds (bounded): no fixed sleeps in tests."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.01)  # wait-ok: polling a condition, bounded by the deadline
