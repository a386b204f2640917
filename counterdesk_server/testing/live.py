"""A real uvicorn serving an application on 127.0.0.1, in a background thread.

The tests talk to it over real HTTP (and HTTPS when given a certificate), so what they
check is what a counter would meet: routing, serialisation, status codes, headers.
"""

from __future__ import annotations

import socket
import threading
import time
from typing import Any

import uvicorn

START_TIMEOUT_S = 20.0
STOP_TIMEOUT_S = 20.0


class LiveServer:
    def __init__(self, app: Any, **config: Any) -> None:
        # IPPROTO_TCP named explicitly: asyncio only turns Nagle off (TCP_NODELAY) on
        # sockets that say they are TCP, and without it every answer waits ~40 ms for an ACK.
        self._sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
        self._sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._sock.bind(("127.0.0.1", 0))
        self.port = int(self._sock.getsockname()[1])
        self.scheme = "https" if config.get("ssl_certfile") else "http"
        options = {"log_level": "warning", "lifespan": "on", "access_log": False, **config}
        self._server = uvicorn.Server(uvicorn.Config(app, **options))
        self._thread = threading.Thread(
            target=self._server.run, kwargs={"sockets": [self._sock]}, daemon=True
        )

    @property
    def url(self) -> str:
        return f"{self.scheme}://127.0.0.1:{self.port}"

    def start(self) -> LiveServer:
        self._thread.start()
        deadline = time.monotonic() + START_TIMEOUT_S
        while not self._server.started:
            if not self._thread.is_alive():
                raise RuntimeError("uvicorn stopped while starting")
            if time.monotonic() > deadline:
                raise TimeoutError(f"uvicorn did not start within {START_TIMEOUT_S} s")
            time.sleep(0.005)  # wait-ok: polling a condition, bounded by the deadline
        return self

    def stop(self) -> None:
        self._server.should_exit = True
        self._thread.join(STOP_TIMEOUT_S)
        if self._thread.is_alive():
            self._server.force_exit = True
            self._thread.join(STOP_TIMEOUT_S)
        self._sock.close()

    def __enter__(self) -> LiveServer:
        return self.start()

    def __exit__(self, *_exc: object) -> None:
        self.stop()
