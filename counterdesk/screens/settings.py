"""Settings (Ctrl+O): the server and its CA bundle, this counter's name, printer, progress
address and scanner, the language, the theme and key overrides.

Each entry says what is wrong under it as it is typed; F2 checks everything again and
saves to config.toml (``services/settings_file.py``), and the change applies at once:
language, theme and keys on screen, names, printer and progress address from the next
paper, and the sync engine made anew for a new server or CA bundle
(``screens/settings_apply.py``). Nothing here needs a restart.
"""

from __future__ import annotations

from importlib.util import find_spec
from typing import Any

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widget import Widget
from textual.widgets import Input, Label, Select, Static

from counterdesk.i18n import _
from counterdesk.keymap import check_keymap
from counterdesk.screens.base import CounterScreen
from counterdesk.screens.settings_apply import SavedSettings, apply_saved
from counterdesk.services.printers import printer_queues
from counterdesk.services.settings_file import (
    SettingsRejected,
    ca_bundle_problem,
    environment_overrides,
    save_settings,
    value_problems,
)
from counterdesk.settings import Settings, SettingsError
from counterdesk.themes import theme_names
from counterdesk.widgets.fields import FieldRow
from counterdesk.widgets.key_bar import KeyBar
from counterdesk.widgets.status_bar import StatusBar

TEXT_ENTRIES = (
    "server_url",
    "ca_bundle",
    "counter_name",
    "printer",
    "progress_url",
    "scanner_device",
)
ORDER = (*TEXT_ENTRIES, "language", "theme", "keymap")
SERVER_SETTINGS = ("server_url", "ca_bundle")


def keymap_text(keymap: dict[str, str]) -> str:
    return "; ".join(f"{binding_id}={keys}" for binding_id, keys in keymap.items())


def parse_keymap_text(text: str) -> tuple[dict[str, str], str]:
    """(the overrides typed, "" or why the text cannot be read)."""
    keymap: dict[str, str] = {}
    for pair in text.split(";"):
        if not pair.strip():
            continue
        binding_id, equals, keys = pair.partition("=")
        if not equals or not binding_id.strip() or not keys.strip():
            return keymap, _("Write binding id=keys, separated by ; (e.g. intake.accept=f12)")
        keymap[binding_id.strip()] = keys.strip()
    return keymap, ""


class ChoiceRow(Vertical):
    """A label and a one-line choice, laid out like a form row."""

    def __init__(self, label: str, field_id: str, choices: list[tuple[str, str]], value: str):
        super().__init__(classes="field-row", id=f"row-{field_id}")
        self._label = label
        self._select: Select[str] = Select(
            choices, value=value, allow_blank=False, compact=True, id=field_id
        )

    def compose(self) -> ComposeResult:
        with Horizontal(classes="field-line"):
            yield Label(self._label, classes="field-label")
            yield self._select
        yield Static("", classes="field-note")


class SettingsScreen(CounterScreen):
    CSS_PATH = "settings.tcss"
    BINDINGS = [
        Binding("f2", "save", "Save", id="settings.save"),
        Binding("f4", "next_printer", "Next printer", id="settings.next_printer"),
        Binding("f6", "choose_scanner", "Choose scanner", id="settings.scanner"),
        Binding("escape", "back", "Back (not saved)", id="settings.back"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.queues: list[str] = []
        self.saving = False

    def compose(self) -> ComposeResult:
        s: Settings = self.counter.settings
        yield Static(_("Settings"), classes="title-bar")
        with VerticalScroll(id="settings-form"):
            yield Static(_("Connection"), classes="section first")
            yield FieldRow(
                _("Server"),
                "server_url",
                value=s.server_url,
                placeholder=_("empty: a standalone counter"),
            )
            yield FieldRow(
                _("CA bundle"),
                "ca_bundle",
                value=s.ca_bundle,
                placeholder=_("empty: the system's authorities"),
            )
            yield Static(_("This counter"), classes="section")
            yield FieldRow(_("Counter"), "counter_name", value=s.counter_name, required=True)
            yield FieldRow(
                _("Printer"), "printer", value=s.printer, placeholder=_("empty: the default")
            )
            yield FieldRow(_("Progress page"), "progress_url", value=s.progress_url)
            yield FieldRow(
                _("Scanner"), "scanner_device", value=s.scanner_device, placeholder="test:0"
            )
            yield Static(_("Screen"), classes="section")
            yield ChoiceRow(
                _("Language"), "language", [("中文", "zh"), ("English", "en")], self._language()
            )
            yield ChoiceRow(_("Theme"), "theme", self._themes(), s.theme)
            yield FieldRow(
                _("Keys"),
                "keymap",
                value=keymap_text(s.keymap),
                placeholder="intake.accept=f12; queue.new=ctrl+n",
            )
        yield Static("", id="settings-message")
        yield StatusBar()
        yield KeyBar()

    def _language(self) -> str:
        return self.counter.ui_language

    def _themes(self) -> list[tuple[str, str]]:
        labels = {"high-contrast": _("High contrast (16 colours)")}
        choices = [(_("Default"), "")]
        return choices + [(labels.get(n, n), n) for n in theme_names(self.app)]

    def on_mount(self) -> None:
        self.query_one("#server_url", Input).focus()
        self._show_environment_overrides()
        self.list_printers()

    # Entries: what is wrong, as it is typed

    def _row(self, name: str) -> FieldRow:
        return self.query_one(f"#row-{name}", FieldRow)

    def _note(self, name: str, note: str, level: str = "error") -> None:
        row = self.query_one(f"#row-{name}")
        if isinstance(row, FieldRow):
            row.show_note(note, level=level)
            return
        widget = row.query_one(".field-note", Static)
        for cls in ("error", "hint"):
            widget.set_class(bool(note) and cls == level, cls)
        widget.update(note)

    def _show_environment_overrides(self) -> None:
        for name in environment_overrides(ORDER):
            self._note(
                name,
                _("{variable} is set: it wins over this at the next start").format(
                    variable=f"COUNTERDESK_{name.upper()}"
                ),
                level="hint",
            )

    @on(Input.Changed)
    def _entry_changed(self, event: Input.Changed) -> None:
        name = event.input.id or ""
        if name == "keymap":
            self._note("keymap", self._keymap_problem(event.value))
        elif name == "ca_bundle":
            self.check_ca_bundle(event.value)
        elif name in TEXT_ENTRIES:
            problem = value_problems({name: event.value}, self.counter.settings.allow_http)
            self._note(name, problem.get(name, ""))
            if name == "printer" and not problem:
                self._show_printers()

    @work(thread=True, exclusive=True, group="settings-ca", exit_on_error=False)
    def check_ca_bundle(self, path: str) -> None:
        problem = ca_bundle_problem(path)  # reads the file: not on the UI thread
        self.app.call_from_thread(self._note, "ca_bundle", problem)

    def _keymap_problem(self, text: str) -> str:
        keymap, unreadable = parse_keymap_text(text)
        if unreadable:
            return unreadable
        _accepted, refused = check_keymap(keymap)
        return "\n".join(f"{binding_id}: {why}" for binding_id, why in refused.items())

    # Printers: what CUPS has here, found in a worker

    @work(thread=True, exclusive=True, group="settings-printers", exit_on_error=False)
    def list_printers(self) -> None:
        queues, problem = printer_queues()
        self.app.call_from_thread(self._printers_found, queues, problem)

    def _printers_found(self, queues: list[str], problem: str) -> None:
        self.queues = queues
        self.refresh_bindings()
        if problem:
            self._note("printer", _("No printers listed: {reason}").format(reason=problem), "hint")
        else:
            self._show_printers()

    def _show_printers(self) -> None:
        if self.queues:
            note = _("Printers here: {queues} (F4 takes the next)").format(
                queues=", ".join(self.queues)
            )
        else:
            note = _("CUPS lists no printer here")
        self._note("printer", note, level="hint")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "next_printer":
            return bool(self.queues)
        if action == "choose_scanner":  # the scanning screens' chooser, where it exists
            return find_spec("counterdesk.screens.scanner") is not None
        return True

    def action_choose_scanner(self) -> None:
        """The scanner chooser lists SANE's devices and saves the one taken itself."""
        from counterdesk.screens.scanner import ScannerScreen

        def chosen(device: str | None) -> None:
            if device:
                self.query_one("#scanner_device", Input).value = device

        self.app.push_screen(ScannerScreen(), callback=chosen)

    def action_next_printer(self) -> None:
        entry = self.query_one("#printer", Input)
        current = entry.value.strip()
        at = self.queues.index(current) + 1 if current in self.queues else 0
        entry.value = self.queues[at % len(self.queues)]
        entry.focus()

    # Moving and saving

    def after_enter(self, field: Input) -> Widget | None:
        """Enter goes to the next entry; on the last one it saves."""
        current = field.id or ""
        if current in ORDER and ORDER.index(current) + 1 < len(ORDER):
            return self.query_one(f"#{ORDER[ORDER.index(current) + 1]}")
        return None

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if self.after_enter(event.input) is None:
            self.action_save()

    def values(self) -> dict[str, Any]:
        found: dict[str, Any] = {n: self.query_one(f"#{n}", Input).value for n in TEXT_ENTRIES}
        for name in ("language", "theme"):
            found[name] = self.query_one(f"#{name}", Select).value
        found["keymap"] = parse_keymap_text(self.query_one("#keymap", Input).value)[0]
        return found

    def action_save(self) -> None:
        if self.saving:
            return
        values = self.values()
        current: Settings = self.counter.settings
        changes = {k: v for k, v in values.items() if k != "language" and v != getattr(current, k)}
        if values["language"] != self.counter.ui_language:
            changes["language"] = values["language"]
        problems: dict[str, str] = {}
        keymap_problem = self._keymap_problem(self.query_one("#keymap", Input).value)
        if keymap_problem:
            problems["keymap"] = keymap_problem
        if values["theme"] and values["theme"] not in self.app.available_themes:
            problems["theme"] = _("There is no theme {name}").format(name=values["theme"])
        if not changes and not problems:
            self._say(_("Nothing changed."), error=False)
            return
        self.saving = True
        self._say(_("Saving…"), error=False)
        self.save(changes, problems)

    @work(thread=True, exclusive=True, group="settings-save", exit_on_error=False)
    def save(self, changes: dict[str, Any], problems: dict[str, str]) -> None:
        """Check every value (the CA bundle is read: here, not on the UI thread), then
        write config.toml and make the sync engine anew if the server changed."""
        problems = {**value_problems(changes, self.counter.settings.allow_http), **problems}
        try:
            if problems:
                raise SettingsRejected(problems)
            settings = save_settings(self.counter.settings, changes)
        except SettingsRejected as exc:
            self.app.call_from_thread(self.refused, exc.problems)
            return
        except (OSError, SettingsError, ValueError) as exc:
            reason = _("Nothing was saved: {reason}").format(reason=exc)
            self.app.call_from_thread(self._failed, reason)
            return
        try:
            restarted = self.services.use_settings(settings)  # blocking: stops the old engine
            if restarted and self.counter.officer is not None:
                self.services.start_sync()
        except Exception as exc:  # saved, but the engine would not start: say so, stay here
            self.app.call_from_thread(
                self._failed, _("saved, but sync cannot start: {reason}").format(reason=exc)
            )
            return
        self.app.call_from_thread(
            self._saved, SavedSettings(settings, frozenset(changes), restarted)
        )

    def refused(self, problems: dict[str, str]) -> None:
        self.saving = False
        for name in ORDER:
            self._note(name, problems.get(name, ""))
        first = next(name for name in ORDER if name in problems)
        self.query_one(f"#{first}").focus()
        self._say(_("Nothing was saved: correct what is marked in red."))

    def _failed(self, reason: str) -> None:
        self.saving = False
        self._say(reason)

    def _saved(self, saved: SavedSettings) -> None:
        self.dismiss(saved)
        apply_saved(self.counter, saved)

    def _say(self, message: str, error: bool = True) -> None:
        widget = self.query_one("#settings-message", Static)
        widget.update(message)
        widget.set_class(error, "error")

    def action_back(self) -> None:
        self.dismiss(None)
