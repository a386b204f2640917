"""The App's training mode: entering and leaving it (Ctrl+T, the command palette, or
forced for a trainee), which services a screen gets, the keys counted while an exercise
runs, and the banner the status bar shows.

In training mode the App's ``services`` are the sandbox's; every screen made in training
mode keeps the sandbox's for good, and every screen made outside it the live ones (see
``CounterScreen.services``), so a live intake left open beneath never writes to the
sandbox, nor a practice intake to the live store.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from counterdesk.screens.training.banner import Banner, banner_for, current_steps

if TYPE_CHECKING:  # the training services load when training mode is first entered
    from counterdesk.app import CounterApp
    from counterdesk.services.counter import CounterServices
    from counterdesk.services.training import ScenarioRun, TrainingSandbox

TRAINEE = "trainee"
TICK_S = 0.5  # the banner's clock and hint follow the trainee this often


def training_home() -> object:
    """The training mode's base screen, imported when the mode is first entered."""
    from counterdesk.screens.training.picker import TrainingHomeScreen

    return TrainingHomeScreen()


class TrainingMode:
    def __init__(self, app: CounterApp) -> None:
        self.app = app
        self.sandbox: TrainingSandbox | None = None
        self.mode = "guided"  # guided (hints) or exam, as chosen on the picker
        self._live: CounterServices | None = None
        self._ticking = False
        self._opening = False  # the sandbox is being opened (a second Ctrl+T waits for it)
        self.seeds: list[int] = []  # practice seeds to use first (tests), else random

    # State

    @property
    def active(self) -> bool:
        return bool(self.app.training)

    @property
    def run(self) -> ScenarioRun | None:
        return self.sandbox.run if self.sandbox is not None and self.active else None

    @property
    def forced(self) -> bool:
        """A trainee works in training mode only."""
        officer = self.app.officer
        return officer is not None and officer.role == TRAINEE

    def live_services(self) -> CounterServices | None:
        return self._live if self.active else self.app.services

    def services_for(self, training: bool) -> CounterServices | None:
        if training and self.sandbox is not None:
            return self.sandbox.services
        return self.live_services()

    def can_toggle(self) -> bool:
        """Ctrl+T enters or leaves training mode: signed in, unlocked, no exercise under
        way (then Ctrl+T shows the desk), and never out of it for a trainee."""
        if self.app.officer is None or self.app.services is None:
            return False
        if self.app.locked or self.run is not None:
            return False
        return not (self.active and self.forced)

    def desk_available(self) -> bool:
        if self.run is None:  # asked for the key bar at every start: no imports before this
            return False
        from counterdesk.screens.training.brief import BriefScreen
        from counterdesk.screens.training.desk import DeskModal

        return not self.app.locked and not isinstance(self.app.screen, BriefScreen | DeskModal)

    # Entering and leaving

    async def enter(self) -> None:
        app = self.app
        if self.active or app.services is None or self._opening:
            return
        live = app.services
        self._opening = True
        try:
            if self.sandbox is None:
                from counterdesk.services.training import TrainingSandbox

                self.sandbox = await app.run_in_thread(TrainingSandbox.open, live)
            else:
                await app.run_in_thread(self.sandbox.signed_in)
        finally:
            self._opening = False
        self._live = live
        app.services = self.sandbox.services
        app.training = True
        app.set_class(True, "-training")  # every title bar in the training colour
        if not self._ticking:
            self._ticking = True
            app.set_interval(TICK_S, self._tick)
        await app.switch_mode("training")
        app.refresh_status()

    async def leave(self) -> None:
        app = self.app
        if not self.active:
            return
        self._back_to_live()
        await app.switch_mode("counter")
        app.refresh_status()

    def _back_to_live(self) -> None:
        if self.sandbox is not None:
            self.sandbox.run = None
        self.app.services = self._live
        self._live = None
        self.app.training = False
        self.app.set_class(False, "-training")

    async def sign_out(self) -> None:
        """Switch officer: back to the live services; the next officer starts afresh."""
        if self.active:
            self._back_to_live()

    async def forget_screens(self) -> None:
        """After a sign-out: the training screens go (the mode is made anew when entered)."""
        await self.app.remove_mode("training")
        self.app.add_mode("training", training_home)  # type: ignore[arg-type]

    def reset_sandbox(self) -> None:
        """Wipe the sandbox (asked first, by the picker). Blocking: call from a worker."""
        sandbox = self.sandbox
        if sandbox is None:
            return
        sandbox.reset()
        self.app.call_from_thread(self._use_sandbox_services)

    def _use_sandbox_services(self) -> None:
        if self.active and self.sandbox is not None:
            self.app.services = self.sandbox.services

    def next_seed(self) -> int:
        import secrets  # with the first exercise, not at every start

        return self.seeds.pop(0) if self.seeds else secrets.randbelow(1_000_000)

    def close(self) -> None:
        if self.sandbox is not None:
            self.sandbox.close()

    # Keys and the banner

    def key_pressed(self) -> None:
        run = self.run
        if run is not None:
            run.count_key()

    def _tick(self) -> None:
        if self.active:
            self.app.training_tick += 1

    def banner(self) -> Banner | None:
        if not self.active:
            return None
        return banner_for(self.run, self.app.clock.now(), current_steps(self.app))
