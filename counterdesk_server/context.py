"""What every request and command needs: settings, database, clock, password hasher and
the parsed catalogues. Built once by ``create_app`` (or the CLI) and passed down."""

from __future__ import annotations

from dataclasses import dataclass, field

from counterdesk.domain.clock import Clock
from counterdesk_server.db.engine import Database
from counterdesk_server.security.passwords import Passwords
from counterdesk_server.services.catalogues import CatalogueCache
from counterdesk_server.settings import ServerSettings


@dataclass
class ServerContext:
    settings: ServerSettings
    db: Database
    clock: Clock
    passwords: Passwords
    catalogues: CatalogueCache = field(default_factory=CatalogueCache)
    schema_current: bool = False  # set by the health check once it found it so

    @classmethod
    def build(cls, settings: ServerSettings, clock: Clock) -> ServerContext:
        return cls(
            settings=settings,
            db=Database(settings.database_url),
            clock=clock,
            passwords=Passwords(settings.argon2_time_cost, settings.argon2_memory_kib),
        )

    def close(self) -> None:
        self.db.dispose()
