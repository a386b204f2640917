"""What every counter screen shares: translated key descriptions, the status bar and the
footer, and short access to the App's services and signed-in officer."""

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


class CounterScreen(Screen[Any]):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        translate_bindings(self)

    @on(Worker.StateChanged)
    def _worker_changed(self, event: Worker.StateChanged) -> None:
        """A screen's workers report to the screen: pass failures to the App's one handler."""
        self.counter.worker_failed(event)

    @property
    def counter(self) -> CounterApp:
        return self.app  # type: ignore[return-value]

    @property
    def services(self) -> CounterServices:
        services = self.counter.services
        assert services is not None, "services are opened before any counter screen"
        return services

    @property
    def officer(self) -> Officer:
        officer = self.counter.officer
        assert officer is not None, "this screen needs a signed-in officer"
        return officer


class CounterModal(ModalScreen[Any]):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        translate_bindings(self)

    @on(Worker.StateChanged)
    def _worker_changed(self, event: Worker.StateChanged) -> None:
        self.counter.worker_failed(event)

    @property
    def counter(self) -> CounterApp:
        return self.app  # type: ignore[return-value]

    @property
    def services(self) -> CounterServices:
        services = self.counter.services
        assert services is not None
        return services
