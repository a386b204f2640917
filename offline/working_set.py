"""The working set in memory: the tables every save touches, and their indexes.

Open and draft cases, the outbox, recent audit entries, number leases, local settings and
moves to the archive that are under way all live in one set of tables, changed only by
applying journal records. Because the in-memory copy is built only by replaying what was
written (at open, and after each commit from the very bytes that were written), it is
always what a restart would see.
"""

from __future__ import annotations

import json
from collections.abc import Hashable, Iterable, Mapping, Sequence
from typing import Any

TABLES = ("cases", "drafts", "outbox", "audit", "leases", "settings", "meta", "moving")
INDEXED_TABLES = ("cases", "drafts")
SNAPSHOT_FORMAT = 1


def index_value(value: Any) -> Hashable:
    """Field values as index keys: scalars as they are, anything else as canonical JSON."""
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


def outbox_row_key(seq: int) -> str:
    return f"{seq:012d}"  # dict order and key order agree: rows are added in seq order


class WorkingSet:
    def __init__(self, indexed_fields: Sequence[str]) -> None:
        self.tables: dict[str, dict[str, Any]] = {name: {} for name in TABLES}
        self.lsn = 0
        self.indexed_fields = tuple(indexed_fields)
        self._index: dict[str, dict[str, dict[Hashable, dict[str, None]]]] = {
            table: {name: {} for name in self.indexed_fields} for table in INDEXED_TABLES
        }
        self.outbox_by_key: dict[str, str] = {}  # idempotency key -> row key
        self.outbox_by_case: dict[str, dict[str, None]] = {}  # case id -> row keys, in order

    # Building

    @classmethod
    def from_snapshot(cls, data: Any, indexed_fields: Sequence[str]) -> WorkingSet:
        """Raises ValueError when the snapshot is not one this code wrote."""
        if not isinstance(data, dict) or data.get("format") != SNAPSHOT_FORMAT:
            raise ValueError("not a working-set snapshot")
        tables, lsn = data.get("tables"), data.get("lsn")
        if not isinstance(tables, dict) or not isinstance(lsn, int):
            raise ValueError("snapshot without tables or sequence number")
        ws = cls(indexed_fields)
        for name, rows in tables.items():
            if name not in ws.tables or not isinstance(rows, dict):
                raise ValueError(f"unexpected table {name!r}")
            for key, value in rows.items():
                ws._put(name, key, value)
        ws.lsn = lsn
        return ws

    def snapshot(self, generation: int, written_at: str) -> dict[str, Any]:
        return {
            "format": SNAPSHOT_FORMAT,
            "generation": generation,
            "lsn": self.lsn,
            "written_at": written_at,
            "tables": self.tables,
        }

    def apply(self, lsn: int, changes: Iterable[Any]) -> None:
        """Apply one journal record's changes: ``[table, key, value]``, value None deletes."""
        for change in changes:
            if not isinstance(change, list) or len(change) != 3:
                raise ValueError("malformed change")
            table, key, value = change
            if table not in self.tables or not isinstance(key, str):
                raise ValueError(f"change to unknown table {table!r}")
            if value is None:
                self._delete(table, key)
            else:
                self._put(table, key, value)
        self.lsn = lsn

    # Reading

    def get(self, table: str, key: str) -> Any:
        return self.tables[table].get(key)

    def meta(self, name: str, default: Any = None) -> Any:
        return self.tables["meta"].get(name, default)

    def find(self, table: str, criteria: Mapping[str, Any]) -> list[str]:
        """Keys of the rows whose indexed fields equal all of ``criteria``, in the order
        they were last saved."""
        rows = self.tables[table]
        if not criteria:
            return list(rows)
        unknown = sorted(set(criteria) - set(self.indexed_fields))
        if unknown:
            raise ValueError(
                f"not indexed: {', '.join(unknown)} (indexed: {', '.join(self.indexed_fields)}); "
                "use where= for other conditions"
            )
        sets = [
            self._index[table][name].get(index_value(value), {}) for name, value in criteria.items()
        ]
        smallest = min(sets, key=len)
        others = [s for s in sets if s is not smallest]
        return [key for key in smallest if all(key in s for s in others)]

    # Changing (only through apply and from_snapshot)

    def _put(self, table: str, key: str, value: Any) -> None:
        rows = self.tables[table]
        if table in INDEXED_TABLES:
            old = rows.pop(key, None)  # re-added last: tables and indexes agree on order
            if old is not None:
                self._unindex(table, key, old)
            self._reindex(table, key, value)
        elif table == "outbox":
            self._index_operation(key, value)
        rows[key] = value

    def _delete(self, table: str, key: str) -> None:
        old = self.tables[table].pop(key, None)
        if old is None:
            return
        if table in INDEXED_TABLES:
            self._unindex(table, key, old)
        elif table == "outbox":
            op = old["op"]
            self.outbox_by_key.pop(op["idempotency_key"], None)
            of_case = self.outbox_by_case.get(op["case_id"], {})
            of_case.pop(key, None)
            if not of_case:
                self.outbox_by_case.pop(op["case_id"], None)

    def _reindex(self, table: str, key: str, doc: Any) -> None:
        if not isinstance(doc, dict):
            raise ValueError(f"{table} row {key!r} is not an object")
        for name in self.indexed_fields:
            self._index[table][name].setdefault(index_value(doc.get(name)), {})[key] = None

    def _unindex(self, table: str, key: str, doc: dict[str, Any]) -> None:
        for name in self.indexed_fields:
            value = index_value(doc.get(name))
            holders = self._index[table][name].get(value)
            if holders is not None:
                holders.pop(key, None)
                if not holders:
                    del self._index[table][name][value]

    def _index_operation(self, key: str, row: Any) -> None:
        if not isinstance(row, dict) or not isinstance(row.get("op"), dict):
            raise ValueError(f"outbox row {key!r} is malformed")
        op = row["op"]
        self.outbox_by_key[op["idempotency_key"]] = key
        self.outbox_by_case.setdefault(op["case_id"], {})[key] = None
