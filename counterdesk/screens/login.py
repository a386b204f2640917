"""Signing in, and the locked screen of a shift change.

With a server, the password goes to the server; when it cannot be reached, an officer who
signed in here before is let in offline against the local verifier. The locked screen
checks the password locally (it must work offline) or lets another officer take over.
"""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Center, Vertical
from textual.widgets import Input, Static

from counterdesk.i18n import _
from counterdesk.screens.base import CounterModal, CounterScreen
from counterdesk.services.session import Officer, SignedIn, SignInError
from counterdesk.widgets.fields import FieldRow
from counterdesk.widgets.key_bar import KeyBar
from counterdesk.widgets.status_bar import StatusBar


class LoginScreen(CounterScreen):
    """Dismissed with the signed-in Officer."""

    BINDINGS = [Binding("f2", "sign_in", "Sign in", id="login.sign_in")]

    def compose(self) -> ComposeResult:
        settings = self.counter.settings
        where = settings.server_url or _("standalone counter")
        with Center(id="login-box"):
            with Vertical(classes="dialog"):
                yield Static(_("Sign in"), classes="dialog-title")
                yield Static(f"{settings.counter_name} · {where}", classes="dialog-body")
                if not settings.standalone:
                    yield FieldRow(_("Centre"), "centre", value=self.services.sign_in.centre)
                yield FieldRow(_("Name"), "username", placeholder="wang.li")
                yield FieldRow(_("Password"), "password", password=True)
                yield Static("", id="login-message")
        yield StatusBar()
        yield KeyBar()

    def on_mount(self) -> None:
        first = "#username"
        if not self.counter.settings.standalone and not self.query_one("#centre", Input).value:
            first = "#centre"
        self.query_one(first, Input).focus()

    def after_enter(self, field: Input) -> Input | None:
        """Enter in the centre or the name goes on; in the password it signs in."""
        following = {"centre": "#username", "username": "#password"}.get(field.id or "")
        return self.query_one(following, Input) if following else None

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if event.input.id == "password":
            self.action_sign_in()

    def action_sign_in(self) -> None:
        centre = (
            self.query_one("#centre", Input).value if not self.counter.settings.standalone else ""
        )
        self._say(_("Signing in…"), error=False)
        self.sign_in(
            self.query_one("#username", Input).value,
            self.query_one("#password", Input).value,
            centre,
        )

    @work(thread=True, exclusive=True, group="sign-in", exit_on_error=False)
    def sign_in(self, username: str, password: str, centre: str) -> None:
        services = self.services
        try:
            result = services.sign_in.sign_in(username, password, centre)
        except SignInError as exc:
            self.app.call_from_thread(self._failed, str(exc))
            return
        if not services.settings.standalone:
            services.mark_link(result.online, result.note)
        self.app.call_from_thread(self._signed_in, result)

    def _failed(self, reason: str) -> None:
        self._say(reason)
        password = self.query_one("#password", Input)
        password.value = ""
        password.focus()

    def _signed_in(self, result: SignedIn) -> None:
        if result.note:
            self.notify(
                _("Signed in offline: {reason}").format(reason=result.note), severity="warning"
            )
        self.dismiss(result.officer)

    def _say(self, message: str, error: bool = True) -> None:
        widget = self.query_one("#login-message", Static)
        widget.update(message)
        widget.set_class(error, "error")


class LockScreen(CounterModal):
    """Covers everything until the officer's password is given again. Dismissed with
    True when another officer takes over (switch officer), False when unlocked."""

    BINDINGS = [
        Binding("f2", "switch_officer", "Switch officer", id="lock.switch"),
        Binding("escape", "nothing", show=False, id="lock.escape"),
    ]

    def __init__(self, officer: Officer) -> None:
        super().__init__()
        self.officer = officer

    def compose(self) -> ComposeResult:
        with Center(id="lock-box"):
            with Vertical(classes="dialog"):
                yield Static(_("Locked"), classes="dialog-title")
                yield Static(
                    _("{name} is signed in at this counter.").format(name=self.officer.label),
                    classes="dialog-body",
                )
                yield FieldRow(_("Password"), "unlock-password", password=True)
                yield Static("", id="lock-message")
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one("#unlock-password", Input).focus()

    def action_nothing(self) -> None:
        """Escape does not unlock."""

    @on(Input.Submitted, "#unlock-password")
    def _unlock(self, event: Input.Submitted) -> None:
        event.stop()
        self.unlock(event.value)

    @work(thread=True, exclusive=True, group="unlock", exit_on_error=False)
    def unlock(self, password: str) -> None:
        try:
            self.services.sign_in.unlock(self.officer, password)
        except SignInError as exc:
            self.app.call_from_thread(self._failed, str(exc))
            return
        self.app.call_from_thread(self.dismiss, False)

    def _failed(self, reason: str) -> None:
        message = self.query_one("#lock-message", Static)
        message.update(reason)
        message.add_class("error")
        self.query_one("#unlock-password", Input).value = ""

    def action_switch_officer(self) -> None:
        self.dismiss(True)
