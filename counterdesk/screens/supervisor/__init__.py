"""The supervisor mode (Ctrl+B, supervisors only): the board of every open case, officers'
load, reassignment with a reason, trainees' progress and the daily centre report."""

from __future__ import annotations


def board_home() -> object:
    """The mode's base screen, made when the mode is first entered."""
    from counterdesk.screens.supervisor.board import BoardScreen

    return BoardScreen()
