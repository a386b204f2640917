"""``counterdesk recover``: get a counter's data key back after its keyring was lost.

The local store's data key is also kept wrapped with the centre's recovery passphrase in
``recovery.json`` beside the store. An administrator enrolls it once (``--enroll``) and,
after a keyring loss, unwraps it, checks it opens the store, says what the store holds
that the server may not have yet, and puts the key back in the keyring.
"""

from __future__ import annotations

import argparse
import getpass
import logging
import sys
from pathlib import Path

from counterdesk.commands.output import err, out

log = logging.getLogger(__name__)


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "recover",
        help="restore the local store's data key with the centre's recovery passphrase",
        description="Unwrap the data key from recovery.json with the administrator's recovery "
        "passphrase and put it back in the system keyring; with --enroll, write recovery.json "
        "from the key the keyring holds now.",
    )
    parser.add_argument(
        "--data-dir", metavar="DIR", help="the counter's data folder (default: this profile's)"
    )
    parser.add_argument(
        "--passphrase-file",
        metavar="FILE",
        help="read the passphrase from FILE (default: ask in the terminal)",
    )
    parser.add_argument(
        "--enroll",
        action="store_true",
        help="wrap the current data key with a new recovery passphrase",
    )
    parser.add_argument(
        "--dry-run",
        action="store_true",
        help="check the passphrase and report, but leave the keyring alone",
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from counterdesk import locations
    from counterdesk.credentials import KeyringUnavailable
    from counterdesk.services import local_store
    from counterdesk.settings import Settings
    from offline import RecoveryError, Store, StoreError
    from offline.header import read_public_header
    from offline.recovery import BACKUP_FILE, RECOVERY_FILE, damage_in, recover_key

    settings = getattr(args, "settings", None)
    if not isinstance(settings, Settings):
        settings = Settings()
    data_dir = Path(args.data_dir) if args.data_dir else locations.data_dir()
    folder = local_store.store_folder(data_dir)
    if not Store.exists(folder):
        err(f"there is no local store in {folder}")
        return 2
    passphrase = _passphrase(args.passphrase_file, confirm=args.enroll)
    if passphrase is None:
        return 2
    try:
        if args.enroll:
            path = local_store.enroll_recovery(passphrase, settings, data_dir=data_dir)
            out(f"recovery key written to {path}; keep the passphrase with the centre's records")
            return 0
        public = read_public_header(folder)
        key = recover_key(folder, passphrase, public.store_id if public else None)
        with Store.open(folder, key, create=False) as store:
            stats = store.stats()
            notes = [note.message for note in store.recovery_notes]
        if not args.dry_run:
            local_store.save_key(key, settings, data_dir)
    except (RecoveryError, StoreError, local_store.LocalStoreError, KeyringUnavailable) as exc:
        err(str(exc))
        return 2
    except ValueError as exc:  # a passphrase too short to enroll
        err(str(exc))
        return 2
    for note in notes:
        err(f"repaired: {note}")
    for name in (RECOVERY_FILE, BACKUP_FILE):
        why = damage_in(folder / name) if (folder / name).exists() else None
        if why:
            err(f"warning: {folder / name} is damaged ({why}); enroll again with --enroll")
    where = "key file" if settings.key_storage == "file" else "system keyring"
    done = "nothing was changed (dry run)" if args.dry_run else f"the key is back in the {where}"
    log.info("recovered the data key of %s (%s)", folder, "dry run" if args.dry_run else "stored")
    out(
        f"recovered the data key of the local store in {folder}: "
        f"{stats['open_cases']} open cases, {stats['drafts']} drafts, "
        f"{stats['outbox_pending']} operations not yet synced, "
        f"{stats['outbox_rejected']} refused by the server; {done}"
    )
    return 0


def _passphrase(path: str | None, *, confirm: bool) -> str | None:
    if path:
        try:
            return Path(path).read_text(encoding="utf-8").rstrip("\r\n")
        except OSError as exc:
            err(f"cannot read the passphrase file: {exc}")
            return None
    if not sys.stdin.isatty():
        err("give the recovery passphrase with --passphrase-file FILE, or run in a terminal")
        return None
    first = getpass.getpass("recovery passphrase: ")
    if confirm and getpass.getpass("again: ") != first:
        err("the two passphrases differ")
        return None
    return first
