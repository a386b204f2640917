"""First run: the server (or standalone), this counter's name and, for a standalone counter,
its first officer. What is written, and where, is ``services/setup.py``'s business."""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Input, Static

from counterdesk.i18n import _
from counterdesk.screens.base import CounterScreen
from counterdesk.services.session import Officer, password_problem, username_problem
from counterdesk.services.setup import FirstRunAnswers, server_url_problem, write_first_run_config
from counterdesk.widgets.fields import FieldRow
from counterdesk.widgets.key_bar import KeyBar
from counterdesk.widgets.status_bar import StatusBar

ORDER = ("server_url", "counter_name", "centre_name", "username", "name", "password", "again")


class SetupScreen(CounterScreen):
    BINDINGS = [Binding("f2", "save", "Save and start", id="setup.save")]

    def compose(self) -> ComposeResult:
        settings = self.counter.settings
        with Vertical(classes="dialog wide"):
            yield Static(_("First run: set up this counter"), classes="dialog-title")
            with VerticalScroll(classes="form"):
                yield FieldRow(
                    _("Server"),
                    "server_url",
                    value=settings.server_url,
                    placeholder=_("empty: a standalone counter"),
                    hint=_("The centre's case server, e.g. https://zwfw.example.gov.cn"),
                )
                yield FieldRow(
                    _("Counter"),
                    "counter_name",
                    value=settings.counter_name,
                    placeholder="3号窗口",
                    required=True,
                )
                yield FieldRow(_("Centre"), "centre_name", value=settings.centre_name)
                yield Static(_("First officer of this counter"), classes="section standalone")
                yield FieldRow(
                    _("Sign-in name"), "username", placeholder="wang.li", classes="standalone"
                )
                yield FieldRow(_("Full name"), "name", placeholder="王丽", classes="standalone")
                yield FieldRow(_("Password"), "password", password=True, classes="standalone")
                yield FieldRow(_("Again"), "again", password=True, classes="standalone")
            yield Static("", id="setup-message")
        yield StatusBar()
        yield KeyBar()

    def on_mount(self) -> None:
        self._show_standalone_part()
        self.query_one("#server_url", Input).focus()

    @on(Input.Changed, "#server_url")
    def _server_changed(self, event: Input.Changed) -> None:
        problem = server_url_problem(event.value, self.counter.settings.allow_http)
        self.query_one("#row-server_url", FieldRow).show_note(problem, level="error")
        self._show_standalone_part()

    def _standalone(self) -> bool:
        return not self.query_one("#server_url", Input).value.strip()

    def _show_standalone_part(self) -> None:
        for widget in self.query(".standalone"):
            widget.display = self._standalone()

    def _visible(self) -> list[str]:
        return [name for name in ORDER if self.query_one(f"#row-{name}").display]

    def after_enter(self, field: Input) -> Input | None:
        """Enter goes to the next question; on the last one it saves."""
        visible = self._visible()
        current = field.id or ""
        if current in visible and visible.index(current) + 1 < len(visible):
            return self.query_one(f"#{visible[visible.index(current) + 1]}", Input)
        return None

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if self.after_enter(event.input) is None:
            self.action_save()

    def _value(self, name: str) -> str:
        return self.query_one(f"#{name}", Input).value

    def action_save(self) -> None:
        answers = FirstRunAnswers(
            server_url=self._value("server_url"),
            counter_name=self._value("counter_name"),
            centre_name=self._value("centre_name"),
        )
        officer = None
        if self._standalone():
            password = self._value("password")
            problem = username_problem(self._value("username")) or password_problem(password)
            if not problem and password != self._value("again"):
                problem = _("The two passwords differ.")
            if problem:
                self._say(problem)
                return
            officer = Officer(self._value("username"), self._value("name").strip())
        self.save(answers, officer, self._value("password"))

    def _say(self, message: str, error: bool = True) -> None:
        widget = self.query_one("#setup-message", Static)
        widget.update(message)
        widget.set_class(error, "error")

    @work(thread=True, exclusive=True, group="setup", exit_on_error=False)
    def save(self, answers: FirstRunAnswers, officer: Officer | None, password: str) -> None:
        services = self.services
        try:
            settings = write_first_run_config(answers, self.counter.settings)
            if officer is not None:
                services.officers.add(officer, password)
            services.use_settings(settings)  # blocking: the sync engine, with a server
        except (ValueError, OSError, RuntimeError) as exc:
            self.app.call_from_thread(self._say, str(exc))
            return
        self.app.call_from_thread(self._saved, settings)

    def _saved(self, settings: object) -> None:
        self.counter.settings = settings  # type: ignore[assignment]
        self.dismiss(True)
