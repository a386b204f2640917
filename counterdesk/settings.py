"""The counter's settings: defaults, then the TOML file, then ``COUNTERDESK_*`` variables.

Built once at start-up and passed down; nothing reads settings at import time. Secrets
(passwords, tokens, keys) never live here: they go to the OS keyring (credentials.py), so a
settings file that tries to hold one is refused.
"""

from __future__ import annotations

import dataclasses
import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from counterdesk import locations

ENV_PREFIX = "COUNTERDESK_"
_SECRET_WORDS = ("password", "passphrase", "token", "secret", "private_key")


class SettingsError(ValueError):
    """A settings file or variable that cannot be used; says which and why."""


@dataclass(frozen=True)
class Settings:
    server_url: str = ""  # empty: a standalone counter on its local store
    counter_name: str = ""
    centre_name: str = ""
    language: str = "zh"  # zh or en: the language shown first
    catalogue_path: str = ""  # a catalogue file to use instead of the cached/bundled one
    key_storage: str = "keyring"  # keyring, or file (kiosks and the demo; see docs)
    ca_bundle: str = ""  # the government network's own certificate authority
    allow_http: bool = False  # plain HTTP beyond 127.0.0.1, with a visible warning
    printer: str = ""  # CUPS queue; empty: the system default
    paper_font: str = ""  # a TrueType CJK font for printed papers
    progress_url: str = "https://zwfw.example.gov.cn/progress"  # printed as a QR code
    export_dir: str = ""  # where PDFs go when exporting instead of printing
    scanner_device: str = ""  # SANE device name
    scan_folder: str = ""  # where a document camera saves its files, for importing
    retention_days: int = 90  # archived, synced cases are deleted locally after this
    warning_days: int = 1  # time-limit warning when this many working days or fewer remain
    log_level: str = "INFO"
    theme: str = ""  # a Textual theme name; empty: the default (see counterdesk/themes.py)
    keymap: dict[str, str] = field(default_factory=dict, hash=False)  # binding id -> keys
    source: str = field(default="defaults", compare=False)  # where the settings came from

    @property
    def standalone(self) -> bool:
        return not self.server_url


def load_settings(environ: dict[str, str] | None = None) -> Settings:
    env = os.environ if environ is None else environ
    path = (
        Path(env["COUNTERDESK_CONFIG_FILE"])
        if env.get("COUNTERDESK_CONFIG_FILE")
        else locations.config_file()
    )
    values: dict[str, Any] = {}
    if path.exists():
        values.update(_read_toml(path))
    known = {f.name: f for f in dataclasses.fields(Settings) if f.name != "source"}
    for name, spec in known.items():
        raw = env.get(ENV_PREFIX + name.upper())
        if raw is not None:
            values[name] = _from_env(name, spec.type, raw)
    return Settings(**values, source=str(path) if path.exists() else "defaults")


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise SettingsError(f"{path}: cannot read the settings file: {exc}") from exc
    return read_settings_text(text, str(path))


def read_settings_text(text: str, path: str) -> dict[str, Any]:
    """The settings a config.toml text holds; SettingsError names ``path`` and the key."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise SettingsError(f"{path}: cannot read the settings file: {exc}") from exc
    known = {f.name: f for f in dataclasses.fields(Settings) if f.name != "source"}
    values: dict[str, Any] = {}
    for key, value in data.items():
        if any(word in key.lower() for word in _SECRET_WORDS):
            raise SettingsError(
                f"{path}: {key}: secrets do not belong in the settings file; "
                "counterdesk keeps them in the system keyring"
            )
        if key not in known:
            raise SettingsError(f"{path}: {key}: unknown setting (see docs/settings.md)")
        expected = _python_type(known[key].type)
        if expected is dict:
            values[key] = _keymap_table(f"{path}: {key}", value)
            continue
        if not isinstance(value, expected) or (expected is int and isinstance(value, bool)):
            raise SettingsError(f"{path}: {key}: must be {expected.__name__}, got {value!r}")
        values[key] = value
    return values


def _python_type(annotation: Any) -> type:
    return {"str": str, "int": int, "bool": bool, "dict[str, str]": dict}[str(annotation)]


def _keymap_table(where: str, value: Any) -> dict[str, str]:
    """The shape of a keymap: binding id = "keys". Which ids and keys are good is known
    only to the screens (counterdesk/keymap.py checks them when the App starts)."""
    if not isinstance(value, dict):
        raise SettingsError(f'{where}: must be a table of binding id = "keys", got {value!r}')
    for binding_id, keys in value.items():
        if not isinstance(keys, str) or not keys.strip():
            raise SettingsError(
                f'{where}: {binding_id}: must be "keys" such as "f12", got {keys!r}'
            )
    return {str(binding_id): keys.strip() for binding_id, keys in value.items()}


def parse_keymap(raw: str) -> dict[str, str]:
    """``COUNTERDESK_KEYMAP``: ``id=keys`` pairs separated by ``;`` (keys may hold commas,
    as in ``help.close=escape,f1``)."""
    keymap: dict[str, str] = {}
    for pair in raw.split(";"):
        if not pair.strip():
            continue
        binding_id, equals, keys = pair.partition("=")
        if not equals or not binding_id.strip() or not keys.strip():
            raise SettingsError(
                f"{ENV_PREFIX}KEYMAP: {pair.strip()!r}: write binding id=keys, "
                "pairs separated by ';' (e.g. intake.accept=f12;queue.new=ctrl+n)"
            )
        keymap[binding_id.strip()] = keys.strip()
    return keymap


def _from_env(name: str, annotation: Any, raw: str) -> Any:
    kind = _python_type(annotation)
    if kind is dict:
        return parse_keymap(raw)
    if kind is bool:
        if raw.lower() in ("1", "true", "yes", "on"):
            return True
        if raw.lower() in ("0", "false", "no", "off", ""):
            return False
        raise SettingsError(f"{ENV_PREFIX}{name.upper()}: must be true or false, got {raw!r}")
    if kind is int:
        try:
            return int(raw)
        except ValueError as exc:
            raise SettingsError(
                f"{ENV_PREFIX}{name.upper()}: must be a whole number, got {raw!r}"
            ) from exc
    return raw
