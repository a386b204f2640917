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


# The theme and the keymap


def test_theme_and_keymap_from_the_file_then_the_environment(tmp_path: Path) -> None:
    env = write_config(
        tmp_path / "c.toml",
        'theme = "high-contrast"\n[keymap]\n"intake.accept" = "f12"\n"help.close" = "escape,f1"\n',
    )
    settings = load_settings(env)
    assert settings.theme == "high-contrast"
    assert settings.keymap == {"intake.accept": "f12", "help.close": "escape,f1"}
    again = load_settings(
        {
            **env,
            "COUNTERDESK_THEME": "nord",
            "COUNTERDESK_KEYMAP": "queue.new=ctrl+n; app.help=f1,f11",
        }
    )
    assert again.theme == "nord"
    assert again.keymap == {"queue.new": "ctrl+n", "app.help": "f1,f11"}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('keymap = "f12"\n', 'keymap: must be a table of binding id = "keys"'),
        ('[keymap]\n"intake.accept" = 12\n', 'intake.accept: must be "keys"'),
        ('[keymap]\n"intake.accept" = ""\n', 'intake.accept: must be "keys"'),
        ("theme = 3\n", "theme: must be str"),
    ],
)
def test_a_bad_theme_or_keymap_is_refused_with_the_key(
    tmp_path: Path, text: str, message: str
) -> None:
    with pytest.raises(SettingsError, match=message):
        load_settings(write_config(tmp_path / "c.toml", text))


def test_a_keymap_variable_that_cannot_be_read(tmp_path: Path) -> None:
    env = {"COUNTERDESK_CONFIG_FILE": str(tmp_path / "none.toml")}
    with pytest.raises(SettingsError, match="COUNTERDESK_KEYMAP: 'intake.accept'"):
        load_settings({**env, "COUNTERDESK_KEYMAP": "intake.accept"})


# Writing config.toml (services/settings_file.py)

OFFICERS_FILE = """\
# 3号窗口, set up by the centre's IT desk: call 8021 before changing the server
server_url = "https://cases.example.gov.cn"  # the city's case server
counter_name = "3号窗口"
retention_days = 30

[keymap]
# F12 is the big key on the counter's keyboard
"intake.accept" = "f12"
"""


def test_writing_keeps_the_officers_comments_and_other_keys(tmp_path: Path) -> None:
    from counterdesk.services.settings_file import write_settings_file

    path = tmp_path / "config.toml"
    path.write_text(OFFICERS_FILE, encoding="utf-8")
    write_settings_file(
        {
            "counter_name": "5号窗口",
            "theme": "high-contrast",
            "keymap": {"intake.accept": "f11", "queue.new": "ctrl+n"},
        },
        path,
    )
    text = path.read_text(encoding="utf-8")
    assert "# 3号窗口, set up by the centre's IT desk: call 8021" in text
    assert '"https://cases.example.gov.cn"  # the city\'s case server' in text
    assert "# F12 is the big key on the counter's keyboard" in text
    settings = load_settings({"COUNTERDESK_CONFIG_FILE": str(path)})
    assert settings.counter_name == "5号窗口" and settings.retention_days == 30
    assert settings.theme == "high-contrast"
    assert settings.keymap == {"intake.accept": "f11", "queue.new": "ctrl+n"}
    write_settings_file({"keymap": {}}, path)  # no overrides left: no table
    assert "[keymap]" not in path.read_text(encoding="utf-8")
    assert load_settings({"COUNTERDESK_CONFIG_FILE": str(path)}).keymap == {}


def test_saved_settings_round_trip_through_load_settings(tmp_path: Path) -> None:
    from counterdesk.services.settings_file import save_settings

    path = tmp_path / "config.toml"
    changes = {
        "server_url": "https://cases.example.gov.cn:8443/",
        "counter_name": " 综合窗口 3 ",
        "printer": "counter-laser",
        "progress_url": "https://zwfw.jx.gov.cn/jd",
        "language": "en",
        "theme": "high-contrast",
        "keymap": {"intake.accept": "f12"},
        "scanner_device": "test:0",
    }
    saved = save_settings(Settings(), changes, path)
    loaded = load_settings({"COUNTERDESK_CONFIG_FILE": str(path)})
    assert loaded == saved
    assert loaded.server_url == "https://cases.example.gov.cn:8443"
    assert loaded.counter_name == "综合窗口 3"


@pytest.mark.parametrize(
    ("changes", "refused"),
    [
        ({"server_url": "ftp://cases.example.gov.cn"}, "server_url"),
        ({"server_url": "http://cases.example.gov.cn"}, "server_url"),
        ({"ca_bundle": "/no/such/ca.pem"}, "ca_bundle"),
        ({"progress_url": "zwfw.example.gov.cn/progress"}, "progress_url"),
        ({"counter_name": "  "}, "counter_name"),
        ({"printer": "front desk"}, "printer"),
        ({"language": "fr"}, "language"),
    ],
)
def test_values_that_cannot_be_saved_leave_the_file_as_it_was(
    tmp_path: Path, changes: dict[str, str], refused: str
) -> None:
    from counterdesk.services.settings_file import SettingsRejected, save_settings

    path = tmp_path / "config.toml"
    path.write_text(OFFICERS_FILE, encoding="utf-8")
    with pytest.raises(SettingsRejected) as caught:
        save_settings(Settings(), changes, path)
    assert list(caught.value.problems) == [refused]
    assert path.read_text(encoding="utf-8") == OFFICERS_FILE


def test_plain_http_to_another_host_only_when_allowed(tmp_path: Path) -> None:
    from counterdesk.services.settings_file import save_settings

    path = tmp_path / "config.toml"
    saved = save_settings(Settings(allow_http=True), {"server_url": "http://10.1.2.3"}, path)
    assert saved.server_url == "http://10.1.2.3"
    local = save_settings(Settings(), {"server_url": "http://127.0.0.1:8000"}, path)
    assert local.server_url == "http://127.0.0.1:8000"


def test_a_ca_bundle_must_hold_pem_certificates(tmp_path: Path) -> None:
    import trustme

    from counterdesk.services.settings_file import ca_bundle_problem

    good = tmp_path / "ca.pem"
    trustme.CA().cert_pem.write_to_path(str(good))
    text = tmp_path / "notes.txt"
    text.write_text("-----BEGIN CERTIFICATE-----\nnot base64 at all\n", encoding="utf-8")
    assert ca_bundle_problem(str(good)) == ""
    assert ca_bundle_problem("") == ""
    assert "PEM" in ca_bundle_problem(str(text))
    assert str(tmp_path / "none.pem") in ca_bundle_problem(str(tmp_path / "none.pem"))
    assert ca_bundle_problem(str(tmp_path)) != ""  # a folder is no bundle


def test_secrets_and_a_broken_file_are_never_written(tmp_path: Path) -> None:
    from counterdesk.services.settings_file import write_settings_file

    path = tmp_path / "config.toml"
    with pytest.raises(ValueError, match="secrets do not belong"):
        write_settings_file({"server_token": "abc"}, path)
    assert not path.exists()
    path.write_text('server_url = "https://a\n', encoding="utf-8")  # an unclosed string
    with pytest.raises(SettingsError, match="nothing was changed"):
        write_settings_file({"counter_name": "3号窗口"}, path)
    assert path.read_text(encoding="utf-8") == 'server_url = "https://a\n'
    with pytest.raises(SettingsError, match="printr: unknown setting"):
        write_settings_file({"printr": "x"}, tmp_path / "other.toml")  # read back first
    assert not (tmp_path / "other.toml").exists()
