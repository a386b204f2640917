"""Settings: defaults, the TOML file, COUNTERDESK_* overrides, and secrets refused."""

from __future__ import annotations

from pathlib import Path

import pytest

from counterdesk.settings import Settings, SettingsError, load_settings


def write_config(path: Path, text: str) -> dict[str, str]:
    path.write_text(text, encoding="utf-8")
    return {"COUNTERDESK_CONFIG_FILE": str(path)}


def test_defaults_without_a_file(tmp_path: Path) -> None:
    settings = load_settings({"COUNTERDESK_CONFIG_FILE": str(tmp_path / "none.toml")})
    assert settings == Settings() and settings.standalone


def test_file_then_environment(tmp_path: Path) -> None:
    env = write_config(
        tmp_path / "c.toml", 'server_url = "https://cases.example"\nretention_days = 30\n'
    )
    settings = load_settings(
        {**env, "COUNTERDESK_RETENTION_DAYS": "45", "COUNTERDESK_ALLOW_HTTP": "yes"}
    )
    assert settings.server_url == "https://cases.example"
    assert settings.retention_days == 45 and settings.allow_http is True
    assert not settings.standalone


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('printr = "x"\n', "printr: unknown setting"),
        ('retention_days = "90"\n', "retention_days: must be int"),
        ('password = "hunter2"\n', "secrets do not belong"),
        ("server_url = \n", "cannot read the settings file"),
    ],
)
def test_bad_files_are_refused_with_the_file_and_key(
    tmp_path: Path, text: str, message: str
) -> None:
    env = write_config(tmp_path / "c.toml", text)
    with pytest.raises(SettingsError, match=message) as caught:
        load_settings(env)
    assert str(tmp_path / "c.toml") in str(caught.value)
    assert "hunter2" not in str(caught.value)


def test_bad_environment_values(tmp_path: Path) -> None:
    env = {"COUNTERDESK_CONFIG_FILE": str(tmp_path / "none.toml")}
    with pytest.raises(SettingsError, match="COUNTERDESK_RETENTION_DAYS"):
        load_settings({**env, "COUNTERDESK_RETENTION_DAYS": "ninety"})
    with pytest.raises(SettingsError, match="COUNTERDESK_ALLOW_HTTP"):
        load_settings({**env, "COUNTERDESK_ALLOW_HTTP": "perhaps"})
