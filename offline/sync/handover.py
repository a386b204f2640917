"""Reassignment never discards work: the officer's unsynced changes go to the new
assignee, and both are told.

When a server version shows that a document this counter's user holds unsynced
operations for is now assigned to someone else, the operations are still pushed (the
server takes them from any officer of the centre, on the version it has now), the officer
gets a notice, and once they are delivered the server is asked to tell the new assignee
(``POST /handovers``). The new assignee's engine reads those notices (``GET /handovers``)
and shows them. A handover to announce is kept in the store until the server took it, and
carries a key so that announcing twice is once.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Sequence

from offline.outbox import PENDING
from offline.sync.context import SyncContext
from offline.sync.errors import ServerTrouble
from offline.sync.local import Arrival

log = logging.getLogger(__name__)

HANDED_OVER = (
    "办件 {case} 已改派给 {to}；你未同步的 {n} 项修改会交给 {to} / case {case} was "
    "reassigned to {to}: your {n} unsynced changes are delivered to them"
)
REASSIGNED = "办件 {case} 已改派给 {to} / case {case} was reassigned to {to}"
ASSIGNED = "办件 {case} 已分派给你 / case {case} was assigned to you"
RECEIVED = (
    "办件 {case} 由 {by} 交接给你，附带其离线时的 {n} 项修改 / case {case} was handed over "
    "to you by {by}, with {n} changes they made offline"
)


class Handovers:
    def __init__(self, ctx: SyncContext) -> None:
        self.ctx = ctx
        self._next_check = 0.0

    def arrived(self, arrivals: Sequence[Arrival], user: str) -> None:
        """Notice reassignments in server versions that just changed local copies."""
        owner = self.ctx.rules.owner_member
        if owner is None or not user:
            return
        for arrival in arrivals:
            if arrival.before is None:
                continue  # new on this counter: nothing of ours to hand over
            was, now = arrival.before.get(owner), arrival.server.get(owner)
            if was == now or not now:
                continue
            case_id = arrival.case_id
            if was == user and arrival.pending_mine:
                record = {
                    "key": str(uuid.uuid4()),
                    "case_id": case_id,
                    "to": now,
                    "operations": arrival.pending_mine,
                    "device_time": self.ctx.stamp(),
                }
                if self.ctx.book.add_handover_out(record):
                    text = HANDED_OVER.format(case=case_id, to=now, n=arrival.pending_mine)
                    self.ctx.notify("handover_out", case_id, text, {"to": now})
            elif was == user:
                self.ctx.notify(
                    "reassigned", case_id, REASSIGNED.format(case=case_id, to=now), {"to": now}
                )
            elif now == user and was:
                self.ctx.notify("assigned", case_id, ASSIGNED.format(case=case_id), {"from": was})

    def announce(self, user: str) -> int:
        """Tell the server about handovers whose operations are all delivered."""
        ctx = self.ctx
        told = 0
        for record in ctx.book.handovers_out():
            waiting = [
                row
                for row in ctx.store.outbox_of_case(record["case_id"])
                if row["status"] == PENDING and row["op"].get("officer") == user
            ]
            if waiting:
                continue  # announce once the work has actually arrived
            answer = ctx.transport.call(
                "POST",
                "/handovers",
                body={
                    "case_id": record["case_id"],
                    "operations": record["operations"],
                    "key": record["key"],
                    "device_time": record["device_time"],
                },
            )
            if answer.status_code in (200, 201):
                told += 1
            elif answer.status_code in (403, 404, 409, 422):
                # Nothing to hand over any more (assigned back, case gone): say so, drop it.
                log.info(
                    "handover of %s not announced: %s",
                    record["case_id"],
                    ctx.transport.error_text(answer),
                )
            else:
                raise ServerTrouble(f"handover answered {answer.status_code}")
            ctx.book.drop_handover_out(record["key"])
        return told

    def collect(self, force: bool = False) -> int:
        """Read handover notices addressed to this user (every so often, or when the feed
        brought changes)."""
        ctx = self.ctx
        if not force and time.monotonic() < self._next_check:
            return 0
        cursor = ctx.book.handover_cursor()
        answer = ctx.transport.call("GET", "/handovers", params={"since": cursor})
        if answer.status_code != 200:
            log.info("handover notices unavailable: %s", ctx.transport.error_text(answer))
            self._next_check = time.monotonic() + ctx.config.handover_interval
            return 0
        page = ctx.transport.expect_json(answer, "handovers", "next")
        found = 0
        for item in page["handovers"]:
            text = RECEIVED.format(case=item["case_id"], by=item["from"], n=item["operations"])
            ctx.notify("handover_in", item["case_id"], text, dict(item))
            found += 1
        if isinstance(page["next"], int) and page["next"] != cursor:
            ctx.book.set_handover_cursor(page["next"])
        self._next_check = time.monotonic() + ctx.config.handover_interval
        return found
