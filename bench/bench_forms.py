"""Figures of the papers issue: how fast the counter makes its papers.

- receipt_ms: a warm build of a one-page acceptance receipt (QR code, embedded CJK font
  subset) on the bundled catalogue; median of 30 builds, each for a different case
  (number, applicant, item), so no cache can serve one. Goal: <= 60 ms.
- forms_all_items_s: one application form for every item of the bundled catalogue, in
  one pass, warm. Goal: <= 10 s.
- paper_font: the font the papers were set in, and whether it is embedded.
"""

from __future__ import annotations

import datetime as dt
import io
import statistics
import time
from typing import Any

RECEIPT_BUILDS = 30


def run() -> dict[str, object]:
    from pypdf import PdfReader

    from counterdesk.domain.catalogue import bundled_catalogue_path, load_catalogue
    from counterdesk.forms.build import build_pdf, font_in_use
    from counterdesk.forms.paper import PaperSettings

    catalogue = load_catalogue(bundled_catalogue_path())
    settings = PaperSettings(centre_name="嘉兴市南湖区行政服务中心")
    codes = sorted(catalogue.items)
    cases = [_accepted_case(catalogue, codes[n % len(codes)], n) for n in range(RECEIPT_BUILDS + 1)]

    build_pdf("receipt", cases[-1], catalogue, settings)  # warm: font found and registered
    times = []
    for case in cases[:RECEIPT_BUILDS]:
        started = time.perf_counter()
        pdf = build_pdf("receipt", case, catalogue, settings)
        times.append((time.perf_counter() - started) * 1000)
        pages = len(PdfReader(io.BytesIO(pdf)).pages)
        if pages != 1:
            raise AssertionError(f"the receipt for {case.target.code} has {pages} pages, not 1")

    forms = [_received_case(catalogue, code, n) for n, code in enumerate(codes)]
    started = time.perf_counter()
    for case in forms:
        build_pdf("form", case, catalogue, settings)
    all_forms = time.perf_counter() - started

    return {
        "receipt_ms": round(statistics.median(times), 1),
        "receipt_ms_stat": f"median of {RECEIPT_BUILDS} warm builds, a different case each",
        "forms_all_items_s": round(all_forms, 2),
        "forms_all_items_count": len(forms),
        "paper_font": font_in_use(settings).describe(),
    }


def _received_case(catalogue: Any, code: str, n: int) -> Any:
    from counterdesk.domain.cases import Case
    from counterdesk.domain.checklist import evaluate
    from counterdesk.domain.clock import CHINA_TZ

    item = catalogue.items[code]
    natural = item.applicant_types[0] == "natural"
    received_at = dt.datetime(2026, 11, 23, 9, 0, tzinfo=CHINA_TZ) + dt.timedelta(minutes=n)
    facts = {"applicant_type": item.applicant_types[0]}
    check = evaluate(catalogue, code, facts, {}, True, received_at.date())
    received = {
        line.material: {"original": line.original, "copies": line.copies}
        for line in check.checklist
        if line.status != "by_sharing"
    }
    fields = {f.key: f.choices[0] if f.type == "choice" else _SAMPLE[f.type] for f in item.fields}
    return Case.model_validate(
        {
            "id": f"bench-{n}",
            "centre": "JX-NANHU",
            "counter": f"窗口 {n % 20 + 1}",
            "target": {"kind": "item", "code": code, "name": item.name, "name_en": item.name_en},
            "applicant": {
                "type": item.applicant_types[0],
                "name": f"申请人{n:03d}" if natural else f"嘉兴市第{n}号有限公司",
                "id_kind": "resident_id" if natural else "uscc",
                "id_number": "330402199001011237" if natural else "91330402MA2B3C4D5E",
                "phone": f"138{n:08d}",
            },
            "fields": fields,
            "received": received,
            "check": check.to_json(),
            "numbers": {"official": f"JX2026-{n:06d}"},
            "received_by": "officer1",
            "received_at": received_at.isoformat(),
        }
    )


def _accepted_case(catalogue: Any, code: str, n: int) -> Any:
    from counterdesk.domain.cases import Case

    case = _received_case(catalogue, code, n)
    item = catalogue.items[code]
    check = case.check or {}
    decided = case.received_at + dt.timedelta(minutes=10)
    return Case.model_validate(
        {
            **case.to_json(),
            "decision": {
                "outcome": "accept",
                "decided_at": decided.isoformat(),
                "decided_by": "officer1",
            },
            "limits": {
                "accepted_on": decided.date().isoformat(),
                "promised_days": item.promised_days,
                "legal_days": item.legal_days,
                "promised_by": check["promised_by"],
                "legal_by": check["legal_by"],
                "calendar_provisional": check["calendar_provisional"],
                "fee": float(item.fee),
            },
            "state": "accepted",
        }
    )


_SAMPLE: dict[str, Any] = {
    "text": "示例",
    "date": "2026-12-01",
    "number": 3,
    "bool": True,
    "id_number": "330402199001011237",
    "uscc": "91330402MA2B3C4D5E",
    "phone": "13812345678",
}
