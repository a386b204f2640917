"""Which catalogue the counter uses: the cached copy the server published, checked by its
hash, else the one bundled with the program; and the caches that make loading it fast.

The cache is public data in a plain file with a ``.sha256`` file beside it, so that
``counterdesk check`` can read it without keys or locks while a counter is running.
Beside it, per catalogue (by its hash): the compact form (compact.py) and its working-day
calendar alone, which is all the queue needs at start (``cached_calendar``). This module
imports the catalogue's model only when it loads one, so reading the calendar stays cheap.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from counterdesk import locations
from counterdesk.data import BUNDLED_CATALOGUE
from counterdesk.domain.calendar import CalendarOverrides
from offline.durable import write_atomic

if TYPE_CHECKING:  # the model loads with a catalogue, the search index with the first search
    from counterdesk.domain.catalogue import Catalogue
    from counterdesk.domain.catalogue.search import SearchIndex

log = logging.getLogger(__name__)
KEEP_CATALOGUES = 3  # catalogues whose caches are kept (the current one and a few before)


def digest_file(path: Path) -> Path:
    return path.with_name(path.name + ".sha256")


def cached_catalogue_path() -> Path | None:
    """The cached catalogue when present and intact, else None."""
    path = locations.catalogue_cache_file()
    recorded = digest_file(path)
    if not path.exists() or not recorded.exists():
        return None
    actual = hashlib.sha256(path.read_bytes()).hexdigest()
    if actual != recorded.read_text(encoding="ascii").strip():
        log.warning("cached catalogue %s does not match its hash; using the bundled one", path)
        return None
    return path


def current_catalogue_path() -> Path:
    """The catalogue the screen would use (``COUNTERDESK_CATALOGUE`` overrides it)."""
    override = os.environ.get("COUNTERDESK_CATALOGUE")
    if override:
        return Path(override)
    return cached_catalogue_path() or BUNDLED_CATALOGUE


def store_cached_catalogue(data: bytes) -> Path:
    """Write a published catalogue to the cache: file first, then its hash, each atomically,
    so a reader sees the old pair, or a new file whose hash does not match yet (ignored)."""
    path = locations.catalogue_cache_file()
    write_atomic(path, data, mode=0o644)
    write_atomic(digest_file(path), hashlib.sha256(data).hexdigest().encode("ascii"), mode=0o644)
    return path


def load_with_search_index(path: Path | str) -> tuple[Catalogue, SearchIndex]:
    """Load a catalogue and its search index. The first time a catalogue (by its hash) is
    seen it is validated in full and written to the cache in compact form with its pinyin;
    later loads read that instead, so a counter starts fast even on a city-sized list."""
    from counterdesk.domain.catalogue import parse_catalogue
    from counterdesk.domain.catalogue.compact import dump_compact
    from counterdesk.domain.catalogue.search import SearchIndex

    data, digest, compact_file = _read(Path(path))
    cached = _from_compact(compact_file, digest)
    if cached is not None:
        catalogue, header = cached
        table = {name: (pair[0], pair[1]) for name, pair in header["pinyin"].items()}
        _keep_calendar(digest, catalogue.calendar)
        return catalogue, SearchIndex.build(catalogue, table)
    catalogue = parse_catalogue(data, str(path))
    index = SearchIndex.build(catalogue)
    _write_compact(compact_file, dump_compact(catalogue, {"pinyin": index.pinyin}))
    _keep_calendar(digest, catalogue.calendar)
    return catalogue, index


def load_catalogue(path: Path | str) -> Catalogue:
    """The catalogue alone (the queue needs its calendar, not the search): from the
    compact cache when it holds this catalogue, else loaded in full with its index."""
    _data, digest, compact_file = _read(Path(path))
    cached = _from_compact(compact_file, digest)
    if cached is None:
        return load_with_search_index(path)[0]
    _keep_calendar(digest, cached[0].calendar)
    return cached[0]


def cached_calendar(path: Path | str) -> CalendarOverrides | None:
    """The working-day calendar of the catalogue at ``path`` from its cache, without
    loading the catalogue; None when there is none for this catalogue yet (load it: that
    writes the cache) or it cannot be read (it is removed and written again then)."""
    _data, digest, _compact = _read(Path(path))
    cache = _calendar_file(digest)
    try:
        kept = json.loads(cache.read_text(encoding="utf-8"))
        if kept["digest"] != digest:
            raise ValueError("the calendar of another catalogue")
        return CalendarOverrides.from_lists(kept["calendar"])
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError) as exc:
        log.warning("calendar cache %s is unusable (%s); rebuilding it", cache.name, exc)
        cache.unlink(missing_ok=True)
        return None


def _keep_calendar(digest: str, calendar: CalendarOverrides) -> None:
    """Write the calendar cache of a catalogue just loaded, once."""
    target = _calendar_file(digest)
    if target.exists():
        return
    text = json.dumps({"digest": digest, "calendar": calendar.to_lists()})
    _write_cache(target, text, "catalogue-*.calendar")


def _read(path: Path) -> tuple[bytes, str, Path]:
    """The catalogue file's bytes, their hash, and the compact cache file it names."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        from counterdesk.domain.catalogue import CatalogueError

        raise CatalogueError([f"$: cannot read {path}: {exc.strerror}"], str(path)) from exc
    digest = hashlib.sha256(data).hexdigest()
    return data, digest, locations.cache_dir() / f"catalogue-{digest[:32]}.compact"


def _calendar_file(digest: str) -> Path:
    return locations.cache_dir() / f"catalogue-{digest[:32]}.calendar"


def _from_compact(compact_file: Path, digest: str) -> tuple[Catalogue, dict[str, Any]] | None:
    from counterdesk.domain.catalogue.compact import load_compact

    try:
        catalogue, header = load_compact(compact_file.read_text(encoding="utf-8"))
        if catalogue.digest != digest:
            raise ValueError("compact cache of another catalogue")
        return catalogue, header
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError, IndexError) as exc:
        log.warning("catalogue cache %s is unusable (%s); rebuilding it", compact_file.name, exc)
        return None


def _write_compact(target: Path, text: str) -> None:
    _write_cache(target, text, "catalogue-*.compact")


def _write_cache(target: Path, text: str, kind: str) -> None:
    """Write atomically and keep only the few newest caches of this kind."""
    try:
        write_atomic(target, text.encode("utf-8"), mode=0o644)
    except OSError as exc:  # a full or read-only cache costs speed, never the catalogue
        log.warning("cannot write the catalogue cache %s: %s", target, exc)
        return
    older = sorted(target.parent.glob(kind), key=lambda p: p.stat().st_mtime)
    for stale in older[:-KEEP_CATALOGUES]:
        stale.unlink(missing_ok=True)
