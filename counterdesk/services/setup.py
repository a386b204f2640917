"""First run: which server (or none), this counter's name, and, for a standalone counter,
its first officer. Writes ``config.toml`` in the config folder; the screen only asks.
"""

from __future__ import annotations

import dataclasses
import tomllib
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from counterdesk import locations
from counterdesk.i18n import _
from counterdesk.settings import Settings
from offline.durable import write_atomic

LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}


@dataclasses.dataclass(frozen=True)
class FirstRunAnswers:
    server_url: str  # empty: standalone
    counter_name: str
    centre_name: str = ""


def config_exists(path: Path | None = None) -> bool:
    return (path or locations.config_file()).exists()


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


def write_first_run_config(
    answers: FirstRunAnswers, settings: Settings, path: Path | None = None
) -> Settings:
    """Write the answers into config.toml (keeping what is already there) and return the
    settings as they now are."""
    problem = server_url_problem(answers.server_url, settings.allow_http)
    if problem:
        raise ValueError(problem)
    if not answers.counter_name.strip():
        raise ValueError(_("Give this counter a name, e.g. 3号窗口."))
    target = path or locations.config_file()
    values: dict[str, Any] = {}
    if target.exists():
        values = tomllib.loads(target.read_text(encoding="utf-8"))
    values["server_url"] = answers.server_url.strip().rstrip("/")
    values["counter_name"] = answers.counter_name.strip()
    if answers.centre_name.strip():
        values["centre_name"] = answers.centre_name.strip()
    target.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(target, _toml(values).encode("utf-8"), mode=0o644)
    changed = {
        key: values[key] for key in ("server_url", "counter_name", "centre_name") if key in values
    }
    return dataclasses.replace(settings, **changed, source=str(target))


def _toml(values: dict[str, Any]) -> str:
    lines = ["# counterdesk settings (docs/settings.md)"]
    for key, value in values.items():
        if isinstance(value, bool):
            text = "true" if value else "false"
        elif isinstance(value, int | float):
            text = str(value)
        else:
            escaped = str(value).replace("\\", "\\\\").replace('"', '\\"')
            text = f'"{escaped}"'
        lines.append(f"{key} = {text}")
    return "\n".join(lines) + "\n"
