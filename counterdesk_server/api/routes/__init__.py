"""One router per resource; ``ROUTERS`` is the whole API in the order the docs show it."""

from __future__ import annotations

from counterdesk_server.api.routes import (
    attachments,
    audit,
    auth,
    board,
    cases,
    catalogue,
    centre,
    changes,
    health,
    leases,
    stats,
    sync_support,
    training,
)

ROUTERS = [
    health.router,
    auth.router,
    centre.router,
    catalogue.router,
    cases.router,
    changes.router,
    leases.router,
    attachments.router,
    training.router,
    audit.router,
    stats.router,
    sync_support.router,  # for counters' sync (docs/sync.md)
    board.router,  # the supervisor board (docs/supervisor.md)
]
