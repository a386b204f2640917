"""Publishing a centre's service catalogue and reading the current one.

A catalogue is checked by the shared loader (``counterdesk.domain.catalogue``) before it
is stored, so a bad file is refused with every problem listed, exactly as
``counterdesk catalogue validate`` would list them. Its SHA-256 (``Catalogue.digest``) is
its identity: the ETag counters cache it by. Parsed catalogues and their working-day
calendars are kept per digest, since the server reads them for every time-limit clock.
"""

from __future__ import annotations

import datetime as dt
import threading
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from counterdesk.domain.calendar import WorkingCalendar
from counterdesk.domain.catalogue import Catalogue, CatalogueError, parse_catalogue
from counterdesk_server.db.models import PublishedCatalogue
from counterdesk_server.services.errors import Invalid

MAX_CATALOGUE_BYTES = 20 * 1024 * 1024


@dataclass(frozen=True)
class CurrentCatalogue:
    digest: str
    version: str
    catalogue: Catalogue
    calendar: WorkingCalendar


class CatalogueCache:
    """Parsed catalogues by digest; a handful per process at most, so never evicted."""

    def __init__(self) -> None:
        self._parsed: dict[str, CurrentCatalogue] = {}
        self._lock = threading.Lock()

    def current(self, session: Session, centre_id: int) -> CurrentCatalogue | None:
        head = session.execute(
            select(PublishedCatalogue.id, PublishedCatalogue.digest)
            .where(PublishedCatalogue.centre_id == centre_id)
            .order_by(PublishedCatalogue.id.desc())
            .limit(1)
        ).first()
        if head is None:
            return None
        cached = self._parsed.get(head.digest)
        if cached is not None:
            return cached
        content = session.scalar(
            select(PublishedCatalogue.content).where(PublishedCatalogue.id == head.id)
        )
        catalogue = parse_catalogue(bytes(content or b""), "published catalogue")
        parsed = CurrentCatalogue(
            catalogue.digest, catalogue.version, catalogue, WorkingCalendar(catalogue.calendar)
        )
        with self._lock:
            self._parsed.setdefault(parsed.digest, parsed)
        return parsed


def check_catalogue(data: bytes, source: str) -> Catalogue:
    """The parsed catalogue, or Invalid with every problem the shared loader found."""
    if len(data) > MAX_CATALOGUE_BYTES:
        raise Invalid(f"catalogue larger than {MAX_CATALOGUE_BYTES} bytes")
    try:
        return parse_catalogue(data, source)
    except CatalogueError as exc:
        raise Invalid(
            f"目录有 {len(exc.problems)} 处错误 / the catalogue has "
            f"{len(exc.problems)} problem(s); first: {exc.problems[0]}",
            detail=exc.problems,
        ) from exc


def publish(
    session: Session, centre_id: int, data: bytes, by: str, now: dt.datetime, source: str
) -> PublishedCatalogue:
    catalogue = check_catalogue(data, source)
    row = PublishedCatalogue(
        centre_id=centre_id,
        version=catalogue.version,
        digest=catalogue.digest,
        content=data,
        published_at=now,
        published_by=by,
    )
    session.add(row)
    session.flush()
    return row


def current_row(session: Session, centre_id: int) -> PublishedCatalogue | None:
    return session.scalar(
        select(PublishedCatalogue)
        .where(PublishedCatalogue.centre_id == centre_id)
        .order_by(PublishedCatalogue.id.desc())
        .limit(1)
    )


def current_digest(session: Session, centre_id: int) -> tuple[str, str] | None:
    """(digest, version) of the current catalogue, without reading its content."""
    row = session.execute(
        select(PublishedCatalogue.digest, PublishedCatalogue.version)
        .where(PublishedCatalogue.centre_id == centre_id)
        .order_by(PublishedCatalogue.id.desc())
        .limit(1)
    ).first()
    return (row.digest, row.version) if row else None
