"""What the store had to repair when it opened or first read a file.

Damage is survived, not hidden: each repair leaves a note saying which file was damaged,
where it was set aside, what the store came back from and what only the server still has.
Callers log the notes and show them to the officer.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class RecoveryNote:
    file: str  # the damaged file, relative to the store folder
    damage: str  # what was wrong with it
    action: str  # what the store did (set aside where, restored from what)
    needs_server: str = ""  # what is lost locally and must come back from the server

    @property
    def message(self) -> str:
        text = f"{self.file}: {self.damage}; {self.action}"
        return f"{text}. {self.needs_server}" if self.needs_server else text

    def __str__(self) -> str:
        return self.message
