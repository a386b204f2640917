"""What ``counterdesk`` does with no subcommand: the counter screen.

Settings are built once by the command line and passed in; the App opens the local store
itself (in a worker) and asks for first-run setup or a sign-in as needed.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from counterdesk.settings import Settings


def run_default(settings: Settings) -> int:
    """The counter screen with these settings, when there is a terminal to show it."""
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        from counterdesk.cli import build_parser

        build_parser().print_help()
        print("\nThe counter screen needs a terminal; the commands above work without one.")
        return 2
    return run_counter(settings)


def run_counter(settings: object, *, data_dir: Path | None = None) -> int:
    """Run the counter screen until the officer quits; the demo calls this too.

    ``COUNTERDESK_READY_FILE`` (the bench) makes the App write a timestamp there and exit
    as soon as the queue is on screen.
    """
    from counterdesk.app import CounterApp

    if getattr(settings, "scanner_device", ""):
        from counterdesk.screens.preview import prepare_terminal_images

        prepare_terminal_images()  # it asks the terminal, which only works before the App
    ready = os.environ.get("COUNTERDESK_READY_FILE")
    app = CounterApp(
        settings,  # type: ignore[arg-type]
        data_dir=data_dir,
        ready_file=Path(ready) if ready else None,
    )
    try:
        app.run()
    finally:
        app.close_services()
    return int(app.return_code or 0)
