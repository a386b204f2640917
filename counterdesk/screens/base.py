"""What every counter screen shares: translated key descriptions, the status bar and the
footer, and short access to the App's services and signed-in officer.

A screen keeps to the world it was made in: made in training mode it gets the sandbox's
services for good, made outside it the live ones, whatever mode the App is in when one of
its workers runs (a live intake left open beneath training never writes to the sandbox).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual import on
from textual.screen import ModalScreen, Screen
from textual.worker import Worker

from counterdesk.i18n import translate_bindings

if TYPE_CHECKING:
    from counterdesk.app import CounterApp
    from counterdesk.services.counter import CounterServices
    from counterdesk.services.session import Officer


def _made_in_training() -> bool:
    from textual._context import active_app

    try:
        return bool(getattr(active_app.get(), "training", False))
    except LookupError:  # made outside a running App (help tables, tests)
        return False


def _services_of(screen: Any, training: bool) -> CounterServices:
    app = screen.app
    chooser = getattr(app, "services_for", None)
    services = chooser(training) if chooser is not None else app.services
    assert services is not None, "services are opened before any counter screen"
    return services  # type: ignore[no-any-return]


class CounterScreen(Screen[Any]):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        translate_bindings(self)
        self.in_training = _made_in_training()

    @on(Worker.StateChanged)
    def _worker_changed(self, event: Worker.StateChanged) -> None:
        """A screen's workers report to the screen: pass failures to the App's one handler."""
        self.counter.worker_failed(event)

    @property
    def counter(self) -> CounterApp:
        return self.app  # type: ignore[return-value]

    @property
    def services(self) -> CounterServices:
        return _services_of(self, self.in_training)

    @property
    def officer(self) -> Officer:
        officer = self.counter.officer
        assert officer is not None, "this screen needs a signed-in officer"
        return officer


class CounterModal(ModalScreen[Any]):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        translate_bindings(self)
        self.in_training = _made_in_training()

    @on(Worker.StateChanged)
    def _worker_changed(self, event: Worker.StateChanged) -> None:
        self.counter.worker_failed(event)

    @property
    def counter(self) -> CounterApp:
        return self.app  # type: ignore[return-value]

    @property
    def services(self) -> CounterServices:
        return _services_of(self, self.in_training)
