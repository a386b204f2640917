"""Building cases for tests: a realistic applicant, created through the real operation."""

from __future__ import annotations

import datetime as dt
from typing import Any

from counterdesk.domain.cases import Case, OperationKind, Role, apply_operation, new_operation
from counterdesk.domain.clock import CHINA_TZ

T0 = dt.datetime(2026, 11, 23, 9, 30, tzinfo=CHINA_TZ)


def case_document(case_id: str = "case-1", **overrides: Any) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "id": case_id,
        "centre": "JX-NANHU",
        "counter": "窗口 3",
        "target": {"kind": "item", "code": "SCJG-001", "name": "个体工商户设立登记"},
        "applicant": {
            "type": "natural",
            "name": "王小明",
            "id_kind": "resident_id",
            "id_number": "330402199001011237",
            "phone": "13812345678",
        },
        "received_by": "officer1",
        "assignee": "officer1",
        "received_at": T0.isoformat(),
    }
    doc.update(overrides)
    return doc


def created(case_id: str = "case-1", **overrides: Any) -> Case:
    op = new_operation(
        OperationKind.CREATE, case_id, "officer1", T0, 0, case_document(case_id, **overrides)
    )
    return apply_operation(None, op, Role.OFFICER)


def moved(
    case: Case, to: str, at: dt.datetime = T0, role: Role = Role.OFFICER, **payload: Any
) -> Case:
    op = new_operation(
        OperationKind.TRANSITION, case.id, "officer1", at, case.version, {"to": to, **payload}
    )
    return apply_operation(case, op, role)
