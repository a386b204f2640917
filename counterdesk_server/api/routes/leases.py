"""Leases of official case numbers: blocks a counter takes while online to number the
receipts it prints offline."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, status

from counterdesk.domain.cases import Role
from counterdesk_server.api.access import LiveReader, LiveWriter
from counterdesk_server.api.deps import Ctx
from counterdesk_server.schemas.common import AUTHED, WITH_BODY, errors
from counterdesk_server.schemas.leases import LeaseIn, LeaseListOut, LeaseOut, LeaseRecordOut
from counterdesk_server.services import numbers

router = APIRouter(prefix="/leases", tags=["leases"])


@router.post(
    "", response_model=LeaseOut, status_code=status.HTTP_201_CREATED, responses=errors(*WITH_BODY)
)
def take_lease(body: LeaseIn, ctx: Ctx, principal: LiveWriter) -> LeaseOut:
    """A block of ``count`` consecutive numbers, never given to anyone else."""
    with ctx.db.writing() as session:
        lease = numbers.lease_numbers(session, principal, body.count, body.device, ctx.clock.now())
    return LeaseOut(
        id=lease.id,
        year=lease.year,
        first=lease.numbers[0],
        last=lease.numbers[-1],
        count=lease.count,
        numbers=lease.numbers,
        issued_at=lease.issued_at,
    )


@router.get("", response_model=LeaseListOut, responses=errors(*AUTHED))
def list_leases(
    ctx: Ctx, principal: LiveReader, limit: Annotated[int, Query(ge=1, le=500)] = 100
) -> LeaseListOut:
    """Recent leases: an officer sees their own, supervisors and admins everyone's."""
    only = principal.username if principal.role is Role.OFFICER else None
    with ctx.db.reading() as session:
        rows = numbers.list_leases(session, principal.centre_id, only, limit)
    fmt = numbers.format_number
    return LeaseListOut(
        leases=[
            LeaseRecordOut(
                id=r.id,
                username=r.username,
                device=r.device,
                year=r.year,
                first=fmt(principal.centre_code, r.year, r.first_seq),
                last=fmt(principal.centre_code, r.year, r.first_seq + r.count - 1),
                count=r.count,
                issued_at=r.issued_at,
            )
            for r in rows
        ]
    )
