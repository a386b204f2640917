"""Choosing the scanner once (saved as ``scanner_device`` in config.toml), and asking which
folder to import files from (a document camera's; saved as ``scan_folder``).

The list comes from ``scanimage -L`` in a worker: network scanners can take seconds to
answer, and a missing scanimage or no scanner at all is said plainly with what to do.
"""

from __future__ import annotations

from typing import Any

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from counterdesk.i18n import _
from counterdesk.screens.base import CounterModal
from counterdesk.services.scanning import ScannerDevice, ScanProblem, list_devices
from counterdesk.widgets.fields import FieldRow
from counterdesk.widgets.key_bar import KeyBar


def save_setting(app: Any, name: str, value: str) -> None:
    """Write one setting to config.toml and use it at once (blocking: from a worker)."""
    from counterdesk.services.settings_file import save_settings

    services = app.services
    settings = save_settings(services.settings, {name: value})
    services.settings = settings
    app.settings = settings
    if name == "scanner_device":
        services.attachments.device = value


class ScannerScreen(CounterModal):
    """Which scanner this counter uses; dismisses with the device's name (or None)."""

    CSS_PATH = "scanning.tcss"
    BINDINGS = [
        Binding("escape", "cancel", "Back", id="scanner.cancel"),
        Binding("f5", "look_again", "Look again", id="scanner.refresh"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.devices: list[ScannerDevice] = []
        self.looking = False

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide", id="scanner-dialog"):
            yield Static(_("Choose the scanner"), classes="dialog-title")
            yield Static("", id="scanner-current", classes="dialog-body")
            yield OptionList(id="scanner-list")
            yield Static("", id="scanner-note", classes="dialog-keys")
        yield KeyBar()

    def on_mount(self) -> None:
        current = self.services.settings.scanner_device
        self.query_one("#scanner-current", Static).update(
            _("Now: {device}").format(device=current) if current else _("No scanner chosen yet.")
        )
        self.action_look_again()

    def action_look_again(self) -> None:
        if self.looking:
            return
        self.looking = True
        self.query_one("#scanner-note", Static).update(_("Looking for scanners…"))
        self.find_devices()

    @work(thread=True, exclusive=True, group="scanner-list", exit_on_error=False)
    def find_devices(self) -> None:
        try:
            devices = list_devices()
        except ScanProblem as exc:
            self.app.call_from_thread(self._show, [], str(exc))
            return
        self.app.call_from_thread(self._show, devices, "")

    def _show(self, devices: list[ScannerDevice], problem: str) -> None:
        self.looking = False
        self.devices = devices
        options = self.query_one("#scanner-list", OptionList)
        options.clear_options()
        current = self.services.settings.scanner_device
        for device in devices:
            mark = "● " if device.name == current else "  "
            options.add_option(Option(f"{mark}{device.name}  {device.label}", id=device.name))
        note = problem or (
            _("Enter chooses; F5 looks again.")
            if devices
            else _("No scanner found: check that it is plugged in and switched on, then F5.")
        )
        self.query_one("#scanner-note", Static).update(note)
        if devices:
            options.highlighted = next((i for i, d in enumerate(devices) if d.name == current), 0)
            options.focus()

    @on(OptionList.OptionSelected, "#scanner-list")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id:
            self.save(event.option.id)

    @work(thread=True, exclusive=True, group="scanner-save", exit_on_error=False)
    def save(self, device: str) -> None:
        try:
            save_setting(self.app, "scanner_device", device)
        except (OSError, ValueError) as exc:
            self.app.call_from_thread(self.notify, str(exc), title=_("Not saved"), severity="error")
            return
        self.app.call_from_thread(self._saved, device)

    def _saved(self, device: str) -> None:
        self.notify(_("Scanner {device} chosen.").format(device=device), title=_("Scans"))
        self.dismiss(device)

    def action_cancel(self) -> None:
        self.dismiss(None)


class ImportFolderModal(CounterModal):
    """The folder to import a line's files from; dismisses with its path (or None)."""

    CSS_PATH = "scanning.tcss"
    BINDINGS = [Binding("escape", "cancel", "Back", id="import.cancel")]

    def __init__(self, material_name: str) -> None:
        super().__init__()
        self.material_name = material_name

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide"):
            yield Static(_("Import files"), classes="dialog-title")
            yield Static(
                _(
                    "PDF, JPEG and PNG files of the folder become pages of: {material}. "
                    "They are deleted from the folder once kept (sealed) on this counter."
                ).format(material=self.material_name),
                classes="dialog-body",
            )
            yield FieldRow(_("Folder"), "import-folder", value=self.services.settings.scan_folder)
            yield Static(_("Enter imports; Esc goes back."), classes="dialog-keys")
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one("#import-folder", Input).focus()

    @on(Input.Submitted, "#import-folder")
    def _confirm(self, event: Input.Submitted) -> None:
        event.stop()
        folder = event.value.strip()
        if not folder:
            self.query_one("#row-import-folder", FieldRow).show_note(_("Required."))
            return
        if folder != self.services.settings.scan_folder:
            # The App's worker: this dialog is gone before the file is written.
            self.app.run_worker(
                lambda: save_setting(self.app, "scan_folder", folder),
                thread=True,
                group="scan-folder-save",
                exit_on_error=False,
            )
        self.dismiss(folder)

    def action_cancel(self) -> None:
        self.dismiss(None)
