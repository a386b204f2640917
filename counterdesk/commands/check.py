"""``counterdesk check``: the completeness check for outside tools (catalogue-format.md).

Reads one JSON request on standard input, prints one JSON answer, exits 0 whatever the
outcome; a bad request or catalogue is exit 2 with a one-line reason on standard error.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys

from counterdesk.commands.output import err, out

log = logging.getLogger(__name__)


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "check",
        help="check a request (JSON on stdin) against the catalogue",
        description="Read one check request as JSON on standard input and print the answer.",
    )
    parser.add_argument(
        "--catalogue", metavar="PATH", help="catalogue file (default: cached, else bundled)"
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from counterdesk.domain.catalogue import CatalogueError, load_catalogue
    from counterdesk.domain.checklist import RequestError, check_request
    from counterdesk.domain.clock import SystemClock
    from counterdesk.domain.jsonread import JsonSyntaxError, read_json

    if args.catalogue:
        path = args.catalogue
    else:
        from counterdesk.services.catalogue_source import current_catalogue_path

        path = current_catalogue_path()
    try:
        catalogue = load_catalogue(path)
    except CatalogueError as exc:
        err(f"invalid catalogue {exc.source}: {exc.problems[0]}")
        return 2
    try:
        request = read_json(sys.stdin.buffer.read())
        result = check_request(catalogue, request, today=SystemClock().today())
    except (JsonSyntaxError, RequestError) as exc:
        err(f"bad request: {exc}")
        return 2
    log.info("check %s: %s", result.target, result.outcome)
    out(json.dumps(result.to_json(), ensure_ascii=False))
    return 0
