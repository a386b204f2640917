"""Every string the counter shows, in Chinese or English: a small gettext-style translator.

Messages are written in English in the code (``_("Accept")``) and looked up in a catalogue
per language (``counterdesk/locale/zh.json``, plus one file per area of the program in
``counterdesk/locale/zh/``, merged; a message is in one file only); English is the message
itself. A dict is
enough here: there is no plural form in Chinese, and a JSON catalogue needs no compile step
(gettext's ``.mo`` files would). ``tests/tui/test_i18n.py`` checks that every message in the
screens and widgets has its Chinese.

The language is chosen once per App (``use``), from the settings, else the locale.
Binding descriptions are class attributes, evaluated before any language is known, so
``translate_bindings`` rewrites a node's own copy of them when it is created.
"""

from __future__ import annotations

import dataclasses
import json
import locale
import os
from functools import cache
from pathlib import Path
from typing import Any

LANGUAGES = ("zh", "en")
_LOCALE_DIR = Path(__file__).resolve().parent / "locale"
_current = "zh"


def catalogue_files(language: str) -> list[Path]:
    """The files holding ``language``'s messages: the main one, then one per area."""
    if language == "en":
        return []
    main = _LOCALE_DIR / f"{language}.json"
    return [main, *sorted((_LOCALE_DIR / language).glob("*.json"))]


@cache
def _catalogue(language: str) -> dict[str, str]:
    merged: dict[str, str] = {}
    for path in catalogue_files(language):
        merged.update(json.loads(path.read_text(encoding="utf-8")))
    return merged


def use(language: str) -> str:
    """Show messages in ``language`` from now on; returns the language in use."""
    global _current
    _current = language if language in LANGUAGES else "zh"
    return _current


def current() -> str:
    return _current


def choose_language(setting: str, environ: dict[str, str] | None = None) -> str:
    """The settings' language when it is one we have, else the locale's, else Chinese."""
    if setting in LANGUAGES:
        return setting
    env = os.environ if environ is None else environ
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(name, "")
        if value:
            return "en" if value.lower().startswith("en") else "zh"
    found = locale.getlocale()[0] or ""
    return "en" if found.lower().startswith("en") else "zh"


def _(message: str) -> str:
    """``message`` in the current language (the English itself when there is none)."""
    if not message:
        return message
    return _catalogue(_current).get(message, message)


def gettext(message: str) -> str:
    return _(message)


def bilingual(zh_en: str) -> str:
    """One side of a domain message written "中文 / English" (identity.py, printing.py):
    the side of the current language, or the whole text when it has no such split."""
    if " / " not in zh_en:
        return zh_en
    zh, _sep, en = zh_en.partition(" / ")
    return zh if _current == "zh" else en


def translate_bindings(node: Any) -> None:
    """Translate the descriptions of ``node``'s bindings in its own copy of them."""
    from textual.binding import BindingsMap

    bindings: BindingsMap = node._bindings
    translated = {
        key: [
            dataclasses.replace(
                binding,
                description=_(binding.description),
                tooltip=_(binding.tooltip) if binding.tooltip else binding.tooltip,
            )
            for binding in key_bindings
        ]
        for key, key_bindings in bindings.key_to_bindings.items()
    }
    node._bindings = BindingsMap.from_keys(translated)
