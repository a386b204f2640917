"""The commands behind ``counterdesk-server``; each uses the same services as the API."""

from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path

from sqlalchemy import select

from counterdesk.domain.cases import Role
from counterdesk.domain.clock import CHINA_TZ, SystemClock
from counterdesk_server import demo_seed as seeding
from counterdesk_server.context import ServerContext
from counterdesk_server.db import migrate
from counterdesk_server.db.models import CaseRecord, Centre
from counterdesk_server.services import audit, case_ops, catalogues, centres, users
from counterdesk_server.services.audit import AuditEntry
from counterdesk_server.services.errors import Invalid, NotFound
from counterdesk_server.services.roles import Principal, parse_user_role
from counterdesk_server.settings import ServerSettings, load_settings


def settings_from(args: argparse.Namespace) -> ServerSettings:
    overrides: dict[str, object] = {}
    if args.database_url:
        overrides["database_url"] = args.database_url
    if args.data_dir:
        overrides["data_dir"] = args.data_dir
    return load_settings(None, **overrides)


def context(args: argparse.Namespace, *, needs_schema: bool = True) -> ServerContext:
    ctx = ServerContext.build(settings_from(args), SystemClock(CHINA_TZ))
    if needs_schema and not migrate.is_current(ctx.db.engine):
        ctx.close()
        raise NotFound("the database is not set up for this version: run `counterdesk-server init`")
    return ctx


def init(args: argparse.Namespace) -> int:
    ctx = context(args, needs_schema=False)
    try:
        before = migrate.current_revision(ctx.db.engine)
        migrate.upgrade(ctx.db.engine)
        after = migrate.current_revision(ctx.db.engine)
    finally:
        ctx.close()
    where = ctx.db.engine.url.render_as_string(hide_password=True)
    if before == after:
        print(f"database {where} is up to date (revision {after})")
    else:
        print(f"database {where} migrated from {before or 'empty'} to revision {after}")
    return 0


def centre_add(args: argparse.Namespace) -> int:
    ctx = context(args)
    try:
        with ctx.db.writing() as session:
            centre = centres.add_centre(session, args.code, args.name, ctx.clock.now())
            print(f"centre {centre.code} {centre.name} added")
    finally:
        ctx.close()
    return 0


def centre_list(args: argparse.Namespace) -> int:
    ctx = context(args)
    try:
        with ctx.db.reading() as session:
            for centre in centres.list_centres(session):
                print(f"{centre.code}\t{centre.name}")
    finally:
        ctx.close()
    return 0


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        line = sys.stdin.readline()
        return line.rstrip("\r\n")
    if not sys.stdin.isatty():
        raise Invalid("no terminal to ask for a password: use --password-stdin")
    first = getpass.getpass("password: ")
    if getpass.getpass("again: ") != first:
        raise Invalid("the two passwords differ")
    return first


def user_add(args: argparse.Namespace) -> int:
    try:
        role = parse_user_role(args.role)
    except ValueError as exc:
        raise Invalid(str(exc)) from exc
    password = _read_password(args.password_stdin)
    ctx = context(args)
    try:
        now = ctx.clock.now()
        with ctx.db.writing() as session:
            centre = centres.centre_by_code(session, args.centre)
            user = users.add_user(
                session, ctx.passwords, centre.id, args.username, role, password, now, args.name
            )
            audit.record(
                session,
                _operator(centre),
                AuditEntry("user.add", now, detail={"username": user.username, "role": user.role}),
            )
            print(f"user {user.username} ({user.role}) added to {centre.code}")
    finally:
        ctx.close()
    return 0


def user_list(args: argparse.Namespace) -> int:
    ctx = context(args)
    try:
        with ctx.db.reading() as session:
            chosen = (
                [centres.centre_by_code(session, args.centre)]
                if args.centre
                else centres.list_centres(session)
            )
            for centre in chosen:
                for user in users.list_users(session, centre.id):
                    state = "active" if user.active else "disabled"
                    print(
                        f"{centre.code}\t{user.username}\t{user.role}\t{state}\t{user.display_name}"
                    )
    finally:
        ctx.close()
    return 0


def user_disable(args: argparse.Namespace) -> int:
    return _set_active(args, False)


def user_enable(args: argparse.Namespace) -> int:
    return _set_active(args, True)


def _set_active(args: argparse.Namespace, active: bool) -> int:
    ctx = context(args)
    try:
        now = ctx.clock.now()
        with ctx.db.writing() as session:
            centre = centres.centre_by_code(session, args.centre)
            user = users.user_by_name(session, centre.id, args.username)
            users.change_user(session, ctx.passwords, user, now, active=active)
            audit.record(
                session,
                _operator(centre),
                AuditEntry(
                    "user.change", now, detail={"username": user.username, "active": active}
                ),
            )
        print(f"user {args.username} of {args.centre} {'enabled' if active else 'disabled'}")
    finally:
        ctx.close()
    return 0


def catalogue_publish(args: argparse.Namespace) -> int:
    path = Path(args.path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise Invalid(f"cannot read {path}: {exc.strerror}") from exc
    catalogue = catalogues.check_catalogue(data, str(path))  # every problem, before any write
    ctx = context(args)
    try:
        now = ctx.clock.now()
        with ctx.db.writing() as session:
            chosen = (
                [centres.centre_by_code(session, code) for code in args.centre]
                if args.centre
                else centres.list_centres(session)
            )
            if not chosen:
                raise NotFound("no centre to publish to: add one with `centre add`")
            for centre in chosen:
                row = catalogues.publish(session, centre.id, data, "operator", now, str(path))
                audit.record(
                    session,
                    _operator(centre),
                    AuditEntry(
                        "catalogue.publish",
                        now,
                        detail={"version": row.version, "digest": row.digest},
                    ),
                )
        names = ", ".join(c.code for c in chosen)
        print(f"catalogue {catalogue.version} ({catalogue.summary()}) published to {names}")
    finally:
        ctx.close()
    return 0


def decide(args: argparse.Namespace) -> int:
    ctx = context(args)
    try:
        with ctx.db.reading() as session:
            query = (
                select(CaseRecord, Centre)
                .join(Centre, Centre.id == CaseRecord.centre_id)
                .where(
                    (CaseRecord.case_id == args.case) | (CaseRecord.official_number == args.case),
                    CaseRecord.training.is_(False),
                )
            )
            if args.centre:
                query = query.where(Centre.code == args.centre)
            found = session.execute(query).all()
        if not found:
            raise NotFound(f"no live case {args.case}")
        if len(found) > 1:
            raise Invalid(f"{args.case} names cases in several centres: add --centre")
        record, centre = found[0]
        department = Principal(None, centre.id, centre.code, args.by, Role.DEPARTMENT)
        op = case_ops.decision_operation(
            record.case_id, args.by, ctx.clock.now(), record.version, args.approve, args.reason
        )
        outcome = case_ops.apply_one(ctx, department, op)
        case = outcome.case or {}
        print(
            f"case {record.case_id} ({centre.code}) is now {case.get('state')}, version {case.get('version')}"
        )
    finally:
        ctx.close()
    return 0


def demo_seed(args: argparse.Namespace) -> int:
    ctx = context(args)
    try:
        report = seeding.seed(ctx, args.centre, args.name, args.password, args.catalogue)
    finally:
        ctx.close()
    for line in report:
        print(line)
    return 0


def _operator(centre: Centre) -> Principal:
    """The server's operator at the shell, as the audit trail names them."""
    return Principal(None, centre.id, centre.code, "operator", Role.ADMIN)
