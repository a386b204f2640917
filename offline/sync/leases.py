"""Keeping a lease of official case numbers topped up while online, so that a receipt
printed offline carries its final number.

A lease request is not idempotent on the server: an answer lost on the way costs a block
of numbers (a gap in the series), never a number given twice.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from offline.sync.context import SyncContext
from offline.sync.errors import ServerTrouble

log = logging.getLogger(__name__)

_NUMBER = re.compile(r"(?P<prefix>.*?)(?P<digits>\d+)")


def lease_block(answer: dict[str, Any]) -> dict[str, Any]:
    """The store's lease block ``{lease_id, prefix, first, last, width}`` from the server's
    answer (numbers such as ``JX-NANHU-2026-000101``: a prefix, then padded digits)."""
    first = _NUMBER.fullmatch(str(answer["first"]))
    last = _NUMBER.fullmatch(str(answer["last"]))
    if first is None or last is None or first["prefix"] != last["prefix"]:
        raise ServerTrouble(f"lease numbers {answer['first']!r}..{answer['last']!r} are not a run")
    low, high = int(first["digits"]), int(last["digits"])
    if high - low + 1 != int(answer.get("count", 0)):
        raise ServerTrouble("the lease's count does not match its numbers")
    return {
        "lease_id": f"server-{answer['id']}",
        "prefix": first["prefix"],
        "first": low,
        "last": high,
        "width": len(first["digits"]),
    }


def top_up(ctx: SyncContext) -> int:
    """Lease a new block when fewer than ``lease_low_water`` numbers are left."""
    if ctx.store.numbers_left() >= ctx.config.lease_low_water:
        return 0
    answer = ctx.transport.call(
        "POST", "/leases", body={"count": ctx.config.lease_block, "device": ctx.config.device}
    )
    if answer.status_code in (403, 422):
        log.info("no number lease: %s", ctx.transport.error_text(answer))
        return 0
    if answer.status_code not in (200, 201):
        raise ServerTrouble(f"the lease request answered {answer.status_code}")
    block = lease_block(ctx.transport.expect_json(answer, "id", "first", "last", "count"))
    ctx.store.lease_add(block)
    log.info("leased %d case numbers", block["last"] - block["first"] + 1)
    return int(block["last"] - block["first"] + 1)
