"""Official case numbers and the leases that hand them out in blocks.

A counter leases a block of numbers while online so that a receipt printed offline
already carries its final number. Numbers come from a per-centre, per-year counter row
moved with one atomic ``UPDATE ... RETURNING``: two leases can never overlap, whichever
server of a cluster handles them. A case may only carry an official number its centre
leased, and the database refuses the same number on two cases.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from sqlalchemy import insert, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from counterdesk.domain.clock import CHINA_TZ
from counterdesk_server.db.models import NumberCounter, NumberLease
from counterdesk_server.services import audit
from counterdesk_server.services.audit import AuditEntry
from counterdesk_server.services.errors import Invalid
from counterdesk_server.services.roles import Principal

NUMBER = re.compile(r"(?P<centre>[A-Z0-9][A-Z0-9-]*)-(?P<year>\d{4})-(?P<seq>\d{6,})")


@dataclass(frozen=True)
class Lease:
    id: int
    year: int
    first_seq: int
    count: int
    numbers: list[str]
    issued_at: dt.datetime


def format_number(centre_code: str, year: int, seq: int) -> str:
    return f"{centre_code}-{year}-{seq:06d}"


def parse_number(text: str) -> tuple[str, int, int] | None:
    match = NUMBER.fullmatch(text)
    if match is None:
        return None
    return match["centre"], int(match["year"]), int(match["seq"])


def lease_numbers(
    session: Session, actor: Principal, count: int, device: str, now: dt.datetime
) -> Lease:
    year = now.astimezone(CHINA_TZ).year
    _ensure_counter(session, actor.centre_id, year)
    last = session.execute(
        update(NumberCounter)
        .where(NumberCounter.centre_id == actor.centre_id, NumberCounter.year == year)
        .values(last_seq=NumberCounter.last_seq + count)
        .returning(NumberCounter.last_seq)
    ).scalar_one()
    first = last - count + 1
    lease_id = session.execute(
        insert(NumberLease)
        .values(
            centre_id=actor.centre_id,
            user_id=actor.user_id,
            username=actor.username,
            device=device,
            year=year,
            first_seq=first,
            count=count,
            issued_at=now,
        )
        .returning(NumberLease.id)
    ).scalar_one()
    numbers = [format_number(actor.centre_code, year, seq) for seq in range(first, last + 1)]
    audit.record(
        session,
        actor,
        AuditEntry(
            "lease.issue",
            now,
            detail={"lease": lease_id, "first": numbers[0], "last": numbers[-1], "device": device},
        ),
    )
    return Lease(lease_id, year, first, count, numbers, now)


def list_leases(
    session: Session, centre_id: int, username: str | None, limit: int
) -> list[NumberLease]:
    query = (
        select(NumberLease)
        .where(NumberLease.centre_id == centre_id)
        .order_by(NumberLease.id.desc())
        .limit(limit)
    )
    if username is not None:
        query = query.where(NumberLease.username == username)
    return list(session.scalars(query))


def check_official_number(session: Session, actor: Principal, number: str) -> None:
    """Refuse a number this centre never leased (uniqueness is the database's job)."""
    parsed = parse_number(number)
    if parsed is None or parsed[0] != actor.centre_code:
        raise Invalid(
            f"办件编号 {number} 格式不对 / official number {number!r} is not of the form "
            f"{actor.centre_code}-YYYY-NNNNNN"
        )
    _, year, seq = parsed
    # The lease starting at or just before ``seq`` is the only one that can hold it.
    lease = session.execute(
        select(NumberLease.first_seq, NumberLease.count)
        .where(
            NumberLease.centre_id == actor.centre_id,
            NumberLease.year == year,
            NumberLease.first_seq <= seq,
        )
        .order_by(NumberLease.first_seq.desc())
        .limit(1)
    ).first()
    if lease is None or seq >= lease.first_seq + lease.count:
        raise Invalid(f"办件编号 {number} 未经租用 / official number {number} was never leased")


def _ensure_counter(session: Session, centre_id: int, year: int) -> None:
    dialect = session.get_bind().dialect.name
    module = postgresql if dialect == "postgresql" else sqlite
    session.execute(
        module.insert(NumberCounter)
        .values(centre_id=centre_id, year=year, last_seq=0)
        .on_conflict_do_nothing()
    )
