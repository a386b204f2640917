"""First run: which server (or none), this counter's name, and, for a standalone counter,
its first officer. Writes ``config.toml`` in the config folder; the screen only asks.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

from counterdesk.services.settings_file import (
    counter_name_problem,
    server_url_problem,
    write_settings_file,
)
from counterdesk.settings import Settings

__all__ = ["FirstRunAnswers", "server_url_problem", "write_first_run_config"]


@dataclasses.dataclass(frozen=True)
class FirstRunAnswers:
    server_url: str  # empty: standalone
    counter_name: str
    centre_name: str = ""


def write_first_run_config(
    answers: FirstRunAnswers, settings: Settings, path: Path | None = None
) -> Settings:
    """Write the answers into config.toml (keeping what is already there) and return the
    settings as they now are."""
    problem = server_url_problem(answers.server_url, settings.allow_http)
    problem = problem or counter_name_problem(answers.counter_name)
    if problem:
        raise ValueError(problem)
    values = {
        "server_url": answers.server_url.strip().rstrip("/"),
        "counter_name": answers.counter_name.strip(),
    }
    if answers.centre_name.strip():
        values["centre_name"] = answers.centre_name.strip()
    target = write_settings_file(values, path)
    return dataclasses.replace(settings, **values, source=str(target))
