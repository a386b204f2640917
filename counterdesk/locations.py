"""Where counterdesk keeps its files: the only importer of platformdirs.

Every folder can be overridden by an environment variable so that tests, demos and
several profiles on one PC each get their own tree. Functions, not constants, so that
nothing is read at import time and tests patch one place.
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "counterdesk"


def _chosen(env_name: str, default: Path) -> Path:
    override = os.environ.get(env_name)
    path = Path(override) if override else default
    path.mkdir(parents=True, exist_ok=True)
    return path


def config_dir() -> Path:
    return _chosen(
        "COUNTERDESK_CONFIG_DIR", platformdirs.user_config_path(APP_NAME, appauthor=False)
    )


def data_dir() -> Path:
    return _chosen("COUNTERDESK_DATA_DIR", platformdirs.user_data_path(APP_NAME, appauthor=False))


def cache_dir() -> Path:
    return _chosen("COUNTERDESK_CACHE_DIR", platformdirs.user_cache_path(APP_NAME, appauthor=False))


def log_dir() -> Path:
    return _chosen("COUNTERDESK_LOG_DIR", platformdirs.user_log_path(APP_NAME, appauthor=False))


def config_file() -> Path:
    """The settings file: ``COUNTERDESK_CONFIG_FILE`` if set, else config.toml."""
    override = os.environ.get("COUNTERDESK_CONFIG_FILE")
    return Path(override) if override else config_dir() / "config.toml"


def catalogue_cache_file() -> Path:
    """The cached catalogue (public data, readable without keys or locks)."""
    return cache_dir() / "catalogue.json"
