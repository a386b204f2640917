"""Pulling the change feed: every document that changed on the server since the saved
cursor, page by page.

The cursor is saved only after the page's documents are on disk, so a crash re-reads a
page (harmless: absorbing a version twice changes nothing) and never skips one. Versions
this engine already wrote (its own acknowledged operations, typically) are passed over
without touching the store, which keeps an idle poll to one small request.
"""

from __future__ import annotations

from dataclasses import dataclass

from offline.sync.context import SyncContext
from offline.sync.errors import AccountRefused, ServerTrouble


@dataclass
class PullReport:
    pages: int = 0
    changes: int = 0  # entries read
    updated: int = 0  # local copies that changed


class Puller:
    def __init__(self, ctx: SyncContext) -> None:
        self.ctx = ctx

    def run(self, user: str) -> PullReport:
        ctx = self.ctx
        report = PullReport()
        cursor = ctx.book.cursor()
        while True:
            answer = ctx.transport.call(
                "GET", "/changes", params={"since": cursor, "limit": ctx.config.feed_page}
            )
            if answer.status_code == 403:
                raise AccountRefused(ctx.transport.error_text(answer))
            if answer.status_code != 200:
                raise ServerTrouble(
                    f"the change feed answered {answer.status_code}: "
                    f"{ctx.transport.error_text(answer)}"
                )
            page = ctx.transport.expect_json(answer, "changes", "next", "more")
            entries, following = page["changes"], page["next"]
            if not isinstance(entries, list) or not isinstance(following, int):
                raise ServerTrouble("the change feed's page is not in the API's shape")
            if following < cursor:
                raise ServerTrouble(f"the change feed went back from {cursor} to {following}")
            docs = [e["case"] for e in entries if isinstance(e, dict) and _is_doc(e.get("case"))]
            fresh = [
                doc for doc in docs if ctx.copies.known.get(doc["id"]) != ctx.copies.version_of(doc)
            ]
            if fresh:
                arrivals = ctx.copies.absorb(fresh, user=user, feed=True)
                report.updated += len(arrivals)
                ctx.arrived(arrivals, user)
            report.pages += 1
            report.changes += len(entries)
            if following != cursor:
                ctx.book.set_cursor(following)
                cursor = following
            if not page["more"] or not entries:
                return report


def _is_doc(value: object) -> bool:
    return isinstance(value, dict) and isinstance(value.get("id"), str) and bool(value["id"])
