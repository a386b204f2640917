"""The command line: every command and option of ``counterdesk-server`` (docs/server.md)."""

from __future__ import annotations

import argparse

from counterdesk_server import __version__
from counterdesk_server.cli import commands, serve


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="counterdesk-server", description="The counterdesk case server."
    )
    parser.add_argument("--version", action="version", version=__version__)
    parser.add_argument(
        "--database-url",
        help="SQLAlchemy URL, e.g. postgresql+psycopg://user@host/db "
        "(default: $COUNTERDESK_SERVER_DATABASE_URL, else SQLite in the data folder)",
    )
    parser.add_argument(
        "--data-dir", help="data folder (default: $COUNTERDESK_SERVER_DATA_DIR or platformdirs)"
    )
    sub = parser.add_subparsers(title="commands", metavar="COMMAND")

    init = sub.add_parser("init", help="create the database, or migrate it to this version")
    init.set_defaults(handler=commands.init)

    centre = sub.add_parser("centre", help="centres (tenants)").add_subparsers(metavar="ACTION")
    add = centre.add_parser("add", help="add a centre")
    add.add_argument("code", help="short code printed in case numbers, e.g. JX-NANHU")
    add.add_argument("name", help="the centre's name, e.g. 南湖区行政服务中心")
    add.set_defaults(handler=commands.centre_add)
    centre.add_parser("list", help="list centres").set_defaults(handler=commands.centre_list)

    user = sub.add_parser("user", help="users of a centre").add_subparsers(metavar="ACTION")
    add = user.add_parser("add", help="add a user")
    add.add_argument("username")
    add.add_argument("--centre", required=True, help="centre code")
    add.add_argument("--role", required=True, choices=["officer", "supervisor", "trainee", "admin"])
    add.add_argument("--name", default="", help="display name")
    add.add_argument(
        "--password-stdin",
        action="store_true",
        help="read the password from the first line of standard input (else prompt)",
    )
    add.set_defaults(handler=commands.user_add)
    listing = user.add_parser("list", help="list users")
    listing.add_argument("--centre", help="only this centre")
    listing.set_defaults(handler=commands.user_list)
    for action, help_text in (
        ("disable", "disable a user: their tokens stop at once"),
        ("enable", "enable a disabled user again"),
    ):
        change = user.add_parser(action, help=help_text)
        change.add_argument("username")
        change.add_argument("--centre", required=True, help="centre code")
        change.set_defaults(
            handler=commands.user_enable if action == "enable" else commands.user_disable
        )

    catalogue = sub.add_parser("catalogue", help="the service catalogue").add_subparsers(
        metavar="ACTION"
    )
    publish = catalogue.add_parser("publish", help="check and publish a catalogue file")
    publish.add_argument("path")
    publish.add_argument(
        "--centre", action="append", help="centre code (repeatable; default: every centre)"
    )
    publish.set_defaults(handler=commands.catalogue_publish)

    decide = sub.add_parser("decide", help="record a department's decision on a case")
    decide.add_argument("case", help="case id or official number")
    verdict = decide.add_mutually_exclusive_group(required=True)
    verdict.add_argument("--approve", action="store_true")
    verdict.add_argument("--reject", action="store_true")
    decide.add_argument("--reason", required=True, help="the decision's text (required)")
    decide.add_argument("--centre", help="centre code, when case ids repeat across centres")
    decide.add_argument("--by", default="department", help="who decided (for the record)")
    decide.set_defaults(handler=commands.decide)

    run = sub.add_parser("serve", help="run the server (uvicorn)")
    run.add_argument("--host", default="127.0.0.1", help="address to listen on (127.0.0.1)")
    run.add_argument("--port", type=int, default=8000)
    run.add_argument("--workers", type=int, default=1, help="worker processes")
    run.add_argument("--certfile", help="TLS certificate chain (PEM); enables HTTPS")
    run.add_argument("--keyfile", help="TLS private key (PEM)")
    run.add_argument("--ca-certs", help="CA bundle to verify client certificates against")
    run.add_argument("--log-level", default="info")
    run.set_defaults(handler=serve.serve)

    seed = sub.add_parser("demo-seed", help="a demo centre with users, catalogue and cases")
    seed.add_argument("--centre", default="DEMO", help="centre code (DEMO)")
    seed.add_argument("--name", default="示范行政服务中心", help="centre name")
    seed.add_argument("--password", default="counterdesk-demo", help="password of every demo user")
    seed.add_argument("--catalogue", help="catalogue file (default: the bundled one)")
    seed.set_defaults(handler=commands.demo_seed)
    return parser
