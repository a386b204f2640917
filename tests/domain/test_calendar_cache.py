"""The working-day calendar the queue needs at start, read from its cache without loading
the catalogue: written with the catalogue's first load, of that catalogue only, and
rebuilt when damaged."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from counterdesk import locations
from counterdesk.domain.catalogue import bundled_catalogue_path
from counterdesk.services.catalogue_source import (
    cached_calendar,
    load_catalogue,
    load_with_search_index,
)
from tests.domain.catalogue_cases import mini


def _catalogue_with_holidays(folder: Path, holiday: str) -> Path:
    doc = mini()
    doc["calendar"] = {"years": [2027], "holidays": [holiday], "workdays": ["2027-01-02"]}
    path = folder / f"catalogue-{holiday}.json"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return path


def test_the_first_load_leaves_the_calendar_the_queue_reads(tmp_path: Path) -> None:
    path = _catalogue_with_holidays(tmp_path, "2027-01-01")
    assert cached_calendar(path) is None  # never loaded: the caller loads it
    catalogue, _ = load_with_search_index(path)
    assert cached_calendar(path) == catalogue.calendar
    assert {day.isoformat() for day in catalogue.calendar.holidays} == {"2027-01-01"}


def test_a_changed_catalogue_is_not_given_the_old_calendar(tmp_path: Path) -> None:
    path = _catalogue_with_holidays(tmp_path, "2027-01-01")
    load_catalogue(path)
    changed = _catalogue_with_holidays(tmp_path, "2027-02-01")
    path.write_bytes(changed.read_bytes())  # the same file, republished
    assert cached_calendar(path) is None
    assert {d.isoformat() for d in load_catalogue(path).calendar.holidays} == {"2027-02-01"}
    assert {d.isoformat() for d in cached_calendar(path).holidays} == {"2027-02-01"}


def test_a_damaged_calendar_cache_is_removed_and_written_again(tmp_path: Path) -> None:
    path = _catalogue_with_holidays(tmp_path, "2027-01-01")
    catalogue = load_catalogue(path)
    [cache] = locations.cache_dir().glob("catalogue-*.calendar")
    cache.write_text('{"digest": "', encoding="utf-8")
    assert cached_calendar(path) is None and not cache.exists()
    load_catalogue(path)
    assert cached_calendar(path) == catalogue.calendar


def test_reading_the_calendar_loads_no_catalogue_code() -> None:
    load_catalogue(bundled_catalogue_path())
    code = (
        "import sys\n"
        "from counterdesk.data import BUNDLED_CATALOGUE\n"
        "from counterdesk.services.catalogue_source import cached_calendar\n"
        "assert cached_calendar(BUNDLED_CATALOGUE) is not None\n"
        "loaded = sorted(m for m in sys.modules if m.startswith('counterdesk.domain.catalogue'))\n"
        "assert not loaded, loaded\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)
