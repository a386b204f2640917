"""What ``counterdesk`` does with no subcommand.

Until the counter screen exists this explains the headless commands available.
"""

from __future__ import annotations

import argparse


def run_default(args: argparse.Namespace) -> int:
    from counterdesk.cli import build_parser

    build_parser().print_help()
    print(
        "\nThe counter screen (terminal UI) is not built yet; the headless commands above "
        "work today. See docs/cli.md."
    )
    return 0
