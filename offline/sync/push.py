"""Pushing the outbox: operations in batches, in order, each acknowledged before it leaves.

An operation leaves the outbox only when the server answered for it with success (or
replayed its first success: the same idempotency key never applies twice, so a batch
that timed out after the server stored it is simply sent again). What the server refuses
stays, with its reason, and holds back the later operations of its case. A 409 rebases
the case's chain (rebase.py). Operations made by another user of this counter wait for
that user's sign-in: the server takes operations only from the officer who made them.

A request carries at most one change per case (after its creation, if that is in it
too): should that change fail, the next one's base version could equal the server's by
coincidence and apply out of order. Order of the durable steps, each safe to repeat
after a crash: refusals, then the local copies from the server's answers, then the
acknowledgements.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from offline.outbox import PENDING
from offline.sync.config import Doc
from offline.sync.context import SyncContext
from offline.sync.errors import AccountRefused, ServerTrouble
from offline.sync.local import store_lock
from offline.sync.rebase import fetch_base, plan_rebase, record_conflict

log = logging.getLogger(__name__)

_OPERATION_PATH = re.compile(r"(?:^|\.)operations\.(\d+)(?:\.|$)")
REFUSED_TEXT = "服务器拒绝了此操作 / the server refused an operation on case {case}: {reason}"


@dataclass
class PushReport:
    sent: int = 0
    acknowledged: int = 0
    refused: int = 0
    rebased: int = 0
    conflicts: int = 0
    waiting: int = 0  # left for a later sync (another user's, or rebased too often)


@dataclass
class _Outcome:
    ok: list[tuple[Doc, dict[str, Any]]] = field(default_factory=list)
    refused: list[tuple[Doc, str]] = field(default_factory=list)
    moved_on: dict[str, tuple[Doc, Doc]] = field(default_factory=dict)  # case -> (op, server)
    later: list[Doc] = field(default_factory=list)


class Pusher:
    def __init__(self, ctx: SyncContext) -> None:
        self.ctx = ctx

    def run(self, user: str) -> PushReport:
        """Send everything this user may send now; raises on network or server trouble."""
        report = PushReport()
        rebases: dict[str, int] = {}
        paused: set[str] = set()  # cases to leave for the next sync
        while True:
            batch = self._next_batch(user, paused)
            if not batch:
                break
            outcome = self._send(batch)
            report.sent += len(batch)
            self._settle(outcome, user, report, rebases, paused)
        report.waiting = len(paused)
        return report

    # Choosing what to send

    def _next_batch(self, user: str, paused: set[str]) -> list[Doc]:
        size = self.ctx.config.batch_size
        limit = size
        while True:
            rows = self.ctx.store.outbox_peek(limit)
            batch = self._sendable(rows, user, paused, size)
            if len(batch) >= size or len(rows) < limit:
                return batch
            limit *= 4  # many rows were another user's or paused: look further

    def _sendable(self, rows: Sequence[Doc], user: str, paused: set[str], size: int) -> list[Doc]:
        held: set[str] = set(paused)
        batch: list[Doc] = []
        for row in rows:
            op = row["op"]
            case_id = op["case_id"]
            if case_id in held:
                continue
            if op.get("officer") != user:
                held.add(case_id)  # its later operations were made on this one
                continue
            batch.append(self.ctx.book.effective(op))
            if op.get("kind") != "create":
                held.add(case_id)  # one change per case and request (see the docstring)
            if len(batch) >= size:
                break
        return batch

    # Sending

    def _send(self, batch: list[Doc]) -> _Outcome:
        answer = self.ctx.transport.call("POST", "/cases/batch", body={"operations": batch})
        if answer.status_code == 200:
            results = self.ctx.transport.expect_json(answer, "results")["results"]
            if not isinstance(results, list) or len(results) != len(batch):
                raise ServerTrouble(
                    f"the server answered {len(results) if isinstance(results, list) else '?'} "
                    f"results for {len(batch)} operations"
                )
            return self._sort(batch, results)
        if answer.status_code == 403:
            raise AccountRefused(self.ctx.transport.error_text(answer))
        if answer.status_code in (400, 422):
            return self._refused_request(batch, answer.status_code, answer)
        raise ServerTrouble(
            f"the server answered {answer.status_code} to a batch: "
            f"{self.ctx.transport.error_text(answer)}"
        )

    def _refused_request(self, batch: list[Doc], status: int, answer: Any) -> _Outcome:
        """The request as a whole was refused: blame the operations it names, or, when it
        names none, send them one by one so that only the bad one is kept aside."""
        text = self.ctx.transport.error_text(answer)
        named: dict[int, str] = {}
        try:
            detail = answer.json().get("detail")
        except ValueError:
            detail = None
        for problem in detail if isinstance(detail, list) else []:
            match = _OPERATION_PATH.search(str(problem.get("path", "")))
            if match and int(match.group(1)) < len(batch):
                named.setdefault(
                    int(match.group(1)), f"{problem.get('path')}: {problem.get('message')}"
                )
        if named:  # the others stay queued and go in the next request
            return _Outcome(refused=[(batch[i], reason) for i, reason in named.items()])
        if len(batch) == 1:
            return _Outcome(refused=[(batch[0], f"HTTP {status}: {text}")])
        merged = _Outcome()
        for op in batch:
            single = self._send([op])
            merged.ok += single.ok
            merged.refused += single.refused
            merged.later += single.later
            for case_id, pair in single.moved_on.items():
                merged.moved_on.setdefault(case_id, pair)
        return merged

    def _sort(self, batch: list[Doc], results: list[Any]) -> _Outcome:
        outcome = _Outcome()
        for op, result in zip(batch, results, strict=True):
            if (
                not isinstance(result, dict)
                or result.get("idempotency_key") != op["idempotency_key"]
            ):
                raise ServerTrouble("the server's results do not match the operations sent")
            status = result.get("status")
            case = result.get("case")
            if isinstance(status, int) and status < 300:
                if not isinstance(case, dict):
                    raise ServerTrouble("the server reported a success without the case")
                outcome.ok.append((op, case))
            elif status == 409 and isinstance(case, dict) and op.get("kind") != "create":
                outcome.moved_on.setdefault(op["case_id"], (op, case))
            elif status == 409 and case is None:
                outcome.later.append(op)  # a concurrent change: simply try again later
            else:
                reason = str(result.get("error") or f"HTTP {status}")
                outcome.refused.append((op, reason))
        return outcome

    # Recording the answers

    def _settle(
        self,
        outcome: _Outcome,
        user: str,
        report: PushReport,
        rebases: dict[str, int],
        paused: set[str],
    ) -> None:
        ctx = self.ctx
        for op, reason in outcome.refused:
            ctx.store.outbox_reject(op["idempotency_key"], reason)
            ctx.notify(
                "refused",
                op["case_id"],
                REFUSED_TEXT.format(case=op["case_id"], reason=reason),
                {"idempotency_key": op["idempotency_key"], "kind": op.get("kind", "")},
            )
            report.refused += 1
        answered = {op["case_id"] for op, _ in outcome.ok}
        for case_id in {op["case_id"] for op, _ in outcome.refused} - answered:
            self._show_servers_copy(case_id, user)
        paused.update(op["case_id"] for op in outcome.later)
        if outcome.ok:
            acked = {op["idempotency_key"] for op, _ in outcome.ok}
            latest: dict[str, Doc] = {}
            for op, case in outcome.ok:
                latest[op["case_id"]] = case
            with store_lock(ctx.store):
                arrivals = ctx.copies.absorb(list(latest.values()), user=user, leaving=acked)
                ctx.store.outbox_ack(acked)
            for key in acked:
                if ctx.book.rewrite(key) is not None:
                    ctx.book.set_rewrite(key, None)
            report.acknowledged += len(acked)
            ctx.arrived(arrivals, user)
        for case_id, (_op, server) in outcome.moved_on.items():
            rebases[case_id] = rebases.get(case_id, 0) + 1
            if rebases[case_id] > ctx.config.max_rebases:
                paused.add(case_id)
                continue
            self._rebase(case_id, server, user, report)

    def _show_servers_copy(self, case_id: str, user: str) -> None:
        """After a refusal the counter's copy still shows the refused change: rebuild it
        from the server's copy (when the server has the case at all)."""
        answer = self.ctx.transport.call("GET", f"/cases/{case_id}")
        if answer.status_code != 200:
            return  # e.g. its creation was refused: the counter's copy is all there is
        server = self.ctx.transport.expect_json(answer, "case")["case"]
        if isinstance(server, dict):
            self.ctx.arrived(self.ctx.copies.absorb([server], user=user), user)

    def _rebase(self, case_id: str, server: Doc, user: str, report: PushReport) -> None:
        ctx = self.ctx
        chain = [
            ctx.book.effective(row["op"])
            for row in ctx.store.outbox_of_case(case_id)
            if row["status"] == PENDING
        ]
        chain = [op for op in chain if op.get("officer") == user]
        if not chain:
            return
        base = fetch_base(ctx.transport, case_id, int(chain[0].get("base_version", 0)))
        plan = plan_rebase(chain, base, server, ctx.rules.version_member)
        for key, version, payload in plan.rewrites:
            rewrite = {**(ctx.book.rewrite(key) or {}), "base_version": version}
            if payload is not None:
                rewrite["payload"] = payload
            ctx.book.set_rewrite(key, rewrite)
        report.rebased += len(plan.rewrites)
        if plan.conflict_key is not None:
            op = next(o for o in chain if o["idempotency_key"] == plan.conflict_key)
            record = record_conflict(ctx.store, ctx.book, plan, case_id, op, server, ctx.stamp())
            ctx.notify(
                "conflict",
                case_id,
                "办件 {case} 在服务器上也被修改：{members}，请选择保留哪一方 / case {case} was "
                "also changed on the server ({members}): choose which to keep".format(
                    case=case_id, members=", ".join(record["members"])
                ),
                {"conflict": record["id"]},
            )
            report.conflicts += 1
        arrivals = ctx.copies.absorb([server], user=user)
        ctx.arrived(arrivals, user)
