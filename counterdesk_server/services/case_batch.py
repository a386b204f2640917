"""One batch of operations in one transaction: the machinery behind services/case_ops.py.

Two ways to run a batch, with the same answers:

- **fast** (the usual): every operation is checked and applied in memory first; refused
  ones leave nothing behind because nothing was written for them yet. The writes then go
  out as a handful of multi-row statements: a hundred cases cost one round of inserts
  and one disk flush, not three hundred statements.
- **careful**: each operation in its own savepoint, written as it goes. Used when a fast
  batch hit a unique constraint, which means another request got there first (the same
  idempotency key, the same new case, the same number): the failed operation rolls back
  alone and is answered from what the other request stored.

Lock order, the same in both: case rows (up front, in primary-key order), then the
centre's feed counter row (services/feed.py), which is held from before the first insert
until commit. Whoever inserts holds the feed lock, so two batches never wait on each
other's uncommitted rows in a cycle.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, cast

from sqlalchemy import Table, bindparam, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from counterdesk.domain.cases import Case, Operation, OperationError, OperationKind, apply_operation
from counterdesk_server.context import ServerContext
from counterdesk_server.db.models import CaseRecord, FeedCounter, OperationRecord
from counterdesk_server.services import audit, case_rules, feed, users
from counterdesk_server.services.audit import AuditEntry
from counterdesk_server.services.catalogues import CurrentCatalogue
from counterdesk_server.services.errors import Conflict, Forbidden, Invalid, NotFound, ServiceError
from counterdesk_server.services.numbers import check_official_number
from counterdesk_server.services.roles import Principal

# Core statements built once: a batch runs them hundreds of times.
_CASES = cast(Table, CaseRecord.__table__)
_STORED = ("state", "assignee", "received_by", "official_number", "version", "document")
_INSERT_CASE = _CASES.insert().returning(_CASES.c.id, sort_by_parameter_order=True)
_UPDATE_CASE = (
    _CASES.update()
    .where(_CASES.c.id == bindparam("pk"))
    .values({name: bindparam(name) for name in (*_STORED, "updated_at")})
)
_INSERT_OPERATION = cast(Table, OperationRecord.__table__).insert()


@dataclass
class Outcome:
    """What happened to one operation, with the case after it (or, on 409, as it is now).

    The case is kept as the JSON text that was stored, so a batch's answer is spliced
    together from it instead of encoding a hundred documents a second time.
    """

    idempotency_key: str
    case_id: str
    status: int
    document: str | None = None
    error: str | None = None
    detail: Any = None
    replayed: bool = False

    @property
    def ok(self) -> bool:
        return self.status < 400

    @property
    def case(self) -> dict[str, Any] | None:
        return json.loads(self.document) if self.document else None

    def to_json_text(self) -> str:
        head = json.dumps(
            {
                "idempotency_key": self.idempotency_key,
                "case_id": self.case_id,
                "status": self.status,
                "error": self.error,
                "detail": self.detail,
                "replayed": self.replayed,
            },
            ensure_ascii=False,
            separators=(",", ":"),
        )
        return f'{head[:-1]},"case":{self.document or "null"}}}'


@dataclass
class _Row:
    """A case as this transaction sees it, kept current as operations apply."""

    pk: int | None  # None: created in this batch, not inserted yet
    training: bool
    version: int
    document: str
    case: Case | None = None

    def parsed(self) -> Case:
        if self.case is None:
            self.case = Case.model_validate_json(self.document)
        return self.case


def fingerprint(op: Operation) -> str:
    """What a key stands for: the operation without its key, canonically encoded."""
    data = op.to_json()
    data.pop("idempotency_key", None)
    encoded = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(encoded.encode("utf-8")).hexdigest()


@dataclass
class Batch:
    ctx: ServerContext
    session: Session
    actor: Principal
    training: bool
    own_cases_only: bool
    careful: bool
    rows: dict[str, _Row | None] = field(default_factory=dict)
    stored: dict[str, tuple[str, int, str | None, str]] = field(default_factory=dict)
    changed: dict[str, None] = field(default_factory=dict)  # case ids, in order of change
    pending_ops: list[dict[str, Any]] = field(default_factory=list)
    audit_lines: list[AuditEntry] = field(default_factory=list)
    now: dt.datetime = field(init=False)
    _catalogue: CurrentCatalogue | None | bool = False  # False: not looked up yet
    _assignees: set[str] | None = None

    def run(self, operations: Sequence[Operation]) -> list[Outcome]:
        self.now = self.ctx.clock.now()
        # Rows first, then keys: once a row lock is ours, whatever committed before it
        # (an earlier request with the same key, say) is visible to the next statement.
        self._load_rows({op.case_id for op in operations})
        self._load_keys([op.idempotency_key for op in operations])
        if self.careful:
            self._lock_feed()  # careful batches insert as they go: the lock comes first
        outcomes = [self._apply(op) for op in operations]
        if self.careful:
            pks = [row.pk for row in (self.rows[c] for c in self.changed) if row and row.pk]
            feed.assign_positions(self.session, self.actor.centre_id, pks)
        else:
            self._write_all()
        audit.record(self.session, self.actor, *self.audit_lines)
        return outcomes

    def _load_rows(self, case_ids: set[str]) -> None:
        if not case_ids:
            return
        query = (
            select(
                _CASES.c.case_id,
                _CASES.c.id,
                _CASES.c.training,
                _CASES.c.version,
                _CASES.c.document,
            )
            .where(_CASES.c.centre_id == self.actor.centre_id, _CASES.c.case_id.in_(case_ids))
            .order_by(_CASES.c.id)
            .with_for_update()
        )
        found = {
            r.case_id: _Row(r.id, r.training, r.version, r.document)
            for r in self.session.execute(query)
        }
        for case_id in case_ids:
            self.rows[case_id] = found.get(case_id)

    def _load_keys(self, keys: list[str]) -> None:
        table = OperationRecord.__table__.c
        rows = self.session.execute(
            select(
                table.idempotency_key,
                table.fingerprint,
                table.status_code,
                table.response,
                table.case_id,
            ).where(table.centre_id == self.actor.centre_id, table.idempotency_key.in_(keys))
        )
        for key, fp, status, response, case_id in rows:
            self.stored[key] = (fp, status, response, case_id)

    def _lock_feed(self) -> None:
        self.session.execute(
            select(FeedCounter.last_seq)
            .where(FeedCounter.centre_id == self.actor.centre_id)
            .with_for_update()
        )

    def _apply(self, op: Operation) -> Outcome:
        fp = fingerprint(op)
        if op.idempotency_key in self.stored:
            return self._replay(op, fp)
        if not self.careful:
            try:
                return self._change(op, fp)
            except ServiceError as exc:
                return _failure(op, exc)  # nothing was written for it
        savepoint = self.session.begin_nested()
        try:
            outcome = self._change(op, fp)
        except ServiceError as exc:
            savepoint.rollback()
            return _failure(op, exc)
        except IntegrityError:
            # Another request got there first (same key, same new case, same number).
            savepoint.rollback()
            self._load_keys([op.idempotency_key])
            if op.idempotency_key in self.stored:
                return self._replay(op, fp)
            self._load_rows({op.case_id})
            try:
                with self.session.begin_nested():
                    return self._change(op, fp)
            except ServiceError as exc:
                return _failure(op, exc)
            except IntegrityError:
                return _failure(
                    op,
                    Conflict(
                        "另一请求同时修改了此办件，请重试 / changed at the same time; try again"
                    ),
                )
        savepoint.commit()
        return outcome

    def _replay(self, op: Operation, fp: str) -> Outcome:
        stored_fp, status, response, case_id = self.stored[op.idempotency_key]
        if stored_fp != fp:
            return _failure(
                op,
                Invalid(
                    f"idempotency key {op.idempotency_key} was already used for a different "
                    "operation; every operation needs its own key"
                ),
            )
        return Outcome(op.idempotency_key, case_id, status, document=response, replayed=True)

    def _change(self, op: Operation, fp: str) -> Outcome:
        if op.officer != self.actor.username:
            raise Invalid(
                f"operation by {op.officer} sent by {self.actor.username}: operations are "
                "sent by the officer who made them"
            )
        before, row = self._visible(op)
        if op.kind is OperationKind.CREATE:
            if before is not None:
                raise Conflict(
                    f"办件 {op.case_id} 已存在 / case {op.case_id} already exists",
                    case=before.to_json(),
                )
            op = case_rules.prepare_create(op, self.actor, self.training)
        elif before is None:
            raise NotFound(f"办件 {op.case_id} 不存在 / no case {op.case_id}")
        elif op.base_version != before.version:
            raise Conflict(
                f"办件已被修改（当前版本 {before.version}，操作基于版本 {op.base_version}）/ "
                f"case changed since version {op.base_version}; it is now {before.version}",
                case=before.to_json(),
            )
        after = self._apply_shared(before, op)
        self._check_result(before, after, op)
        document = json.dumps(after.to_json(), ensure_ascii=False, separators=(",", ":"))
        status = 201 if before is None else 200
        record = {
            "centre_id": self.actor.centre_id,
            "idempotency_key": op.idempotency_key,
            "user_id": self.actor.user_id,
            "case_id": op.case_id,
            "kind": op.kind.value,
            "fingerprint": fp,
            "status_code": status,
            "response": document,
            "received_at": self.now,
        }
        pk = row.pk if row is not None else None
        if self.careful:
            pk = self._store_case(pk, after, document)
            self.session.execute(_INSERT_OPERATION, record)
        else:
            self.pending_ops.append(record)
        # Only now, with the change certain, does the batch's own view move on.
        self.rows[op.case_id] = _Row(pk, self.training, after.version, document, after)
        self.stored[op.idempotency_key] = (fp, status, document, op.case_id)
        self.changed[op.case_id] = None
        state_before = before.state if before is not None else None
        self.audit_lines.append(
            AuditEntry(
                action=f"case.{op.kind.value}",
                server_time=self.now,
                case_id=op.case_id,
                training=self.training,
                state_to=after.state.value if after.state != state_before else None,
                device_time=op.device_time,
                before=row.document if row is not None else None,
                after=document,
                detail={"idempotency_key": op.idempotency_key, "base_version": op.base_version},
            )
        )
        return Outcome(op.idempotency_key, op.case_id, status, document=document)

    def _visible(self, op: Operation) -> tuple[Case | None, _Row | None]:
        """The case as this actor may see it here (None: as if it did not exist)."""
        row = self.rows.get(op.case_id)
        if row is None:
            return None, None
        before = row.parsed() if row.training == self.training else None
        if before is not None and self.own_cases_only:
            if self.actor.username not in (before.received_by, before.assignee):
                before = None
        if before is None and op.kind is OperationKind.CREATE:
            raise Conflict(f"case id {op.case_id} is already used")
        return before, (row if before is not None else None)

    def _apply_shared(self, before: Case | None, op: Operation) -> Case:
        role = self.actor.role
        try:
            after = apply_operation(before, op, role)
            extra = case_rules.acceptance_changes(self._current_catalogue(), after, op)
            if extra:
                after = apply_operation(before, case_rules.with_changes(op, extra), role)
        except OperationError as exc:
            if case_rules.is_role_denial(before, op, role):
                raise Forbidden(str(exc)) from exc
            raise Invalid(str(exc)) from exc
        return after

    def _check_result(self, before: Case | None, after: Case, op: Operation) -> None:
        if after.training != self.training:
            raise Invalid("a case cannot switch between training and live")
        old_number = before.numbers.official if before is not None else None
        new_number = after.numbers.official
        if new_number != old_number:
            if old_number is not None:
                raise Invalid(
                    f"办件编号 {old_number} 已确定，不能更改 / official number {old_number} "
                    "is final and cannot change"
                )
            if self.training:
                raise Invalid("练习办件没有正式编号 / training cases carry no official number")
            assert new_number is not None
            check_official_number(self.session, self.actor, new_number)
            if self._number_taken(new_number, op.case_id):
                raise Conflict(f"办件编号 {new_number} 已被使用 / number {new_number} is taken")
        if op.kind is OperationKind.ASSIGN and after.assignee not in self._assignable():
            raise Invalid(f"{after.assignee} is not an active colleague who can take cases")

    def _number_taken(self, number: str, case_id: str) -> bool:
        in_batch = any(
            row is not None and row.case is not None and row.case.numbers.official == number
            for other, row in self.rows.items()
            if other != case_id
        )
        return (
            in_batch
            or self.session.scalar(
                select(_CASES.c.id).where(
                    _CASES.c.centre_id == self.actor.centre_id, _CASES.c.official_number == number
                )
            )
            is not None
        )

    def _assignable(self) -> set[str]:
        if self._assignees is None:
            roles = case_rules.TRAINING_ASSIGNEES if self.training else case_rules.LIVE_ASSIGNEES
            self._assignees = users.active_usernames(self.session, self.actor.centre_id, roles)
        return self._assignees

    def _current_catalogue(self) -> CurrentCatalogue | None:
        if self._catalogue is False:
            self._catalogue = self.ctx.catalogues.current(self.session, self.actor.centre_id)
        return self._catalogue or None  # type: ignore[return-value]

    def _values(self, case: Case, document: str) -> dict[str, Any]:
        return {
            "state": case.state.value,
            "assignee": case.assignee,
            "received_by": case.received_by,
            "official_number": case.numbers.official,
            "version": case.version,
            "document": document,
            "updated_at": self.now,
        }

    def _store_case(self, pk: int | None, case: Case, document: str) -> int:
        """Careful mode: write one case now."""
        values = self._values(case, document)
        if pk is not None:
            self.session.execute(_UPDATE_CASE, {"pk": pk, **values})
            return pk
        values.update(
            centre_id=self.actor.centre_id,
            case_id=case.id,
            training=self.training,
            feed_seq=0,  # the real position is given at the end of the transaction
            created_at=self.now,
        )
        return int(self.session.execute(_INSERT_CASE, [values]).scalar_one())

    def _write_all(self) -> None:
        """Fast mode: take the feed positions, then write every change in a few statements."""
        if not self.changed:
            return
        last = feed.take_positions(self.session, self.actor.centre_id, len(self.changed))
        first = last - len(self.changed) + 1
        inserts, updates = [], []
        for offset, case_id in enumerate(self.changed):
            row = self.rows[case_id]
            assert row is not None and row.case is not None
            values = self._values(row.case, row.document)
            values["feed_seq"] = first + offset
            if row.pk is None:
                values.update(
                    centre_id=self.actor.centre_id,
                    case_id=case_id,
                    training=self.training,
                    created_at=self.now,
                )
                inserts.append(values)
            else:
                updates.append({"pk": row.pk, **values})
        if inserts:
            self.session.execute(_INSERT_CASE, inserts)
        if updates:
            self.session.execute(_UPDATE_CASE.values(feed_seq=bindparam("feed_seq")), updates)
        if self.pending_ops:
            self.session.execute(_INSERT_OPERATION, self.pending_ops)


def _failure(op: Operation, exc: ServiceError) -> Outcome:
    case = exc.extra.get("case")
    document = json.dumps(case, ensure_ascii=False, separators=(",", ":")) if case else None
    return Outcome(
        op.idempotency_key,
        op.case_id,
        exc.status,
        document=document,
        error=exc.message,
        detail=exc.detail,
    )
