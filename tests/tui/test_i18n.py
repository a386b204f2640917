"""Every string the counter shows can be shown in Chinese; the language comes from the
settings, else the locale."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from counterdesk import i18n
from counterdesk.services.queue import QueueView
from tests.tui.messages_scan import all_messages

PLACEHOLDER = re.compile(r"\{[a-z_]*\}")


def zh() -> dict[str, str]:
    merged: dict[str, str] = {}
    for path in i18n.catalogue_files("zh"):
        merged.update(json.loads(path.read_text(encoding="utf-8")))
    return merged


def test_each_message_is_translated_in_one_file_only() -> None:
    seen: dict[str, Path] = {}
    twice = []
    for path in i18n.catalogue_files("zh"):
        for message in json.loads(path.read_text(encoding="utf-8")):
            if message in seen:
                twice.append((message, seen[message].name, path.name))
            seen[message] = path
    assert twice == []


def test_every_message_of_the_screens_has_its_chinese() -> None:
    missing = {where: sorted(found - set(zh())) for where, found in all_messages().items()}
    assert {where: found for where, found in missing.items() if found} == {}


def test_the_catalogue_holds_no_message_the_program_no_longer_shows() -> None:
    shown = set().union(*all_messages().values())
    assert sorted(set(zh()) - shown) == []


def test_translations_keep_their_placeholders() -> None:
    for english, chinese in zh().items():
        assert sorted(PLACEHOLDER.findall(english)) == sorted(PLACEHOLDER.findall(chinese)), english


@pytest.mark.parametrize(
    ("setting", "environ", "expected"),
    [
        ("zh", {"LANG": "en_US.UTF-8"}, "zh"),
        ("en", {"LANG": "zh_CN.UTF-8"}, "en"),
        ("", {"LANG": "en_GB.UTF-8"}, "en"),
        ("", {"LC_ALL": "zh_CN.UTF-8", "LANG": "en_US.UTF-8"}, "zh"),
    ],
)
def test_the_language_comes_from_the_settings_else_the_locale(
    setting: str, environ: dict[str, str], expected: str
) -> None:
    assert i18n.choose_language(setting, environ) == expected


def test_english_and_chinese_both_render() -> None:
    from counterdesk.screens.labels import view_label

    try:
        i18n.use("en")
        assert view_label(QueueView.OVERDUE) == "Overdue"
        assert i18n.bilingual("缺少 / missing") == "missing"
        i18n.use("zh")
        assert view_label(QueueView.OVERDUE) == "逾期"
        assert i18n.bilingual("缺少 / missing") == "缺少"
    finally:
        i18n.use("zh")


async def test_the_counter_speaks_english_when_the_settings_say_so() -> None:
    import dataclasses

    from tests.tui.harness import make_app, open_queue, screen_text, signed_in_standalone

    settings = dataclasses.replace(signed_in_standalone(), language="en")
    app = make_app(settings)
    try:
        async with app.run_test(size=(100, 30)) as pilot:
            await open_queue(pilot)
            text = screen_text(app)
            assert "My cases" in text and "New intake" in text and "Standalone" in text
            assert "我的办件" not in text
            app.close_services()
    finally:
        i18n.use("zh")
