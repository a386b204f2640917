"""The printer queues this PC's CUPS has, offered on the settings screen. Blocking (it
runs ``lpstat``): call it from a worker."""

from __future__ import annotations

from counterdesk.forms.cups import Cups, CupsError
from counterdesk.i18n import bilingual


def printer_queues() -> tuple[list[str], str]:
    """(the queue names, "" or why none could be listed) in the officer's language."""
    try:
        return Cups(timeout=5.0).queues(), ""
    except CupsError as exc:
        return [], bilingual(exc.reason)
