"""The data key wrapped with the centre's recovery passphrase, kept beside the store.

If a counter's keyring is lost (a reinstalled PC, a reset profile), the unsynced work in
its store would be lost with it. ``recovery.json`` holds the data key sealed with a key
derived from the administrator's passphrase by scrypt, so an administrator can get the
data key back with ``counterdesk recover``. The file holds nothing else: the wrapped key,
the KDF parameters and a checksum that tells damage apart from a wrong passphrase.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from offline.durable import write_atomic
from offline.errors import RecoveryError

RECOVERY_FILE = "recovery.json"
BACKUP_FILE = "recovery.json.bak"
MIN_PASSPHRASE = 12
SCRYPT_N = 2**15  # ~0.1 s and 32 MB per try: slow for guessing, quick for one recovery
SCRYPT_R = 8
SCRYPT_P = 1
_FORMAT = "counterdesk-recovery/1"


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _canonical(fields: dict[str, Any]) -> bytes:
    return json.dumps(fields, sort_keys=True, separators=(",", ":")).encode("utf-8")


def _kek(passphrase: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    from cryptography.hazmat.primitives.kdf.scrypt import Scrypt  # not needed to open a store

    return Scrypt(salt=salt, length=32, n=n, r=r, p=p).derive(passphrase.encode("utf-8"))


def wrap_key(data_key: bytes, passphrase: str, store_id: str) -> dict[str, Any]:
    if len(passphrase) < MIN_PASSPHRASE:
        raise ValueError(f"the recovery passphrase needs at least {MIN_PASSPHRASE} characters")
    salt, nonce = os.urandom(16), os.urandom(12)
    fields: dict[str, Any] = {
        "format": _FORMAT,
        "store_id": store_id,
        "kdf": {"name": "scrypt", "n": SCRYPT_N, "r": SCRYPT_R, "p": SCRYPT_P, "salt": _b64(salt)},
        "cipher": "AES-256-GCM",
        "nonce": _b64(nonce),
    }
    kek = _kek(passphrase, salt, SCRYPT_N, SCRYPT_R, SCRYPT_P)
    fields["wrapped_key"] = _b64(AESGCM(kek).encrypt(nonce, data_key, _canonical(fields)))
    return {**fields, "checksum": hashlib.sha256(_canonical(fields)).hexdigest()}


def unwrap_key(record: Any, passphrase: str, source: str) -> bytes:
    """The data key; RecoveryError names ``source`` when damaged or the passphrase is wrong."""
    try:
        fields = {k: v for k, v in record.items() if k != "checksum"}
        if record["checksum"] != hashlib.sha256(_canonical(fields)).hexdigest():
            raise ValueError("checksum mismatch")
        kdf = fields["kdf"]
        salt, nonce = base64.b64decode(kdf["salt"]), base64.b64decode(fields["nonce"])
        wrapped = base64.b64decode(fields["wrapped_key"])
        if fields["format"] != _FORMAT or kdf["name"] != "scrypt":
            raise ValueError("unknown format")
        kek = _kek(passphrase, salt, int(kdf["n"]), int(kdf["r"]), int(kdf["p"]))
    except (AttributeError, KeyError, TypeError, ValueError) as exc:
        raise RecoveryError(f"{source}: damaged ({exc}); use a backup copy of it") from exc
    authenticated = {k: v for k, v in fields.items() if k != "wrapped_key"}
    try:
        return AESGCM(kek).decrypt(nonce, wrapped, _canonical(authenticated))
    except InvalidTag:
        raise RecoveryError(f"{source}: the passphrase does not open this recovery key") from None


def _layout(record: Any) -> bytes:
    # One exact layout: a file that differs from it in any byte, even a space, was altered.
    return (json.dumps(record, indent=2) + "\n").encode("utf-8")


def _read(path: Path) -> Any:
    """The record in a recovery file; ValueError when it is not as the program wrote it."""
    data = path.read_bytes()
    try:
        record = json.loads(data.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise ValueError(f"not text: {exc}") from exc
    if data != _layout(record):
        raise ValueError("altered: it is not laid out as the program writes it")
    return record


def write_recovery_file(folder: Path, data_key: bytes, passphrase: str, store_id: str) -> Path:
    """Write ``recovery.json`` (and a copy) for the store in ``folder``."""
    body = _layout(wrap_key(data_key, passphrase, store_id))
    for name in (RECOVERY_FILE, BACKUP_FILE):
        write_atomic(folder / name, body, mode=0o644)
    return folder / RECOVERY_FILE


def damage_in(path: Path) -> str | None:
    """Why a recovery file is damaged (its checksum tells without the passphrase), or None."""
    try:
        record = _read(path)
        fields = {k: v for k, v in record.items() if k != "checksum"}
        if record["checksum"] != hashlib.sha256(_canonical(fields)).hexdigest():
            return "checksum mismatch"
    except (OSError, UnicodeDecodeError, ValueError, AttributeError, KeyError, TypeError) as exc:
        return str(exc) or type(exc).__name__
    return None


def has_recovery_file(folder: Path) -> bool:
    return (folder / RECOVERY_FILE).exists() or (folder / BACKUP_FILE).exists()


def recover_key(folder: Path, passphrase: str, store_id: str | None = None) -> bytes:
    """Unwrap the data key from ``recovery.json``, or from its copy if that one is damaged."""
    problems: list[RecoveryError] = []
    for name in (RECOVERY_FILE, BACKUP_FILE):
        path = folder / name
        if not path.exists():
            continue
        try:
            record = _read(path)
        except ValueError as exc:
            problems.append(RecoveryError(f"{path}: damaged ({exc})"))
            continue
        try:
            key = unwrap_key(record, passphrase, str(path))
        except RecoveryError as exc:
            problems.append(exc)
            continue
        if store_id is not None and record.get("store_id") != store_id:
            problems.append(RecoveryError(f"{path}: belongs to another store"))
            continue
        return key
    if not problems:
        raise RecoveryError(
            f"no {RECOVERY_FILE} in {folder}: no recovery key was enrolled for this store"
        )
    wrong = [p for p in problems if "passphrase" in str(p)]
    raise wrong[0] if wrong else problems[0]
