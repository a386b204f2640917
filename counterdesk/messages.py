"""Messages that cross screens; a widget's own messages are declared in the widget."""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message

from counterdesk.services.connectivity import ConnectivityState
from counterdesk.services.print_status import PrintSummary


@dataclass
class StatusRefreshed(Message):
    """The link and the print queue as they stand (posted by the App's status worker)."""

    link: ConnectivityState
    printing: PrintSummary


@dataclass
class CaseSaved(Message):
    """A case was saved at this counter: queues refresh, papers are printed."""

    case_id: str
    number: str
    outcome: str


@dataclass
class WorkFailed(Message):
    """Something running in the background failed; shown in the status bar."""

    where: str
    reason: str


@dataclass
class SyncFinished(Message, bubble=False):
    """A sync with the server ended (posted from the sync engine's thread): the queue and
    an open case read the store again, since it may have brought changes. It does not
    bubble: the App hands it to the screen on top, which must not hand it back."""

    online: bool
    error: str = ""


# Notices of the sync that a case changed hands (services/board_notices.py, and the engine's
# handovers of offline work): the App tells the officer at once.
REASSIGNMENT_NOTICES = ("reassign_in", "reassign_out", "handover_in", "handover_out")


@dataclass
class CaseReassigned(Message):
    """A supervisor moved a case to or away from this officer (posted from the sync
    thread), or their offline changes to it were handed over."""

    case_id: str
    kind: str
    text: str
