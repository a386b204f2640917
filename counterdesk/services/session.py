"""Who is at the counter: officers, their passwords checked against a local verifier, the
remembered sign-in of a shift, and locking.

- **Local verifiers.** Each officer known to this counter has an argon2id hash of their
  password, kept in the encrypted local store (store setting ``officers``; the store's
  files are sealed with the data key from the keyring). A standalone counter creates its
  officers at first run; a counter with a server refreshes an officer's verifier at every
  successful online sign-in, so that the officer can sign in and unlock offline later.
- **Online sign-in** goes to the server's ``POST /auth/token`` (``server_auth.py``); the tokens
  go to the keyring through ``credentials.py``, never to a file or the store.
- **The remembered sign-in** of a shift is kept in the keyring too: a restart within the
  shift (a crash, a power cut, quitting for a moment) goes straight back to the queue. It
  ends when the officer signs out or switches officer, and at the end of the day
  (``SESSION_HOURS`` at most).
- **Lock** hides the screen until the signed-in officer's password is given again.
"""

from __future__ import annotations

import datetime as dt
import re
import threading
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from counterdesk import credentials
from counterdesk.domain.clock import Clock
from counterdesk.i18n import _
from counterdesk.services import local_store
from counterdesk.settings import Settings
from offline import Store

if TYPE_CHECKING:  # argon2 loads with the first password, not at every start
    from argon2 import PasswordHasher

OFFICERS_SETTING = "officers"
CENTRE_SETTING = "centre"
SESSION_HOURS = 12
MIN_PASSWORD = 8
USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{0,63}$")


class SignInError(RuntimeError):
    """A sign-in or unlock that did not succeed; the message is fit to show."""


@dataclass(frozen=True)
class Officer:
    username: str
    name: str
    role: str = "officer"
    centre: str = ""

    @property
    def shown(self) -> str:
        return self.name or self.username

    @property
    def label(self) -> str:
        """Name and sign-in name, as titles show them ("王丽 (wang.li)"); the sign-in name
        alone when the server told no name."""
        return f"{self.name} ({self.username})" if self.name else self.username


@dataclass(frozen=True)
class SignedIn:
    officer: Officer
    online: bool  # the server confirmed the password just now
    note: str = ""  # e.g. why the sign-in was offline


class OfficerDirectory:
    """The officers this counter knows, with their password verifiers."""

    def __init__(self, store: Store, hasher: PasswordHasher | None = None) -> None:
        self._store = store
        self._given_hasher = hasher
        self._lock = threading.Lock()

    @property
    def _hasher(self) -> PasswordHasher:
        if self._given_hasher is None:
            from argon2 import PasswordHasher

            self._given_hasher = PasswordHasher()
        return self._given_hasher

    def _records(self) -> dict[str, dict[str, Any]]:
        return dict(self._store.setting(OFFICERS_SETTING, {}) or {})

    def officers(self) -> list[Officer]:
        return [_officer(name, record) for name, record in sorted(self._records().items())]

    def get(self, username: str) -> Officer | None:
        record = self._records().get(username)
        return _officer(username, record) if record else None

    def add(self, officer: Officer, password: str) -> Officer:
        """Create or replace an officer with this password (validated)."""
        problem = username_problem(officer.username) or password_problem(password)
        if problem:
            raise SignInError(problem)
        self._put(officer, self._hasher.hash(password))
        return officer

    def remember_password(self, officer: Officer, password: str) -> None:
        """After a successful online sign-in: keep a verifier for offline sign-in."""
        self._put(officer, self._hasher.hash(password))

    def _put(self, officer: Officer, verifier: str) -> None:
        with self._lock:
            records = self._records()
            record = {**asdict(officer), "verifier": verifier}
            record.pop("username")
            records[officer.username] = record
            self._store.set_setting(OFFICERS_SETTING, records)

    def verify(self, username: str, password: str) -> Officer:
        from argon2.exceptions import InvalidHashError, VerificationError

        record = self._records().get(username.strip())
        verifier = record.get("verifier") if record else None
        try:
            ok = bool(verifier) and self._hasher.verify(verifier, password)
        except (VerificationError, InvalidHashError):
            ok = False
        if not ok or record is None:
            raise SignInError(_("Wrong name or password."))
        return _officer(username.strip(), record)


def _officer(username: str, record: dict[str, Any]) -> Officer:
    return Officer(
        username=username,
        name=str(record.get("name", "")),
        role=str(record.get("role", "officer")),
        centre=str(record.get("centre", "")),
    )


def username_problem(username: str) -> str:
    if not USERNAME.match(username):
        return _(
            "A sign-in name is lower-case letters, digits, dots, dashes or underscores "
            "(e.g. wang.li)."
        )
    return ""


def password_problem(password: str) -> str:
    if len(password) < MIN_PASSWORD:
        return _("A password has at least {n} characters.").format(n=MIN_PASSWORD)
    return ""


class SessionKeeper:
    """The remembered sign-in of a shift, and the server tokens, in the keyring."""

    def __init__(self, settings: Settings, data_dir: Path, clock: Clock) -> None:
        self._settings = settings
        self._data_dir = data_dir
        self._clock = clock
        base = local_store.key_profile(data_dir)
        self._session_profile = f"{base}-session"
        self._server_profile = f"{base}-server"

    def _where(self) -> dict[str, Any]:
        return {
            "key_storage": self._settings.key_storage,
            "secrets_dir": local_store.secrets_folder(self._data_dir),
        }

    def remember(self, officer: Officer, online: bool) -> None:
        """Start the shift's sign-in (unlocked)."""
        now = self._clock.now()
        midnight = dt.datetime.combine(now.date() + dt.timedelta(days=1), dt.time(), now.tzinfo)
        expires = min(now + dt.timedelta(hours=SESSION_HOURS), midnight)
        record = {
            "username": officer.username,
            "started": now.isoformat(),
            "expires": expires.isoformat(),
            "online": "yes" if online else "no",
            "locked": "no",
        }
        credentials.store_tokens(self._session_profile, record, **self._where())

    def set_locked(self, locked: bool) -> None:
        """A locked screen stays locked across a restart: quitting is no way around it."""
        record = self._valid_record()
        if record is not None:
            record["locked"] = "yes" if locked else "no"
            credentials.store_tokens(self._session_profile, record, **self._where())

    def recall(self) -> tuple[str, bool] | None:
        """The officer signed in for this shift and whether the screen was locked, if the
        sign-in has not expired."""
        record = self._valid_record()
        if record is None or not record.get("username"):
            return None
        return record["username"], record.get("locked") == "yes"

    def _valid_record(self) -> dict[str, str] | None:
        record = credentials.get_tokens(self._session_profile, **self._where())
        if not record:
            return None
        try:
            expires = dt.datetime.fromisoformat(record["expires"])
            started = dt.datetime.fromisoformat(record["started"])
        except (KeyError, ValueError):
            return None
        if not started <= self._clock.now() < expires:
            return None
        return dict(record)

    def forget(self) -> None:
        credentials.clear_tokens(self._session_profile, **self._where())
        credentials.clear_tokens(self._server_profile, **self._where())

    def keep_server_tokens(self, username: str, tokens: dict[str, str]) -> None:
        """The server sign-in, in the entry the sync engine reads (sync_runner.KeyringTokens)."""
        credentials.store_tokens(
            self._server_profile, {**tokens, "username": username}, **self._where()
        )

    def server_tokens(self) -> dict[str, str] | None:
        return credentials.get_tokens(self._server_profile, **self._where())


SignInFunction = Callable[..., Any]  # server_auth.sign_in, or a stand-in in tests


class SignInService:
    """Sign in, unlock and sign out; with a server when one is configured."""

    def __init__(
        self,
        settings: Settings,
        store: Store,
        officers: OfficerDirectory,
        sessions: SessionKeeper,
        server_sign_in: SignInFunction | None = None,
    ) -> None:
        self.settings = settings
        self.store = store
        self.officers = officers
        self.sessions = sessions
        self._server_sign_in = server_sign_in

    @property
    def centre(self) -> str:
        return str(self.store.setting(CENTRE_SETTING, "") or "")

    def sign_in(self, username: str, password: str, centre: str = "") -> SignedIn:
        """Check the password (at the server when there is one) and remember the sign-in.
        Blocking (argon2, keyring, network): call it from a worker thread."""
        username = username.strip()
        if not username or not password:
            raise SignInError(_("Enter your name and password."))
        if self.settings.standalone:
            officer = self.officers.verify(username, password)
            self.sessions.remember(officer, online=False)
            return SignedIn(officer, online=False)
        centre = centre.strip() or self.centre
        if not centre:
            raise SignInError(_("Enter the centre code."))
        from counterdesk.services import server_auth  # httpx: only for a counter with a server

        sign_in = self._server_sign_in or server_auth.sign_in
        try:
            answer = sign_in(
                self.settings.server_url,
                centre,
                username,
                password,
                verify=self.settings.ca_bundle or True,
            )
        except server_auth.SignInRefused as exc:
            raise SignInError(str(exc)) from exc
        except server_auth.ServerUnreachable as exc:
            known = self.officers.get(username)
            if known is None:
                raise SignInError(
                    _(
                        "{reason} Offline sign-in works only for officers who signed in here before."
                    ).format(reason=str(exc))
                ) from exc
            officer = self.officers.verify(username, password)
            self.sessions.remember(officer, online=False)
            return SignedIn(officer, online=False, note=str(exc))
        known = self.officers.get(answer.username)
        officer = Officer(answer.username, known.name if known else "", answer.role, answer.centre)
        self.officers.remember_password(officer, password)
        if centre != self.centre:
            self.store.set_setting(CENTRE_SETTING, centre)
        self.sessions.keep_server_tokens(officer.username, answer.tokens)
        self.sessions.remember(officer, online=True)
        return SignedIn(officer, online=True)

    def resume(self) -> tuple[Officer, bool] | None:
        """The officer whose sign-in this shift is still valid, and whether the screen
        was locked, if any."""
        recalled = self.sessions.recall()
        if recalled is None:
            return None
        officer = self.officers.get(recalled[0])
        return (officer, recalled[1]) if officer else None

    def lock(self) -> None:
        self.sessions.set_locked(True)

    def unlock(self, officer: Officer, password: str) -> Officer:
        """The locked screen's password check: always local, so it works offline."""
        checked = self.officers.verify(officer.username, password)
        self.sessions.set_locked(False)
        return checked

    def sign_out(self) -> None:
        self.sessions.forget()
