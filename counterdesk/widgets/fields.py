"""Form rows for dense, keyboard-first forms: a label, a one-line input and a note that
says, as the officer types, what is wrong with the entry (or that it is fine)."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Input, Label, Static


class TextField(Input):
    """A one-line input; its cursor blinks unless the App says not to (snapshots).

    Enter moves the cursor where the screen says (its ``after_enter(field)``), at once:
    the App holds keys typed after Enter until the move is made, so a fast typist or an
    ID card reader never types into the entry just left.
    """

    def on_mount(self) -> None:
        self.cursor_blink = bool(getattr(self.app, "cursor_blink", True))

    async def action_submit(self) -> None:
        try:
            chooser = getattr(self.screen, "after_enter", None)
            target = chooser(self) if chooser is not None else None
            if target is not None and target is not self and target.focusable:
                self.screen.set_focus(target)
            await super().action_submit()
        finally:
            release = getattr(self.app, "release_keys", None)
            if release is not None:
                release()


class FieldRow(Vertical):
    """Label, input and a note line shown only when there is something to say."""

    def __init__(
        self,
        label: str,
        field_id: str,
        *,
        value: str = "",
        placeholder: str = "",
        password: bool = False,
        hint: str = "",
        required: bool = False,
        classes: str = "",
    ) -> None:
        super().__init__(classes=f"field-row {classes}".strip(), id=f"row-{field_id}")
        self._label = label + (" *" if required else "")
        self._field_id = field_id
        self._value = value
        self._placeholder = placeholder
        self._password = password
        self._hint = hint

    def compose(self) -> ComposeResult:
        with Horizontal(classes="field-line"):
            yield Label(self._label, classes="field-label")
            yield TextField(
                value=self._value,
                placeholder=self._placeholder or self._hint,
                password=self._password,
                id=self._field_id,
                classes="field-input",
            )
        yield Static("", classes="field-note")

    @property
    def input(self) -> TextField:
        return self.query_one(TextField)

    def show_note(self, note: str, *, level: str = "error") -> None:
        """level: error (in red), pending (still typing, muted), ok (the label turns
        green, no line is spent), hint (muted)."""
        widget = self.query_one(".field-note", Static)
        self.set_class(level == "ok", "valid")
        shown = bool(note) and level != "ok"
        for name in ("error", "pending", "hint"):
            widget.set_class(shown and name == level, name)
        widget.update(Text(note) if shown else "")
