"""``counterdesk print`` as a script runs it: a real process, a case file, a PDF written out
with a warning, clear refusals of bad input, and a real print through CUPS."""

from __future__ import annotations

import io
import json
import os
import stat
import subprocess
import sys
from pathlib import Path

from pypdf import PdfReader

from tests.domain.catalogue_cases import MINI
from tests.forms.conftest import CupsPdfPrinter, run
from tests.forms.papers_cases import FULL_ID, MASKED_ID, accepted_case


def counterdesk(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "counterdesk", "print", *args, "--catalogue", str(MINI)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
        env={**os.environ, "PYTHONIOENCODING": "ascii"},  # UTF-8 whatever the locale
    )


def case_file(tmp_path: Path, doc: object | None = None) -> Path:
    path = tmp_path / "case.json"
    document = accepted_case().to_json() if doc is None else doc
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    return path


def test_out_writes_the_pdf_and_warns_about_personal_data(tmp_path: Path) -> None:
    out = tmp_path / "receipt.pdf"
    done = counterdesk("receipt", "--case", str(case_file(tmp_path)), "--out", str(out))
    assert done.returncode == 0, done.stderr
    assert "personal data" in done.stderr and "个人信息" in done.stderr
    assert done.stdout.strip() == str(out)
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(out.read_bytes())).pages)
    assert MASKED_ID in text and FULL_ID not in text and "受理回执" in text


def test_a_file_that_is_not_json_is_refused_with_where(tmp_path: Path) -> None:
    bad = tmp_path / "case.json"
    bad.write_text('{"id": "case-1",', encoding="utf-8")
    done = counterdesk("receipt", "--case", str(bad), "--out", str(tmp_path / "x.pdf"))
    assert done.returncode == 2
    assert f"{bad}: not a JSON case document" in done.stderr and "line 1" in done.stderr
    assert not (tmp_path / "x.pdf").exists()


def test_an_invalid_case_lists_each_problem_with_its_path(tmp_path: Path) -> None:
    doc = accepted_case().to_json()
    del doc["applicant"]["id_number"]  # type: ignore[attr-defined]
    doc["received"] = {"id_card": {"copies": -1}}
    done = counterdesk("receipt", "--case", str(case_file(tmp_path, doc)), "--out", "x.pdf")
    assert done.returncode == 2
    assert "not a valid case document (2 problems)" in done.stderr
    assert "applicant.id_number: Field required" in done.stderr
    assert "received.id_card.copies:" in done.stderr


def test_a_paper_that_does_not_fit_the_case_is_refused(tmp_path: Path) -> None:
    done = counterdesk("refusal", "--case", str(case_file(tmp_path)), "--out", "x.pdf")
    assert done.returncode == 2
    assert "cannot make the refusal" in done.stderr and "refusal decision" in done.stderr


def test_printing_waits_until_cups_reports_completed(
    tmp_path: Path, cups_printer: CupsPdfPrinter
) -> None:
    done = counterdesk(
        "receipt", "--case", str(case_file(tmp_path)), "--printer", cups_printer.queue
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(f"printed receipt for case {accepted_case().number}")
    job_id = done.stdout.split()[-1]
    assert job_id.startswith(f"{cups_printer.queue}-")
    assert job_id in run("lpstat", "-W", "completed", "-o", cups_printer.queue).stdout
    for leftover in cups_printer.output_dir.glob("counterdesk-receipt-*.pdf"):
        leftover.unlink()


def test_a_print_that_cannot_finish_in_time_says_where_it_stands(
    tmp_path: Path, cups_printer: CupsPdfPrinter
) -> None:
    run("cupsdisable", cups_printer.queue)
    try:
        done = counterdesk(
            "receipt",
            "--case",
            str(case_file(tmp_path)),
            "--printer",
            cups_printer.queue,
            "--timeout",
            "3",
        )
        assert done.returncode == 1
        assert "not printed within 3 s" in done.stderr
        assert "打印机暂停 / held (printer paused)" in done.stderr
        assert f"it stays in CUPS as job {cups_printer.queue}-" in done.stderr
    finally:
        run("cancel", "-a", cups_printer.queue, check=False)
        run("cupsenable", cups_printer.queue)
