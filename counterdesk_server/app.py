"""The application factory: ``create_app(settings, clock)`` builds one server.

Nothing is read at import time: the CLI, the tests and the bench each build their own
settings and clock and hand them in, so a test can run two servers side by side or move
time forward to expire a token.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import Depends, FastAPI

from counterdesk.domain.clock import CHINA_TZ, Clock, SystemClock
from counterdesk_server import __version__
from counterdesk_server.api import errors
from counterdesk_server.api.access import check_every_route_has_a_rule
from counterdesk_server.api.input_guard import check_input
from counterdesk_server.api.routes import ROUTERS
from counterdesk_server.context import ServerContext
from counterdesk_server.settings import ServerSettings

DESCRIPTION = """\
The case server shared by the counters of a service centre (counterdesk).

Sign in with `POST /auth/token` and send `Authorization: Bearer <access_token>`. Every
error is JSON: `{"error": "...", "detail": ...}`. Centres are tenants: every answer is
limited to the caller's centre. See docs/server.md.
"""


def create_app(settings: ServerSettings, clock: Clock | None = None) -> FastAPI:
    context = ServerContext.build(settings, clock or SystemClock(CHINA_TZ))

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        context.close()

    app = FastAPI(
        title="counterdesk case server",
        version=__version__,
        description=DESCRIPTION,
        lifespan=lifespan,
        dependencies=[Depends(check_input)],
    )
    app.state.context = context
    errors.install(app)
    for router in ROUTERS:
        app.include_router(router)
    check_every_route_has_a_rule(app.routes)
    return app
