"""The daily centre report written to files: a PDF paper (forms/centre_report.py) and a
CSV for spreadsheets, in the export folder (``export_dir``, else ``exports`` in the data
folder). A report counts cases per officer and department: no applicant's data is in it,
so the files need no encryption. Blocking (reportlab, disk): call from a worker.
"""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from counterdesk.settings import Settings

CSV_COLUMNS = (
    "section",
    "code",
    "name",
    "received",
    "accepted",
    "notices",
    "refused",
    "completed",
    "open",
    "due_soon",
    "overdue",
)


def export_folder(settings: Settings, data_dir: Path) -> Path:
    folder = Path(settings.export_dir).expanduser() if settings.export_dir else data_dir / "exports"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def report_csv(report: Mapping[str, Any]) -> str:
    """One line per officer, per department and the total, with the day's figures and the
    open cases at the time the report was made. Excel opens it as UTF-8 (BOM added when
    written)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(("day", report["day"], "centre", report.get("centre_code", "")))
    writer.writerow(CSV_COLUMNS)
    sections = (
        ("officer", report.get("officers") or []),
        ("department", report.get("departments") or []),
    )
    for section, rows in sections:
        for row in rows:
            writer.writerow([section, *(row.get(column, "") for column in CSV_COLUMNS[1:])])
    totals = report.get("totals")
    if totals:
        writer.writerow(["total", *(totals.get(column, "") for column in CSV_COLUMNS[1:])])
    return out.getvalue()


def write_report(report: Mapping[str, Any], settings: Settings, data_dir: Path, kind: str) -> Path:
    """Write the report as ``kind`` ("pdf" or "csv"); returns where it went."""
    folder = export_folder(settings, data_dir)
    name = f"centre-report-{report.get('centre_code') or 'centre'}-{report['day']}.{kind}"
    path = folder / name
    if kind == "pdf":
        from counterdesk.forms.centre_report import build_centre_report  # reportlab: now only

        data = build_centre_report(report, font_path=settings.paper_font)
    elif kind == "csv":
        data = report_csv(report).encode("utf-8-sig")
    else:
        raise ValueError(f"unknown export {kind!r}")
    partial = path.with_suffix(path.suffix + ".part")
    with open(partial, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(partial, path)
    return path
