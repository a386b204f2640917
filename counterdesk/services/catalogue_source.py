"""Which catalogue the counter uses: the cached copy the server published, checked by its
hash, else the one bundled with the program.

The cache is public data in a plain file with a ``.sha256`` file beside it, so that
``counterdesk check`` can read it without keys or locks while a counter is running.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
from pathlib import Path

from counterdesk import locations
from counterdesk.domain.catalogue import Catalogue, bundled_catalogue_path, load_catalogue
from counterdesk.domain.catalogue.search import PinyinTable, SearchIndex

log = logging.getLogger(__name__)


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
    return cached_catalogue_path() or bundled_catalogue_path()


def store_cached_catalogue(data: bytes) -> Path:
    """Write a published catalogue to the cache: file first, then its hash, each atomically,
    so a reader sees the old pair, or a new file whose hash does not match yet (ignored)."""
    path = locations.catalogue_cache_file()
    for target, content in (
        (path, data),
        (digest_file(path), hashlib.sha256(data).hexdigest().encode()),
    ):
        temp = target.with_name(target.name + ".tmp")
        with open(temp, "wb") as handle:
            handle.write(content)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, target)
    return path


def load_with_search_index(path: Path | str) -> tuple[Catalogue, SearchIndex]:
    """Load a catalogue and its search index, computing pinyin only the first time a
    catalogue (by its hash) is seen; the table is cached beside the catalogue cache."""
    catalogue = load_catalogue(path)
    table_file = locations.cache_dir() / f"pinyin-{catalogue.digest[:16]}.json"
    table: PinyinTable | None = None
    try:
        raw = json.loads(table_file.read_text(encoding="utf-8"))
        table = {name: (pair[0], pair[1]) for name, pair in raw.items()}
    except (OSError, ValueError, TypeError, IndexError):
        table = None  # absent or damaged: recompute below
    index = SearchIndex.build(catalogue, table)
    if table is None:
        temp = table_file.with_name(table_file.name + ".tmp")
        temp.write_text(json.dumps(index.pinyin, ensure_ascii=False), encoding="utf-8")
        os.replace(temp, table_file)
    return catalogue, index
