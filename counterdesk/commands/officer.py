"""``counterdesk officer``: the officers of a standalone counter, and who is a trainee.

A counter with a server takes its officers and their roles from the server at sign-in; a
standalone counter keeps its own (first run makes the first). This adds another, or
replaces one's password and role: a trainee (``--trainee``) signs in to training mode
and cannot leave it (``docs/training.md``). The counter must be closed meanwhile (its
store is locked while it runs).
"""

from __future__ import annotations

import argparse
import getpass
from pathlib import Path

from counterdesk.commands.output import err, out


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "officer",
        help="add or list a standalone counter's officers (and mark trainees)",
        description="Officers of a standalone counter: add one (or give one a new password "
        "and role), or list them. A trainee works in training mode only.",
    )
    actions = parser.add_subparsers(dest="officer_action", metavar="ACTION", required=True)
    add = actions.add_parser("add", help="add an officer, or replace one's password and role")
    add.add_argument("username", help="sign-in name: lower-case letters, digits, . - _")
    add.add_argument("--name", default="", help="full name, as shown on screen")
    add.add_argument(
        "--trainee", action="store_true", help="a trainee: training mode only (default: officer)"
    )
    add.add_argument(
        "--password-file",
        metavar="FILE",
        help="read the password from FILE (default: ask in the terminal, twice)",
    )
    listing = actions.add_parser("list", help="the officers and their roles")
    for sub in (add, listing):
        sub.add_argument(
            "--data-dir", metavar="DIR", help="the counter's data folder (default: this profile's)"
        )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from counterdesk.domain.clock import SystemClock
    from counterdesk.services.counter import open_counter
    from counterdesk.services.session import Officer, SignInError
    from counterdesk.settings import Settings

    settings = getattr(args, "settings", None)
    if not isinstance(settings, Settings):
        settings = Settings()
    if not settings.standalone:
        err(
            "this counter signs in at a server: officers and their roles are kept there "
            "(counterdesk-server user add)"
        )
        return 2
    password = ""
    if args.officer_action == "add":
        password = _password(args.password_file)
        if password is None:
            return 2
    data_dir = Path(args.data_dir) if args.data_dir else None
    try:
        services = open_counter(settings, SystemClock(), data_dir=data_dir)
    except Exception as exc:  # locked by the running counter, keyring missing: said plainly
        err(f"cannot open the counter's store: {exc}")
        return 2
    try:
        if args.officer_action == "list":
            for officer in services.officers.officers():
                out(f"{officer.username}\t{officer.role}\t{officer.name}")
            return 0
        role = "trainee" if args.trainee else "officer"
        try:
            officer = services.officers.add(Officer(args.username, args.name, role), password)
        except SignInError as exc:
            err(str(exc))
            return 2
        out(f"{officer.username}: {officer.role}")
        return 0
    finally:
        services.close()


def _password(path: str | None) -> str | None:
    if path:
        try:
            return Path(path).read_text(encoding="utf-8").strip("\r\n")
        except OSError as exc:
            err(f"cannot read {path}: {exc}")
            return None
    first = getpass.getpass("password: ")
    if first != getpass.getpass("again: "):
        err("the two passwords differ")
        return None
    return first
