"""Moving rows out of the working set into period partitions, and deleting them when due.

A move is journaled first: the rows leave their table and wait in ``moving`` (still
readable there), then the partition is written, then the waiting rows are cleared. A
crash at any point leaves the rows in exactly one readable place, and an unfinished move
is finished at the next open. Partitions are opened when first used and a few are kept
in memory.
"""

from __future__ import annotations

import calendar
import datetime as dt
import logging
import re
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from offline.notes import RecoveryNote
from offline.partitions import Partition, delete_partition, periods_on_disk
from offline.sealing import Sealer
from offline.working_set import WorkingSet

log = logging.getLogger(__name__)

Commit = Callable[[list[list[Any]]], int]
_PERIOD = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


def moving_key(kind: str, period: str, key: str) -> str:
    return f"{kind}|{period}|{key}"


def month_of(day: dt.date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def month_bounds(period: str) -> tuple[dt.date, dt.date]:
    year, month = (int(part) for part in period.split("-"))
    return dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1])


@dataclass(frozen=True)
class RetentionReport:
    cases_deleted: int
    partitions_deleted: tuple[str, ...]


class Shelf:
    """The partitions of one store, opened on first use."""

    def __init__(
        self,
        folder: Path,
        sealer: Sealer,
        ws: WorkingSet,
        commit: Commit,
        notes: list[RecoveryNote],
        *,
        keep: int,
        cache_size: int,
    ) -> None:
        self._folder = folder
        self._sealer = sealer
        self._ws = ws
        self._commit = commit
        self._notes = notes
        self._keep = keep
        self._cache_size = cache_size
        self._open: OrderedDict[tuple[str, str], Partition] = OrderedDict()

    def partition(self, kind: str, period: str) -> Partition:
        if not _PERIOD.match(period):
            raise ValueError(f"a period is a month like 2026-03, not {period!r}")
        found = self._open.get((kind, period))
        if found is not None:
            self._open.move_to_end((kind, period))
            return found
        partition, notes = Partition.load(self._folder, kind, period, self._sealer, self._keep)
        for note in notes:
            log.warning("%s", note.message)
        self._notes.extend(notes)
        self._open[(kind, period)] = partition
        while len(self._open) > self._cache_size:
            self._open.popitem(last=False)
        return partition

    def periods(self, kind: str) -> list[str]:
        waiting = {m["period"] for m in self._ws.tables["moving"].values() if m["kind"] == kind}
        return sorted(set(periods_on_disk(self._folder, kind)) | waiting)

    def waiting(self, kind: str, key: str) -> dict[str, Any] | None:
        for row in self._ws.tables["moving"].values():
            if row["kind"] == kind and row["key"] == key:
                return dict(row["value"])
        return None

    def move_changes(self, kind: str, period: str, rows: dict[str, Any]) -> list[list[Any]]:
        return [
            [
                "moving",
                moving_key(kind, period, key),
                {"kind": kind, "period": period, "key": key, "value": value},
            ]
            for key, value in rows.items()
        ]

    def roll_audit_changes(self, month: str) -> list[list[Any]]:
        """Changes moving audit entries of months before ``month`` to their partitions."""
        by_period: dict[str, dict[str, Any]] = {}
        for key, entry in self._ws.tables["audit"].items():
            period = str(entry.get("at", ""))[:7]
            if len(period) == 7 and period[4] == "-" and period < month:
                by_period.setdefault(period, {})[key] = entry
        changes = [["audit", key, None] for rows in by_period.values() for key in rows]
        for period, rows in by_period.items():
            changes += self.move_changes("audit", period, rows)
        return changes

    def finish_moves(self) -> None:
        """Write waiting rows to their partitions, then clear them from the working set."""
        waiting = self._ws.tables["moving"]
        if not waiting:
            return
        groups: dict[tuple[str, str], dict[str, Any]] = {}
        for row in waiting.values():
            groups.setdefault((row["kind"], row["period"]), {})[row["key"]] = row["value"]
        done = list(waiting)
        for (kind, period), rows in groups.items():
            self.partition(kind, period).put_many(rows)
        self._commit([["moving", key, None] for key in done])

    def retention_sweep(self, today: dt.date, keep_days: int) -> RetentionReport:
        """Delete archived cases archived more than ``keep_days`` before ``today``.
        Rows still waiting to be moved are recent, so they are left for the next sweep."""
        if keep_days < 0:
            raise ValueError("keep_days cannot be negative")
        cutoff = today - dt.timedelta(days=keep_days)
        deleted, dropped = 0, []
        for period in periods_on_disk(self._folder, "archive"):
            first, last = month_bounds(period)
            if last < cutoff:
                deleted += len(self.partition("archive", period))
                self._open.pop(("archive", period), None)
                delete_partition(self._folder, "archive", period)
                dropped.append(period)
            elif first < cutoff:
                partition = self.partition("archive", period)
                expired = [
                    k for k, row in partition.items() if row["archived_on"] < cutoff.isoformat()
                ]
                if expired:
                    partition.remove_many(expired)
                    partition.drop_generations()  # they still hold the expired cases
                    deleted += len(expired)
        return RetentionReport(deleted, tuple(dropped))
