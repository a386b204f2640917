"""``store.json``: which store this folder holds, with which cipher, and a check of the key.

The header is not secret (an id, a cipher name, a date), but it is authenticated with the
data key, so that a wrong key is told apart from damage before anything is read, and so
that a damaged header is noticed. A second copy, ``store.json.bak``, lets the store come
back from a damaged header.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from offline.durable import write_atomic
from offline.errors import StoreCorrupted, StoreKeyError
from offline.notes import RecoveryNote
from offline.quarantine import move_aside, relative
from offline.sealing import CIPHER_IDS, SealBroken, Sealer

HEADER_FILE = "store.json"
BACKUP_FILE = "store.json.bak"
FORMAT = 1


@dataclass(frozen=True)
class StoreHeader:
    store_id: str
    cipher: str
    created: str
    format: int = FORMAT

    def fields(self) -> dict[str, Any]:
        return {
            "format": self.format,
            "store_id": self.store_id,
            "cipher": self.cipher,
            "created": self.created,
        }

    def canonical(self) -> str:
        return json.dumps(self.fields(), sort_keys=True, separators=(",", ":"))


def new_header(cipher: str) -> StoreHeader:
    if cipher not in CIPHER_IDS:
        raise ValueError(f"unknown cipher {cipher!r}: choose one of {', '.join(CIPHER_IDS)}")
    return StoreHeader(
        store_id=str(uuid.uuid4()),
        cipher=cipher,
        created=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    )


def _layout(body: dict[str, Any]) -> bytes:
    # One exact layout: a file that differs from it in any byte, even a space, was altered.
    return (json.dumps(body, indent=2) + "\n").encode("utf-8")


def _encode(header: StoreHeader, key: bytes) -> bytes:
    seal = Sealer(header.cipher, key, header.store_id).seal(b"", "header|" + header.canonical())
    return _layout({**header.fields(), "seal": base64.b64encode(seal).decode("ascii")})


def write_header(folder: Path, header: StoreHeader, key: bytes) -> None:
    data = _encode(header, key)
    write_atomic(folder / HEADER_FILE, data, mode=0o644)
    write_atomic(folder / BACKUP_FILE, data, mode=0o644)


def _parse(path: Path) -> tuple[StoreHeader, bytes]:
    """Raises ValueError (with the reason) for anything that is not a well-formed header."""
    data = path.read_bytes()
    try:
        raw = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ValueError(f"not valid JSON: {exc}") from exc
    if not isinstance(raw, dict) or set(raw) != {"format", "store_id", "cipher", "created", "seal"}:
        raise ValueError("unexpected members")
    if raw["format"] != FORMAT:
        raise ValueError(f"unknown format {raw['format']!r}")
    if raw["cipher"] not in CIPHER_IDS:
        raise ValueError(f"unknown cipher {raw['cipher']!r}")
    if not all(isinstance(raw[k], str) for k in ("store_id", "created", "seal")):
        raise ValueError("members of the wrong type")
    try:
        seal = base64.b64decode(raw["seal"], validate=True)
    except ValueError as exc:
        raise ValueError("the seal is not base64") from exc
    if data != _layout(raw):
        raise ValueError("altered: it is not laid out as the program writes it")
    return StoreHeader(raw["store_id"], raw["cipher"], raw["created"], raw["format"]), seal


def read_public_header(folder: Path) -> StoreHeader | None:
    """The header without checking the key (the recovery file names its store with it)."""
    for name in (HEADER_FILE, BACKUP_FILE):
        try:
            return _parse(folder / name)[0]
        except (OSError, ValueError):
            continue
    return None


def exists(folder: Path) -> bool:
    return (folder / HEADER_FILE).exists() or (folder / BACKUP_FILE).exists()


def _examine(folder: Path, key: bytes) -> dict[str, StoreHeader | str]:
    """Each copy's verified header, or why it cannot be used; raises when neither can."""
    results: dict[str, StoreHeader | str] = {}
    key_refused = False
    for name in (HEADER_FILE, BACKUP_FILE):
        path = folder / name
        if not path.exists():
            results[name] = "missing"
            continue
        try:
            header, seal = _parse(path)
        except (OSError, ValueError) as exc:
            results[name] = str(exc)
            continue
        try:
            Sealer(header.cipher, key, header.store_id).unseal(seal, "header|" + header.canonical())
        except SealBroken:
            key_refused = True
            results[name] = "its seal does not match the data key"
            continue
        results[name] = header
    if not any(isinstance(r, StoreHeader) for r in results.values()):
        if key_refused:
            raise StoreKeyError(
                f"the data key does not open the local store in {folder}: it is not the key "
                "this store was made with (a lost or replaced keyring? an administrator can "
                "run `counterdesk recover`), or store.json and its copy are both damaged"
            )
        reasons = "; ".join(f"{name}: {why}" for name, why in results.items())
        raise StoreCorrupted(f"the store header in {folder} cannot be read ({reasons})")
    return results


def damaged_copies(folder: Path, sealer: Sealer) -> list[tuple[str, str]]:
    """(file, reason) for each header copy that is not this store's sound header."""
    found = []
    for name in (HEADER_FILE, BACKUP_FILE):
        try:
            header, seal = _parse(folder / name)
            if header.store_id != sealer.store_id or header.cipher != sealer.cipher:
                raise ValueError("names another store")
            sealer.unseal(seal, "header|" + header.canonical())
        except (OSError, ValueError, SealBroken) as exc:
            found.append((name, str(exc) or "its seal does not match"))
    return found


def check_key(folder: Path, key: bytes) -> StoreHeader:
    """The header if ``key`` opens this store; reads only (no lock needed, nothing repaired)."""
    results = _examine(folder, key)
    return next(h for h in results.values() if isinstance(h, StoreHeader))


def load_header(folder: Path, key: bytes) -> tuple[StoreHeader, list[RecoveryNote]]:
    """The verified header; a damaged copy is set aside and rewritten from the good one."""
    results = _examine(folder, key)
    header = next(h for h in results.values() if isinstance(h, StoreHeader))
    notes = []
    for name, result in results.items():
        if result == header:
            continue
        path = folder / name
        where = ""
        if path.exists():
            where = f"set aside as {relative(move_aside(path), folder)}, "
        write_atomic(path, _encode(header, key), mode=0o644)
        if result != "missing":
            notes.append(
                RecoveryNote(name, f"damaged ({result})", f"{where}rewritten from the good copy")
            )
    return header, notes
