"""A full check of every file the store keeps, older generations included.

Opening reads only what it needs (the newest good generation; a partition when first
used), so damage to a file kept for a rainy day would go unseen until that day. ``scrub``
reads everything and reports, so an administrator (or a nightly task) learns of it while
the good copies are still there. It changes nothing.
"""

from __future__ import annotations

import re
from pathlib import Path

from offline import generations, header, recovery
from offline.errors import DamagedFile
from offline.journal import read_journal
from offline.notes import RecoveryNote
from offline.partitions import read_sealed
from offline.sealing import Sealer

_PARTITION = re.compile(r"^(archive|audit)-(\d{4}-\d{2})\.db(?:\.\d+)?$")
_ACTION = "found by a full check and left as it is"


def scrub(folder: Path, sealer: Sealer, indexed_fields: tuple[str, ...]) -> list[RecoveryNote]:
    problems: list[tuple[str, str]] = list(header.damaged_copies(folder, sealer))
    snaps, wals = generations.on_disk(folder)
    for generation, path in sorted(snaps.items()):
        try:
            generations.read_snapshot(path, sealer, generation, indexed_fields)
        except (DamagedFile, ValueError) as exc:
            problems.append((path.name, getattr(exc, "reason", str(exc))))
    for path in (wals[g] for g in sorted(wals)):
        contents = read_journal(path, sealer)
        if contents.damage:
            problems.append((path.name, contents.damage))
    for entry in sorted(folder.iterdir()):
        match = _PARTITION.match(entry.name)
        if match:
            try:
                read_sealed(entry, sealer, f"{match.group(1)}|{match.group(2)}")
            except (DamagedFile, ValueError) as exc:
                problems.append((entry.name, getattr(exc, "reason", str(exc))))
    for name in (recovery.RECOVERY_FILE, recovery.BACKUP_FILE):
        if (folder / name).exists():
            why = recovery.damage_in(folder / name)
            if why:
                problems.append((name, why))
    return [RecoveryNote(name, f"damaged ({why})", _ACTION) for name, why in problems]
