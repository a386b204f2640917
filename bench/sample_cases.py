"""Varied, realistic case documents for the benches (never the same case twice)."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英"
TARGETS = [
    ("SCJG-001", "个体工商户设立登记"),
    ("WGLJ-001", "娱乐场所经营许可"),
    ("GJJ-003", "住房公积金提取"),
    ("HJ-012", "出生登记"),
]
MATERIALS = ["id_card", "lease", "application_form", "business_licence"]


def case_document(rng: random.Random, case_id: str, now: dt.datetime) -> dict[str, Any]:
    """A received case as an intake writes it: applicant, item, counter, papers, minute."""
    code, name = rng.choice(TARGETS)
    return {
        "id": case_id,
        "counter": f"窗口 {rng.randint(1, 20)}",
        "target": {"kind": "item", "code": code, "name": name},
        "applicant": {
            "type": "natural",
            "name": rng.choice(SURNAMES) + "".join(rng.choices(GIVEN, k=rng.randint(1, 2))),
            "id_kind": "resident_id",
            "id_number": f"3304{rng.randint(10, 99)}19{rng.randint(50, 99)}0{rng.randint(1, 9)}1"
            f"{rng.randint(0, 2)}{rng.randint(1, 8)}{rng.randint(100, 999)}{rng.randint(0, 9)}",
            "phone": f"13{rng.randint(100000000, 999999999)}",
            "address": f"浙江省嘉兴市南湖区中山东路{rng.randint(1, 999)}号",
        },
        "fields": {"premises": rng.choice(["owned", "rented"]), "staff": rng.randint(1, 30)},
        "received": {
            m: {"original": 1, "copies": rng.randint(0, 2)} for m in rng.sample(MATERIALS, 2)
        },
        "received_at": (now - dt.timedelta(minutes=rng.randint(0, 600))).isoformat(),
    }
