"""The ``counterdesk`` command line: subcommands for scripts and outside tools.

Each subcommand lives in its own module under ``counterdesk.commands`` and exposes
``register(subparsers)``. Modules are imported only when the parser is built, and each
imports what it needs inside ``run`` so that ``counterdesk check`` starts fast.
"""

from __future__ import annotations

import importlib
import sys
from typing import TYPE_CHECKING

from counterdesk import __version__

if TYPE_CHECKING:  # argparse loads for subcommands only: the counter screen starts sooner
    import argparse

    from counterdesk.settings import Settings

COMMAND_MODULES = (
    "counterdesk.commands.check",
    "counterdesk.commands.catalogue",
    "counterdesk.commands.print_doc",
    "counterdesk.commands.recover",
    "counterdesk.commands.officer",
)


def build_parser() -> argparse.ArgumentParser:
    import argparse

    parser = argparse.ArgumentParser(
        prog="counterdesk",
        description="All-in-one counter software for one-visit government service centres.",
    )
    parser.add_argument("--version", action="version", version=f"counterdesk {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:  # a missing dependency is a real error, not an absent command
                raise
            continue
        module.register(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    given = sys.argv[1:] if argv is None else argv
    # The counter screen (no arguments) builds no parser: it starts sooner without one.
    args = build_parser().parse_args(given) if given else None
    settings = _settings_and_logging()
    if args is None or not getattr(args, "func", None):
        from counterdesk.commands.default import run_default

        return run_default(settings)
    args.settings = settings
    try:
        return int(args.func(args))
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0


def _settings_and_logging() -> Settings:
    """Settings and file logging for every command. A broken settings file or log folder
    is reported but does not stop headless commands such as ``check``."""
    from counterdesk.logs import setup_logging
    from counterdesk.settings import Settings, SettingsError, load_settings

    try:
        settings = load_settings()
    except SettingsError as exc:
        print(f"warning: {exc}; using default settings", file=sys.stderr)
        settings = Settings()
    try:
        setup_logging(settings.log_level)
    except (OSError, ValueError) as exc:
        print(f"warning: cannot write the log file: {exc}", file=sys.stderr)
    return settings


if __name__ == "__main__":
    sys.exit(main())
