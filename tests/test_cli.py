"""The headless commands as outside tools call them: real processes, stdin and stdout."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.domain.catalogue_cases import MINI, changed

REQUEST = {
    "target": "SCJG-001",
    "facts": {"applicant_type": "legal", "agent": False, "premises": "rented"},
    "presented": {"id_card": {"original": 1, "copies": 1}},
    "sharing": True,
    "accepted_on": "2026-11-23",
}


def counterdesk(*args: str, stdin: bytes = b"") -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "counterdesk", *args],
        input=stdin,
        capture_output=True,
        timeout=60,
        env={**os.environ, "PYTHONIOENCODING": "ascii"},  # UTF-8 must not depend on the locale
    )


def test_check_answers_on_stdout_in_utf8() -> None:
    done = counterdesk("check", "--catalogue", str(MINI), stdin=json.dumps(REQUEST).encode())
    assert done.returncode == 0, done.stderr
    assert done.stderr == b""
    text = done.stdout.decode("utf-8")
    assert "居民身份证" in text  # Chinese written as UTF-8 text, not \\u escapes
    answer = json.loads(text)
    assert answer["outcome"] == "incomplete"
    assert answer["missing"] == [{"material": "lease", "original": 0, "copies": 1}]


def test_check_exits_zero_whatever_the_outcome() -> None:
    request = {**REQUEST, "facts": {"premises": "owned"}}
    done = counterdesk("check", "--catalogue", str(MINI), stdin=json.dumps(request).encode())
    assert done.returncode == 0 and json.loads(done.stdout)["outcome"] == "complete"


@pytest.mark.parametrize(
    "stdin",
    [b"{", b"[1]", b'{"target": "NOPE"}', b'{"target": "SCJG-001", "sharing": 1}', b""],
)
def test_check_errors_are_exit_2_one_line_and_nothing_on_stdout(stdin: bytes) -> None:
    done = counterdesk("check", "--catalogue", str(MINI), stdin=stdin)
    assert done.returncode == 2
    assert done.stdout == b""
    assert len(done.stderr.decode().strip().splitlines()) == 1


def test_check_with_an_invalid_catalogue_is_exit_2_with_its_first_problem(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    doc = changed(lambda d: (d.__setitem__("version", 1), d["items"][0].__setitem__("fee", -1)))
    bad.write_text(json.dumps(doc), encoding="utf-8")
    done = counterdesk("check", "--catalogue", str(bad), stdin=json.dumps(REQUEST).encode())
    assert done.returncode == 2 and done.stdout == b""
    assert "version: must be a string" in done.stderr.decode()
    assert "fee" not in done.stderr.decode()


def test_check_uses_the_bundled_catalogue_by_default() -> None:
    from counterdesk.domain.catalogue import bundled_catalogue_path, load_catalogue

    code = next(iter(load_catalogue(bundled_catalogue_path()).items))
    done = counterdesk("check", stdin=json.dumps({"target": code}).encode())
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["target"] == code


def test_check_prefers_an_intact_cached_catalogue(tmp_path: Path) -> None:
    from counterdesk.services.catalogue_source import store_cached_catalogue

    store_cached_catalogue(MINI.read_bytes())
    done = counterdesk("check", stdin=json.dumps(REQUEST).encode())
    assert done.returncode == 0, done.stderr
    # A cache whose hash no longer matches is not used.
    from counterdesk import locations

    locations.catalogue_cache_file().write_bytes(MINI.read_bytes() + b" ")
    done = counterdesk("check", stdin=json.dumps(REQUEST).encode())
    assert done.returncode == 2 and b"unknown item or bundle" in done.stderr


def test_validate_prints_a_summary_for_a_valid_file() -> None:
    done = counterdesk("catalogue", "validate", str(MINI))
    assert done.returncode == 0
    assert done.stdout.decode().strip() == "2 departments, 2 items, 1 bundles, 6 materials"


def test_validate_lists_every_problem_one_per_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"

    def edit(doc):
        doc["version"] = 1
        doc["items"][0]["materials"][1]["material"] = "deed"
        doc["items"][1]["legal_days"] = "20"

    bad.write_text(json.dumps(changed(edit), ensure_ascii=False), encoding="utf-8")
    done = counterdesk("catalogue", "validate", str(bad))
    assert done.returncode == 2 and done.stdout == b""
    lines = done.stderr.decode("utf-8").strip().splitlines()
    assert lines == [
        "version: must be a string, got 1",
        'items[0].materials[1].material: unknown material "deed"',
        'items[1].legal_days: must be an integer from 0 to 365, got "20"',
    ]


def test_validate_a_missing_file(tmp_path: Path) -> None:
    done = counterdesk("catalogue", "validate", str(tmp_path / "nope.json"))
    assert done.returncode == 2 and b"cannot read" in done.stderr


def test_search_prints_results_best_first() -> None:
    done = counterdesk("catalogue", "search", "KTV", "--catalogue", str(MINI))
    assert done.returncode == 0, done.stderr
    assert done.stdout.decode("utf-8").splitlines()[0].startswith("B-KTV")
