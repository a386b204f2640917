"""Case-like documents for the store's tests: realistic size and content (Chinese names,
resident ID numbers, mobile numbers), generic in shape as the store sees them."""

from __future__ import annotations

import random
import uuid
from typing import Any

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超霞平刚桂兰"
STREETS = ["南湖路", "中山东路", "禾兴北路", "秀洲大道", "文昌路", "凌公塘路"]
T0 = "2026-11-23T09:30:00+08:00"


def id_number(rng: random.Random) -> str:
    """A resident ID number with a valid check digit."""
    body = f"3304{rng.randint(1, 99):02d}{rng.randint(1950, 2005)}{rng.randint(1, 12):02d}"
    body += f"{rng.randint(1, 28):02d}{rng.randint(0, 999):03d}"
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    total = sum(int(d) * w for d, w in zip(body, weights, strict=True))
    return body + "10X98765432"[total % 11]


def citizen(rng: random.Random) -> dict[str, str]:
    name = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.randint(1, 2)))
    return {
        "name": name,
        "id_number": id_number(rng),
        "phone": f"1{rng.choice('3589')}{rng.randint(0, 9)}{rng.randint(10_000_000, 99_999_999)}",
    }


def case_doc(
    case_id: str,
    rng: random.Random,
    *,
    assignee: str = "officer1",
    state: str = "received",
    person: dict[str, str] | None = None,
) -> dict[str, Any]:
    person = person or citizen(rng)
    return {
        "schema": "counterdesk-case/1",
        "id": case_id,
        "centre": "JX-NANHU",
        "counter": f"窗口 {rng.randint(1, 12)}",
        "target": {"kind": "item", "code": "SCJG-001", "name": "个体工商户设立登记"},
        "applicant": {
            "type": "natural",
            "name": person["name"],
            "id_kind": "resident_id",
            "id_number": person["id_number"],
            "phone": person["phone"],
            "address": f"浙江省嘉兴市南湖区{rng.choice(STREETS)}{rng.randint(1, 999)}号",
        },
        "fields": {
            "business_name": f"嘉兴市{person['name']}便利店",
            "business_scope": "日用百货、预包装食品零售",
            "capital": rng.randint(1, 50) * 10_000,
            "employees": rng.randint(1, 9),
        },
        "received": {
            m: {"original": 1, "copies": rng.randint(0, 2)}
            for m in ("id_card", "lease_contract", "application_form")
        },
        "numbers": {"official": None, "provisional": None},
        "state": state,
        "assignee": assignee,
        "received_by": assignee,
        "received_at": T0,
        "version": 1,
        "timeline": [
            {"state_from": None, "state_to": "received", "by": assignee, "at": T0, "reason": ""}
        ],
        "notes": "申请人已现场核验身份证原件，材料齐全。" * rng.randint(1, 4),
    }


def operation(
    case_id: str,
    *,
    officer: str = "officer1",
    base_version: int = 0,
    kind: str = "create",
    payload: dict[str, Any] | None = None,
    key: str | None = None,
) -> dict[str, Any]:
    return {
        "idempotency_key": key or str(uuid.uuid4()),
        "kind": kind,
        "case_id": case_id,
        "officer": officer,
        "device_time": T0,
        "base_version": base_version,
        "payload": payload or {},
    }


def audit_entry(case_id: str, action: str = "case.save", actor: str = "officer1") -> dict[str, Any]:
    return {"actor": actor, "action": action, "case_id": case_id}
