"""Test-only faults in a real server: errors, garbage, and death between commit and answer.

``FaultInjector`` wraps the application (ASGI middleware). Faults are armed in code, for
a server running in the test's process, or by trigger files in a folder named by
``COUNTERDESK_FAULT_DIR``, for a server in its own process. A fault applies to the next
request matching its method and path prefix:

- ``error-500``: answer 500 without calling the application;
- ``garbage``: answer 200 with an HTML page (a captive portal, a proxy), not calling it;
- ``garbage-after``: let the application do the work (and commit), then answer garbage;
- ``kill-after-commit``: let the application do the work, then kill the whole process
  with SIGKILL just as the answer starts, i.e. after the commit and before the client
  hears anything: the case the sync must survive without doubling anything.

Nothing here is reachable in production: only ``app_from_env`` below (or a test) installs
the middleware; the server's own factory never does.

``python -m counterdesk_server.testing.faults zygote --port N`` is a restart helper for
fault tests: a process that has imported the server once and forks a fresh server process
on each ``start`` line it reads, so that killing and restarting a server dozens of times
costs milliseconds, not an interpreter start each time.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import socket
import sys
import threading
from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

KINDS = ("error-500", "garbage", "garbage-after", "kill-after-commit")
FAULT_DIR_ENV = "COUNTERDESK_FAULT_DIR"
GARBAGE = b"<html><body>Please sign in to the hotel Wi-Fi</body></html>"


@dataclass
class Fault:
    kind: str
    method: str | None = None
    path: str | None = None  # a prefix
    times: int = 1

    def matches(self, method: str, path: str) -> bool:
        return (self.method is None or self.method == method) and (
            self.path is None or path.startswith(self.path)
        )


class FaultInjector:
    """ASGI middleware that misbehaves on purpose, as armed."""

    def __init__(self, app: ASGIApp, trigger_dir: Path | None = None) -> None:
        self.app = app
        self.trigger_dir = trigger_dir
        self.requests: list[tuple[str, str, str]] = []  # method, path, query: what came in
        # Called with (method, path) before each request: a test's way to act mid-sync
        # (move the server's clock, say) at a precise point.
        self.before_request: Callable[[str, str], None] | None = None
        self._faults: list[Fault] = []
        self._lock = threading.Lock()

    def arm(
        self, kind: str, *, times: int = 1, method: str | None = None, path: str | None = None
    ) -> None:
        if kind not in KINDS:
            raise ValueError(f"unknown fault {kind!r}; faults are {KINDS}")
        with self._lock:
            self._faults.append(Fault(kind, method, path, times))

    def disarm(self) -> None:
        with self._lock:
            self._faults.clear()

    def _take(self, method: str, path: str) -> str | None:
        with self._lock:
            for fault in self._faults:
                if fault.matches(method, path):
                    fault.times -= 1
                    if fault.times <= 0:
                        self._faults.remove(fault)
                    return fault.kind
        return self._take_trigger_file(method, path)

    def _take_trigger_file(self, method: str, path: str) -> str | None:
        """A file ``<kind>`` in the trigger folder arms one fault; its JSON content may name
        ``method`` and ``path``. Taken by removing it (only one request gets it)."""
        if self.trigger_dir is None:
            return None
        for kind in KINDS:
            trigger = self.trigger_dir / kind
            try:
                spec = json.loads(trigger.read_text(encoding="utf-8") or "{}")
            except (OSError, ValueError):
                continue
            if not Fault(kind, spec.get("method"), spec.get("path")).matches(method, path):
                continue
            try:
                trigger.unlink()
            except FileNotFoundError:
                continue  # another request took it
            return kind
        return None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        method, path = scope["method"], scope["path"]
        with self._lock:
            self.requests.append((method, path, scope.get("query_string", b"").decode()))
        if self.before_request is not None:
            self.before_request(method, path)
        kind = self._take(method, path)
        if kind is None:
            await self.app(scope, receive, send)
        elif kind == "error-500":
            await _answer(
                send, 500, b'{"error":"injected fault","detail":null}', b"application/json"
            )
        elif kind == "garbage":
            await _answer(send, 200, GARBAGE, b"text/html")
        elif kind == "garbage-after":
            await self.app(scope, receive, _swallow)
            await _answer(send, 200, GARBAGE, b"text/html")
        else:
            await self.app(scope, receive, _killing(send))


async def _swallow(_message: Message) -> None:
    return None


def _killing(send: Send) -> Send:
    async def send_or_die(message: Message) -> None:
        if message["type"] == "http.response.start":
            # The handler returned: its transaction is committed. Die before answering.
            os.kill(os.getpid(), signal.SIGKILL)
        await send(message)

    return send_or_die


async def _answer(send: Send, status: int, body: bytes, content_type: bytes) -> None:
    headers = [(b"content-type", content_type), (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


def app_from_env() -> FaultInjector:
    """``uvicorn --factory`` entry: the real application behind the fault injector, with
    trigger files read from ``$COUNTERDESK_FAULT_DIR``."""
    from counterdesk_server.app import create_app
    from counterdesk_server.settings import load_settings

    folder = os.environ.get(FAULT_DIR_ENV)
    return FaultInjector(create_app(load_settings()), Path(folder) if folder else None)


# The zygote: fork a fresh server process on demand


def _serve_child(port: int) -> None:
    import uvicorn

    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", port))
    config = uvicorn.Config(
        app_from_env(), log_level="warning", access_log=False, lifespan="on", timeout_keep_alive=5
    )
    uvicorn.Server(config).run(sockets=[sock])


def zygote(port: int) -> int:
    """Read ``start``/``wait``/``quit`` lines; answer ``started PID``/``exited PID CODE``."""
    # Import everything a server needs before forking, so each child starts at once.
    import uvicorn.lifespan.on  # noqa: F401
    import uvicorn.loops.auto  # noqa: F401
    import uvicorn.protocols.http.auto  # noqa: F401

    import counterdesk_server.app  # noqa: F401

    child = 0
    while line := sys.stdin.readline():
        command = line.strip()
        if command == "start" and child == 0:
            child = os.fork()
            if child == 0:
                try:
                    _serve_child(port)
                finally:
                    os._exit(0)
            print(f"started {child}", flush=True)
        elif command == "wait" and child:
            _, code = os.waitpid(child, 0)
            print(f"exited {child} {code}", flush=True)
            child = 0
        elif command == "quit":
            break
    if child:
        os.kill(child, signal.SIGKILL)
        os.waitpid(child, 0)
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("command", choices=["zygote"])
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args(argv)
    return zygote(args.port)


if __name__ == "__main__":
    sys.exit(main())
