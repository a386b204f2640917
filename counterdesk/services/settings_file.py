"""Writing config.toml, at first run and from the settings screen: each value checked with
the reason shown under its entry, then the file rewritten atomically with what the
officer or administrator wrote there kept (comments, layout, other keys: tomlkit edits
the document in place), and the new text read back the way the next start will read it
before it replaces the old one. Secrets never go there.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlparse

from counterdesk import i18n, locations
from counterdesk.i18n import _
from counterdesk.settings import Settings, SettingsError, read_settings_text
from offline.durable import write_atomic

if TYPE_CHECKING:  # tomlkit loads when a file is written, not with the checks at start
    import tomlkit

HEADER = "counterdesk settings (docs/settings.md)"
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}
_SECRET_WORDS = ("password", "passphrase", "token", "secret", "private_key")
_CUPS_FORBIDDEN = set(" \t/#\\")


class SettingsRejected(ValueError):
    """Values that cannot be saved: setting name -> the reason, in the officer's words."""

    def __init__(self, problems: Mapping[str, str]) -> None:
        self.problems = dict(problems)
        super().__init__("; ".join(f"{k}: {v}" for k, v in self.problems.items()))


# What is wrong with a value ("" when nothing is)


def server_url_problem(url: str, allow_http: bool = False) -> str:
    """Why ``url`` cannot be this counter's server ("" when it can, or when empty)."""
    url = url.strip()
    if not url:
        return ""
    parsed = urlparse(url)
    if parsed.scheme not in ("http", "https") or not parsed.hostname:
        return _("A server address looks like https://zwfw.example.gov.cn:8443")
    if parsed.scheme == "http" and parsed.hostname not in LOCAL_HOSTS and not allow_http:
        return _("Plain http is only allowed to this computer (127.0.0.1); use https.")
    return ""


def ca_bundle_problem(path: str) -> str:
    """A CA bundle must be a readable file of PEM certificates ("" when empty: the
    system's own authorities)."""
    if not path.strip():
        return ""
    file = Path(path.strip()).expanduser()
    if not file.is_file():
        return _("There is no file {path}").format(path=path.strip())
    try:
        data = file.read_bytes()
    except OSError as exc:
        return _("Cannot read {path}: {reason}").format(path=path.strip(), reason=exc.strerror)
    from cryptography import x509

    try:
        x509.load_pem_x509_certificates(data)
    except ValueError:
        return _("This file holds no PEM certificates (-----BEGIN CERTIFICATE-----)")
    return ""


def progress_url_problem(url: str) -> str:
    parsed = urlparse(url.strip())
    if parsed.scheme not in ("http", "https") or not parsed.hostname:
        return _("A web address looks like https://zwfw.example.gov.cn/progress")
    return ""


def counter_name_problem(name: str) -> str:
    return "" if name.strip() else _("Give this counter a name, e.g. 3号窗口.")


def printer_problem(queue: str) -> str:
    """CUPS queue names have no spaces, slashes or #; empty is the system's default."""
    if any(ch in _CUPS_FORBIDDEN for ch in queue.strip()) or len(queue.strip()) > 127:
        return _("A printer queue name has no spaces, / or #")
    return ""


def language_problem(language: str) -> str:
    return "" if language in i18n.LANGUAGES else _("Choose zh (中文) or en (English)")


def value_problems(values: Mapping[str, Any], allow_http: bool) -> dict[str, str]:
    """The reason for each value that cannot be saved (settings the screen edits)."""
    checks = {
        "server_url": lambda v: server_url_problem(v, allow_http),
        "ca_bundle": ca_bundle_problem,
        "counter_name": counter_name_problem,
        "printer": printer_problem,
        "progress_url": progress_url_problem,
        "language": language_problem,
    }
    found = {}
    for name, value in values.items():
        check = checks.get(name)
        problem = check(value) if check is not None else ""
        if problem:
            found[name] = problem
    return found


def environment_overrides(names: Iterable[str]) -> list[str]:
    """The settings among ``names`` that a ``COUNTERDESK_*`` variable sets at start, over
    whatever config.toml says."""
    return [name for name in names if os.environ.get(f"COUNTERDESK_{name.upper()}") is not None]


# Writing


def save_settings(
    settings: Settings, changes: Mapping[str, Any], path: Path | None = None
) -> Settings:
    """Check ``changes`` and write them to config.toml; the settings as they now are.
    Raises SettingsRejected (nothing written) or OSError / SettingsError."""
    problems = value_problems(changes, settings.allow_http)
    if problems:
        raise SettingsRejected(problems)
    cleaned = {k: v.strip() if isinstance(v, str) else v for k, v in changes.items()}
    if "server_url" in cleaned:
        cleaned["server_url"] = cleaned["server_url"].rstrip("/")
    target = write_settings_file(cleaned, path)
    return dataclasses.replace(settings, **cleaned, source=str(target))


def write_settings_file(values: Mapping[str, Any], path: Path | None = None) -> Path:
    """Set ``values`` in config.toml and keep everything else there. A table value (the
    keymap) replaces the table's entries, comments among them kept. Atomic: a crash
    leaves the old file or the new one, never half of one."""
    import tomlkit

    target = path or locations.config_file()
    for key in values:
        if any(word in key.lower() for word in _SECRET_WORDS):
            raise ValueError(f"{key}: secrets do not belong in the settings file")
    document = _document(target)
    for key, value in values.items():
        if isinstance(value, Mapping):
            _set_table(document, key, value)
        else:
            document[key] = value
    text = tomlkit.dumps(document)
    read_settings_text(text, str(target))  # the next start must be able to read it
    target.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(target, text.encode("utf-8"), mode=0o644)
    return target


def _document(target: Path) -> tomlkit.TOMLDocument:
    import tomlkit
    from tomlkit.exceptions import TOMLKitError

    if not target.exists():
        document = tomlkit.document()
        document.add(tomlkit.comment(HEADER))
        return document
    try:
        return tomlkit.parse(target.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, TOMLKitError) as exc:
        raise SettingsError(
            f"{target}: cannot read the settings file ({exc}); nothing was changed"
        ) from exc


def _set_table(document: tomlkit.TOMLDocument, key: str, value: Mapping[str, Any]) -> None:
    if not value:
        if key in document:
            del document[key]
        return
    import tomlkit

    table = document.get(key)
    if not isinstance(table, Mapping):
        document[key] = tomlkit.table()
        table = document[key]
    for old in [k for k in table if k not in value]:
        del table[old]
    for entry, setting in value.items():
        table[entry] = setting
