"""The tables: SQLAlchemy models, kept apart from the API's Pydantic schemas.

Every row that holds a centre's data carries ``centre_id``: centres are tenants sharing one
database, and every query the server makes filters on the caller's centre. Case documents
are stored whole as JSON text (``Case.to_json()``), so the feed can send them as stored;
the columns beside them (state, assignee, version...) exist to be filtered and locked on.
The migrations in ``counterdesk_server/migrations`` create exactly these tables (a test
compares them).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    BigInteger,
    Boolean,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from counterdesk_server.db.types import BigId, UtcDateTime

NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class Centre(Base):
    """A service centre: the tenant every user and case belongs to."""

    __tablename__ = "centres"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)


class User(Base):
    __tablename__ = "users"
    __table_args__ = (UniqueConstraint("centre_id", "username"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    centre_id: Mapped[int] = mapped_column(ForeignKey("centres.id"), index=True)
    username: Mapped[str] = mapped_column(String(64))
    display_name: Mapped[str] = mapped_column(String(200), default="")
    role: Mapped[str] = mapped_column(String(16))
    password_hash: Mapped[str] = mapped_column(String(256))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # Bumped when a user is disabled or changes role: older access tokens stop at once.
    token_generation: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    updated_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)


class RefreshToken(Base):
    """One refresh token of a sign-in ("family"); only its SHA-256 is stored."""

    __tablename__ = "refresh_tokens"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    family_id: Mapped[str] = mapped_column(String(36), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    issued_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    expires_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    # The sign-in's hard end: rotation never extends a family past it.
    session_expires_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    used_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime, nullable=True)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime, nullable=True)


class PublishedCatalogue(Base):
    """Every catalogue a centre published; the newest is the current one."""

    __tablename__ = "catalogues"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    centre_id: Mapped[int] = mapped_column(ForeignKey("centres.id"), index=True)
    version: Mapped[str] = mapped_column(String(200))
    digest: Mapped[str] = mapped_column(String(64))
    content: Mapped[bytes] = mapped_column(LargeBinary)
    published_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    published_by: Mapped[str] = mapped_column(String(64))


class FeedCounter(Base):
    """The centre's change-feed position; its row lock orders the feed (docs/server.md)."""

    __tablename__ = "feed_counters"

    centre_id: Mapped[int] = mapped_column(ForeignKey("centres.id"), primary_key=True)
    last_seq: Mapped[int] = mapped_column(BigInteger, default=0)


class CaseRecord(Base):
    __tablename__ = "cases"
    __table_args__ = (
        UniqueConstraint("centre_id", "case_id"),
        UniqueConstraint("centre_id", "official_number"),
        Index(None, "centre_id", "training", "feed_seq"),
        Index(None, "centre_id", "training", "state"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    centre_id: Mapped[int] = mapped_column(ForeignKey("centres.id"))
    case_id: Mapped[str] = mapped_column(String(64))
    training: Mapped[bool] = mapped_column(Boolean)
    state: Mapped[str] = mapped_column(String(32))
    assignee: Mapped[str] = mapped_column(String(64))
    received_by: Mapped[str] = mapped_column(String(64))
    official_number: Mapped[str | None] = mapped_column(String(64), nullable=True)
    version: Mapped[int] = mapped_column(Integer)
    # The feed position of the case's latest change: the feed lists each case once.
    feed_seq: Mapped[int] = mapped_column(BigInteger)
    document: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    updated_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)


class OperationRecord(Base):
    """An applied operation under its idempotency key, with the answer first given."""

    __tablename__ = "operations"
    __table_args__ = (UniqueConstraint("centre_id", "idempotency_key"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    centre_id: Mapped[int] = mapped_column(ForeignKey("centres.id"))
    idempotency_key: Mapped[str] = mapped_column(String(128))
    user_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    case_id: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(32))
    fingerprint: Mapped[str] = mapped_column(String(64))
    status_code: Mapped[int] = mapped_column(Integer)
    response: Mapped[str | None] = mapped_column(Text, nullable=True)
    received_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)


class NumberCounter(Base):
    """The last official case number handed out, per centre and year."""

    __tablename__ = "number_counters"

    centre_id: Mapped[int] = mapped_column(ForeignKey("centres.id"), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    last_seq: Mapped[int] = mapped_column(BigInteger, default=0)


class NumberLease(Base):
    __tablename__ = "number_leases"
    __table_args__ = (Index(None, "centre_id", "year", "first_seq"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    centre_id: Mapped[int] = mapped_column(ForeignKey("centres.id"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    username: Mapped[str] = mapped_column(String(64))
    device: Mapped[str] = mapped_column(String(200), default="")
    year: Mapped[int] = mapped_column(Integer)
    first_seq: Mapped[int] = mapped_column(BigInteger)
    count: Mapped[int] = mapped_column(Integer)
    issued_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)


class AuditEvent(Base):
    """One line of the append-only audit trail (triggers refuse updates and deletes)."""

    __tablename__ = "audit_events"
    __table_args__ = (
        Index(None, "centre_id", "id"),
        Index(None, "centre_id", "case_id"),
        Index(None, "centre_id", "action", "device_time"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    centre_id: Mapped[int] = mapped_column(ForeignKey("centres.id"))
    actor: Mapped[str] = mapped_column(String(64))
    actor_role: Mapped[str] = mapped_column(String(16))
    action: Mapped[str] = mapped_column(String(40))
    case_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    training: Mapped[bool] = mapped_column(Boolean, default=False)
    state_to: Mapped[str | None] = mapped_column(String(32), nullable=True)
    device_time: Mapped[dt.datetime | None] = mapped_column(UtcDateTime, nullable=True)
    server_time: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    before: Mapped[str | None] = mapped_column(Text, nullable=True)
    after: Mapped[str | None] = mapped_column(Text, nullable=True)
    detail: Mapped[str | None] = mapped_column(Text, nullable=True)


class Attachment(Base):
    __tablename__ = "attachments"
    __table_args__ = (Index(None, "centre_id", "case_id"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    centre_id: Mapped[int] = mapped_column(ForeignKey("centres.id"))
    case_id: Mapped[str] = mapped_column(String(64))
    material: Mapped[str] = mapped_column(String(64))
    content_type: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(BigInteger)
    sha256: Mapped[str] = mapped_column(String(64))
    pages: Mapped[int] = mapped_column(Integer)
    received: Mapped[int] = mapped_column(BigInteger, default=0)
    complete: Mapped[bool] = mapped_column(Boolean, default=False)
    created_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    completed_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime, nullable=True)


class AttachmentChunk(Base):
    """Uploaded bytes live in the database so that any server behind the balancer has them."""

    __tablename__ = "attachment_chunks"

    attachment_id: Mapped[str] = mapped_column(
        ForeignKey("attachments.id", ondelete="CASCADE"), primary_key=True
    )
    offset: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    data: Mapped[bytes] = mapped_column(LargeBinary)


class TrainingResult(Base):
    __tablename__ = "training_results"
    __table_args__ = (
        UniqueConstraint("centre_id", "idempotency_key"),
        Index(None, "centre_id", "user_id"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    centre_id: Mapped[int] = mapped_column(ForeignKey("centres.id"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    username: Mapped[str] = mapped_column(String(64))
    idempotency_key: Mapped[str] = mapped_column(String(128))
    exercise: Mapped[str] = mapped_column(String(200))
    score: Mapped[float] = mapped_column(Float)
    max_score: Mapped[float] = mapped_column(Float)
    passed: Mapped[bool] = mapped_column(Boolean)
    details: Mapped[str] = mapped_column(Text)
    device_time: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    server_time: Mapped[dt.datetime] = mapped_column(UtcDateTime)
