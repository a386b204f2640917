"""Centres: the tenants. Created by the server's operator (CLI), read by everyone."""

from __future__ import annotations

import datetime as dt
import re

from sqlalchemy import select
from sqlalchemy.orm import Session

from counterdesk_server.db.models import Centre, FeedCounter
from counterdesk_server.services.errors import Conflict, Invalid, NotFound

CENTRE_CODE = re.compile(r"[A-Z0-9][A-Z0-9-]{0,31}")


def add_centre(session: Session, code: str, name: str, now: dt.datetime) -> Centre:
    if not CENTRE_CODE.fullmatch(code):
        raise Invalid(
            f"centre code {code!r} must be 1-32 capital letters, digits or dashes, "
            "starting with a letter or digit (it is printed in case numbers)"
        )
    if not name.strip():
        raise Invalid("a centre needs a name")
    if session.scalar(select(Centre.id).where(Centre.code == code)) is not None:
        raise Conflict(f"centre {code} already exists")
    centre = Centre(code=code, name=name.strip(), created_at=now)
    session.add(centre)
    session.flush()
    session.add(FeedCounter(centre_id=centre.id, last_seq=0))
    session.flush()
    return centre


def centre_by_code(session: Session, code: str) -> Centre:
    centre = session.scalar(select(Centre).where(Centre.code == code))
    if centre is None:
        raise NotFound(f"no centre {code}")
    return centre


def list_centres(session: Session) -> list[Centre]:
    return list(session.scalars(select(Centre).order_by(Centre.code)))
