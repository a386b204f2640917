"""Generations of the working set: sealed snapshots, each followed by its journal.

Generation g is ``working-g.snap`` (the whole working set at a checkpoint) and
``working-g.wal`` (every batch committed after it). Snapshot g+1 is exactly snapshot g with
journal g applied, so when the newest snapshot is damaged the store rebuilds the same state
from an older snapshot and the journals after it: several generations are kept for that.

Loading never stops at the first damage: it keeps what can be trusted, sets the damaged
file aside (a journal is copied, since its sound beginning is still used) and says what
was lost in a note.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from offline.durable import write_atomic
from offline.errors import DamagedFile
from offline.journal import cut_torn_tail, read_journal
from offline.notes import RecoveryNote
from offline.quarantine import copy_aside, move_aside, relative
from offline.sealing import Sealer
from offline.working_set import WorkingSet

_NAME = re.compile(r"^working-(\d{8})\.(snap|wal)$")
_PARTITION = re.compile(r"^(archive|audit)-\d{4}-\d{2}\.db")


def snapshot_name(generation: int) -> str:
    return f"working-{generation:08d}.snap"


def journal_name(generation: int) -> str:
    return f"working-{generation:08d}.wal"


def on_disk(folder: Path) -> tuple[dict[int, Path], dict[int, Path]]:
    snaps: dict[int, Path] = {}
    wals: dict[int, Path] = {}
    for entry in folder.iterdir():
        match = _NAME.match(entry.name)
        if match:
            (snaps if match.group(2) == "snap" else wals)[int(match.group(1))] = entry
    return snaps, wals


def write_snapshot(
    folder: Path, sealer: Sealer, ws: WorkingSet, generation: int, written_at: str
) -> int:
    """Write generation ``generation``'s snapshot; returns its size in bytes."""
    body = json.dumps(
        ws.snapshot(generation, written_at), ensure_ascii=False, separators=(",", ":")
    ).encode("utf-8")
    sealed = sealer.seal_file(body, f"snapshot|{generation}")
    write_atomic(folder / snapshot_name(generation), sealed)
    return len(sealed)


def read_snapshot(
    path: Path, sealer: Sealer, generation: int, indexed_fields: Sequence[str]
) -> tuple[WorkingSet, str]:
    data = json.loads(sealer.unseal_file(path.read_bytes(), f"snapshot|{generation}", path))
    try:
        ws = WorkingSet.from_snapshot(data, indexed_fields)
    except (ValueError, KeyError, TypeError) as exc:
        raise DamagedFile(path, f"not a snapshot this program wrote: {exc}") from exc
    return ws, str(data.get("written_at", ""))


def prune(folder: Path, newest: int, keep: int) -> None:
    """Drop generations older than the ``keep`` newest (they hold nothing newer)."""
    snaps, wals = on_disk(folder)
    for generation, path in [*snaps.items(), *wals.items()]:
        if generation <= newest - keep:
            path.unlink(missing_ok=True)


def prune_written_before(folder: Path, newest: int, cutoff: dt.date) -> None:
    """Drop older generations last written before ``cutoff`` (retention: they may still
    hold cases deleted from the archive). The newest generation always stays."""
    snaps, wals = on_disk(folder)
    for generation in set(snaps) | set(wals):
        if generation >= newest:
            continue
        files = [p for p in (snaps.get(generation), wals.get(generation)) if p is not None]
        written = max(dt.datetime.fromtimestamp(p.stat().st_mtime).date() for p in files)
        if written < cutoff:
            for path in files:
                path.unlink(missing_ok=True)


def has_store_files(folder: Path) -> bool:
    snaps, wals = on_disk(folder)
    return bool(snaps or wals) or any(_PARTITION.match(e.name) for e in folder.iterdir())


@dataclass
class Loaded:
    ws: WorkingSet
    newest: int  # the highest generation number on disk (0: none yet)
    notes: list[RecoveryNote] = field(default_factory=list)
    needs_checkpoint: bool = False  # start a new generation before writing anything


def load(folder: Path, sealer: Sealer, indexed_fields: Sequence[str]) -> Loaded:
    snaps, wals = on_disk(folder)
    if not snaps and not wals:
        return Loaded(WorkingSet(indexed_fields), 0, needs_checkpoint=True)
    newest = max([*snaps, *wals])
    loaded = Loaded(WorkingSet(indexed_fields), newest)
    base, base_time, set_aside = None, "", []
    for generation in sorted(snaps, reverse=True):
        try:
            loaded.ws, base_time = read_snapshot(
                snaps[generation], sealer, generation, indexed_fields
            )
        except (DamagedFile, ValueError) as exc:
            reason = getattr(exc, "reason", str(exc))
            aside = relative(move_aside(snaps[generation]), folder)
            set_aside.append((snaps[generation].name, reason, aside))
            continue
        base = generation
        break
    first = base if base is not None else min(wals, default=newest + 1)
    damage = _replay(folder, sealer, loaded, wals, first, base_time)
    if base is not None:
        rebuilt = f"rebuilt from generation {base} and the journals after it"
    else:
        rebuilt = "no generation was readable: rebuilt from what journals remained"
    outcome = "nothing was lost" if not damage and base is not None else "see the other notes"
    for name, reason, aside in set_aside:
        loaded.notes.append(
            RecoveryNote(name, f"damaged ({reason})", f"set aside as {aside}; {rebuilt}: {outcome}")
        )
    if base is None and first != 1 and not damage:
        damage.append(
            RecoveryNote(
                "working set",
                "the journals kept do not reach back to the first change",
                "the working set starts from what could be read",
                "open cases and unsynced work of this counter must come back from the server",
            )
        )
    loaded.notes.extend(damage)
    loaded.needs_checkpoint = bool(loaded.notes)
    return loaded


def _replay(
    folder: Path,
    sealer: Sealer,
    loaded: Loaded,
    wals: dict[int, Path],
    first: int,
    last_time: str,
) -> list[RecoveryNote]:
    """Apply the journals from generation ``first`` on, in order, while changes follow on
    from each other. A damaged journal is used up to the damage; a later journal is still
    used if it follows on from there (the store wrote it after repairing that damage)."""
    notes: list[RecoveryNote] = []
    for generation in range(first, loaded.newest + 1):
        path = wals.get(generation)
        if path is None:
            continue
        contents = read_journal(path, sealer)
        gap = False
        for lsn, plaintext in contents.records:
            if lsn <= loaded.ws.lsn:
                continue
            if lsn != loaded.ws.lsn + 1:
                contents.damage = contents.damage or (
                    f"change {loaded.ws.lsn + 1} is missing before change {lsn}"
                )
                gap = True
                break
            try:
                record = json.loads(plaintext)
                loaded.ws.apply(lsn, record["changes"])
            except (ValueError, KeyError, TypeError) as exc:
                contents.damage = f"change {lsn} is not one this program wrote ({exc})"
                gap = True
                break
            last_time = str(record.get("at", last_time))
        if contents.damage:
            later = [wals[g] for g in sorted(wals) if g > generation] if gap else []
            asides = [relative(copy_aside(p), folder) for p in [path, *later]]
            notes.append(
                RecoveryNote(
                    path.name,
                    f"damaged ({contents.damage})",
                    f"copies set aside as {', '.join(asides)}; the changes before the damage "
                    "were restored",
                    f"changes saved after {last_time or 'the last good one'} may not be on this "
                    "counter any more: what was synced is on the server, the rest only in the "
                    "set-aside copies",
                )
            )
            if gap:
                break
        if contents.torn and generation == loaded.newest:
            cut_torn_tail(path, contents.good_end)  # an unfinished, unacknowledged write
    return notes
