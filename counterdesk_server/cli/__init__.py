"""``counterdesk-server``: set up and run the case server from a shell.

Every command works on the database named by ``--database-url`` (else
``COUNTERDESK_SERVER_DATABASE_URL``, else an SQLite file in the data folder). Exit status:
0 done, 1 refused (the message says why), 2 bad input (every problem listed).
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

from counterdesk_server.cli.parser import build_parser
from counterdesk_server.services.errors import ServiceError
from counterdesk_server.settings import SettingsError


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "handler", None):
        parser.print_help()
        return 2
    try:
        return int(args.handler(args) or 0)
    except (ServiceError, SettingsError) as exc:
        print(f"counterdesk-server: {exc}", file=sys.stderr)
        detail = getattr(exc, "detail", None)
        if isinstance(detail, list):
            for line in detail:
                print(f"  {line}", file=sys.stderr)
        return 2 if getattr(exc, "status", 0) == 422 else 1
    except KeyboardInterrupt:
        return 130
