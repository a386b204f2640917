"""``counterdesk-server demo-seed``: a centre worth looking at, made through the real paths.

Adds (when missing) a demo centre, its officers, a supervisor, a trainee and an admin, the
catalogue (the bundled one unless a file is named), and a few cases taken through the
shared operations: one just received, one accepted with its time limits fixed by the
server, one reassigned by the supervisor. Running it again adds nothing twice.
"""

from __future__ import annotations

import datetime as dt
import uuid
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from counterdesk.domain.cases import Operation, OperationKind, Role
from counterdesk.domain.catalogue import Catalogue, bundled_catalogue_path
from counterdesk.domain.checklist import evaluate
from counterdesk_server.context import ServerContext
from counterdesk_server.db.models import CaseRecord, Centre, User
from counterdesk_server.services import case_ops, catalogues, centres, numbers, users
from counterdesk_server.services.roles import Principal

DEMO_USERS = [
    ("officer1", Role.OFFICER, "王晓燕"),
    ("officer2", Role.OFFICER, "李建国"),
    ("supervisor1", Role.SUPERVISOR, "陈主任"),
    ("trainee1", Role.TRAINEE, "新人小张"),
    ("admin1", Role.ADMIN, "系统管理员"),
]
APPLICANTS = [
    {
        "type": "natural",
        "name": "张伟",
        "id_kind": "resident_id",
        "id_number": "330402199001011237",
        "phone": "13812345678",
    },
    {
        "type": "natural",
        "name": "刘芳",
        "id_kind": "resident_id",
        "id_number": "11010519491231002X",
        "phone": "13998765432",
    },
    {
        "type": "legal",
        "name": "嘉兴欢唱娱乐有限公司",
        "id_kind": "uscc",
        "id_number": "91330402MA2B3C4D5E",
        "contact_name": "王小明",
        "phone": "057382345678",
    },
]


def seed(
    ctx: ServerContext, code: str, name: str, password: str, catalogue_path: str | None
) -> list[str]:
    report: list[str] = []
    now = ctx.clock.now()
    with ctx.db.writing() as session:
        centre = session.scalar(select(Centre).where(Centre.code == code))
        if centre is None:
            centre = centres.add_centre(session, code, name, now)
            report.append(f"centre {code} {name} added")
        for username, role, display in DEMO_USERS:
            exists = session.scalar(
                select(User.id).where(User.centre_id == centre.id, User.username == username)
            )
            if exists is None:
                users.add_user(
                    session, ctx.passwords, centre.id, username, role, password, now, display
                )
                report.append(f"user {username} ({role.value}) added, password {password!r}")
        centre_id, centre_code = centre.id, centre.code
    catalogue = _publish(ctx, centre_id, catalogue_path, report)
    with ctx.db.reading() as session:
        cases = session.scalar(
            select(func.count()).select_from(CaseRecord).where(CaseRecord.centre_id == centre_id)
        )
    if not cases:
        _demo_cases(ctx, centre_id, centre_code, catalogue, report)
    report.append(f"sign in to centre {code} as officer1 / supervisor1 / trainee1 / admin1")
    return report


def _publish(
    ctx: ServerContext, centre_id: int, path: str | None, report: list[str]
) -> Catalogue | None:
    source = Path(path) if path else bundled_catalogue_path()
    if not source.exists():
        report.append(f"no catalogue at {source}: none published")
        return None
    data = source.read_bytes()
    with ctx.db.writing() as session:
        head = catalogues.current_digest(session, centre_id)
        parsed = catalogues.check_catalogue(data, str(source))
        if head is None or head[0] != parsed.digest:
            catalogues.publish(session, centre_id, data, "demo-seed", ctx.clock.now(), str(source))
            report.append(f"catalogue {parsed.version} published ({parsed.summary()})")
    return parsed


def _demo_cases(
    ctx: ServerContext,
    centre_id: int,
    centre_code: str,
    catalogue: Catalogue | None,
    report: list[str],
) -> None:
    officer = Principal(None, centre_id, centre_code, "officer1", Role.OFFICER)
    supervisor = Principal(None, centre_id, centre_code, "supervisor1", Role.SUPERVISOR)
    now = ctx.clock.now()
    target, received = _target_and_materials(catalogue, now.date())
    ids = [str(uuid.uuid4()) for _ in APPLICANTS]
    # Official numbers leased to officer1, as a counter's sync would have them.
    with ctx.db.writing() as session:
        officer_id = session.scalar(
            select(User.id).where(User.centre_id == centre_id, User.username == "officer1")
        )
        lessee = Principal(officer_id, centre_id, centre_code, "officer1", Role.OFFICER)
        leased = numbers.lease_numbers(session, lessee, len(ids), "demo-seed", now).numbers
    creates = [
        _op(
            OperationKind.CREATE,
            case_id,
            "officer1",
            now,
            0,
            _document(case_id, applicant, target, received, now) | {"numbers": {"official": n}},
        )
        for case_id, applicant, n in zip(ids, APPLICANTS, leased, strict=True)
    ]
    accept = _op(OperationKind.TRANSITION, ids[1], "officer1", now, 1, {"to": "accepted"})
    outcomes = case_ops.apply_operations(ctx, officer, [*creates, accept], training=False)
    reassign = _op(
        OperationKind.ASSIGN,
        ids[2],
        "supervisor1",
        now,
        1,
        {"assignee": "officer2", "reason": "王晓燕 午休，李建国 接办"},
    )
    outcomes += case_ops.apply_operations(ctx, supervisor, [reassign], training=False)
    for outcome in outcomes:
        state = (outcome.case or {}).get("state", outcome.error)
        report.append(f"case {outcome.case_id}: {outcome.status} {state}")


def _target_and_materials(
    catalogue: Catalogue | None, today: dt.date
) -> tuple[dict[str, Any], dict[str, Any]]:
    if catalogue is None or not catalogue.items:
        return {"kind": "item", "code": "DEMO-001", "name": "示范事项"}, {}
    # The accepted demo case is a natural person's: pick an item that serves them.
    natural = [i for i in catalogue.items.values() if "natural" in i.applicant_types]
    if not natural:
        return {"kind": "item", "code": "DEMO-001", "name": "示范事项"}, {}
    item = natural[0]
    facts: dict[str, Any] = {"applicant_type": "natural"}
    for form_field in item.fields:
        if form_field.type == "choice":
            facts[form_field.key] = form_field.choices[0]
    check = evaluate(catalogue, item.code, facts, {}, True, today)
    received = {
        line.material: {"original": line.original, "copies": line.copies}
        for line in check.checklist
        if line.status == "missing"
    }
    target = {"kind": "item", "code": item.code, "name": item.name, "name_en": item.name_en}
    return target | {"facts": facts}, received


def _document(
    case_id: str,
    applicant: dict[str, Any],
    target: dict[str, Any],
    received: dict[str, Any],
    now: dt.datetime,
) -> dict[str, Any]:
    target = dict(target)
    facts = target.pop("facts", {})
    fields = {k: v for k, v in facts.items() if k not in ("applicant_type", "agent")}
    return {
        "id": case_id,
        "counter": "窗口 1",
        "target": target,
        "applicant": applicant,
        "fields": fields,
        "received": received,
        "received_at": now.isoformat(),
    }


def _op(
    kind: OperationKind,
    case_id: str,
    officer: str,
    at: dt.datetime,
    base_version: int,
    payload: dict[str, Any],
) -> Operation:
    return Operation(
        idempotency_key=str(uuid.uuid4()),
        kind=kind,
        case_id=case_id,
        officer=officer,
        device_time=at,
        base_version=base_version,
        payload=payload,
    )
