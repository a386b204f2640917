"""The caller's centre and its people ("officers": every user, whatever the role)."""

from __future__ import annotations

from fastapi import APIRouter, status

from counterdesk.domain.cases import Role
from counterdesk_server.api.access import Admin, AnyUser, LiveReader
from counterdesk_server.api.deps import Ctx
from counterdesk_server.db.models import Centre, User
from counterdesk_server.schemas.common import WITH_BODY, errors
from counterdesk_server.schemas.officers import (
    CentreOut,
    OfficerIn,
    OfficerListOut,
    OfficerOut,
    OfficerPatch,
)
from counterdesk_server.services import audit, users
from counterdesk_server.services.audit import AuditEntry

router = APIRouter(tags=["centre"])


def _out(user: User) -> OfficerOut:
    return OfficerOut(
        username=user.username,
        display_name=user.display_name,
        role=user.role,  # type: ignore[arg-type]
        active=user.active,
    )


@router.get("/centre", response_model=CentreOut, responses=errors(401, 403))
def my_centre(ctx: Ctx, principal: AnyUser) -> CentreOut:
    with ctx.db.reading() as session:
        centre = session.get_one(Centre, principal.centre_id)
        return CentreOut(code=centre.code, name=centre.name)


@router.get("/officers", response_model=OfficerListOut, responses=errors(401, 403))
def list_officers(ctx: Ctx, principal: LiveReader) -> OfficerListOut:
    """Everyone in the caller's centre (for assignment lists and the board)."""
    with ctx.db.reading() as session:
        return OfficerListOut(
            officers=[_out(u) for u in users.list_users(session, principal.centre_id)]
        )


@router.post(
    "/officers",
    response_model=OfficerOut,
    status_code=status.HTTP_201_CREATED,
    responses=errors(*WITH_BODY, 409),
)
def add_officer(body: OfficerIn, ctx: Ctx, principal: Admin) -> OfficerOut:
    now = ctx.clock.now()
    with ctx.db.writing() as session:
        user = users.add_user(
            session,
            ctx.passwords,
            principal.centre_id,
            body.username,
            Role(body.role),
            body.password,
            now,
            body.display_name,
        )
        audit.record(
            session,
            principal,
            AuditEntry("user.add", now, detail={"username": user.username, "role": user.role}),
        )
        return _out(user)


@router.patch("/officers/{username}", response_model=OfficerOut, responses=errors(*WITH_BODY, 404))
def change_officer(username: str, body: OfficerPatch, ctx: Ctx, principal: Admin) -> OfficerOut:
    """Disable or re-enable a user, change their role, reset their password. Disabling or
    a new role stops the user's tokens at once."""
    now = ctx.clock.now()
    with ctx.db.writing() as session:
        user = users.user_by_name(session, principal.centre_id, username)
        users.change_user(
            session,
            ctx.passwords,
            user,
            now,
            active=body.active,
            role=Role(body.role) if body.role else None,
            password=body.password,
            display_name=body.display_name,
        )
        changed = body.model_dump(exclude_none=True, exclude={"password"})
        if body.password is not None:
            changed["password"] = "reset"
        audit.record(
            session,
            principal,
            AuditEntry("user.change", now, detail={"username": username, **changed}),
        )
        return _out(user)
