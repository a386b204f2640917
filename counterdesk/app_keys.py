"""Keys typed ahead of an Enter: a fast typist or an ID card reader sends the next entry's
keys before the cursor has moved there. They are held until it has
(``TextField.action_submit`` releases them), then go where it now is. While an exercise
runs in training mode, every key pressed is counted once (held keys are posted again:
they are not counted twice)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import events
from textual.app import App
from textual.timer import Timer

if TYPE_CHECKING:
    from counterdesk.screens.training.mode import TrainingMode

HOLD_KEYS_AT_MOST_S = 2.0  # if an Enter is never answered, typed-ahead keys still arrive


class TypeAhead(App[None]):
    """The App's part that holds keys typed ahead of an Enter (a mixin of CounterApp)."""

    training_mode: TrainingMode
    _held_keys: list[events.Key] | None = None
    _hold_timer: Timer | None = None
    _replays_due = 0  # held keys posted again: counted once, when first pressed

    async def on_event(self, event: events.Event) -> None:
        """Keys that arrive while an entry handles Enter wait until the cursor has moved
        on (``TextField.action_submit`` releases them), then go where it now is."""
        if isinstance(event, events.Key) and not event.is_forwarded:
            if self._replays_due:
                self._replays_due -= 1
            else:
                self.training_mode.key_pressed()
            if self._held_keys is not None:
                self._held_keys.append(event)
                return
            from counterdesk.widgets.fields import TextField

            if event.key == "enter" and isinstance(self.focused, TextField):
                self._held_keys = []
                self._hold_timer = self.set_timer(HOLD_KEYS_AT_MOST_S, self.release_keys)
        await super().on_event(event)

    def release_keys(self) -> None:
        # The fallback timer of this Enter must not fire into the hold of a later one.
        if self._hold_timer is not None:
            self._hold_timer.stop()
            self._hold_timer = None
        held, self._held_keys = self._held_keys, None
        self._replays_due += len(held or ())
        for key in held or ():
            self.post_message(events.Key(key.key, key.character))

    # App-wide actions
