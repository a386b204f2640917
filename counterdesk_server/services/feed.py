"""The change feed: every case a caller may see, in the order its changes committed.

Each case row carries ``feed_seq``, the feed position of its latest change, so a case
appears once however often it changed. Positions come from the centre's ``feed_counters``
row, moved with ``UPDATE ... RETURNING`` as the *last* statement before commit: the row
lock is held until the transaction ends, so a second writer of the same centre cannot take
a position until the first has committed. Positions therefore become visible in order, and
a reader that has seen position N has seen everything below N: no change is skipped when
writers commit out of order (a bare sequence could commit 8 before 7 and a reader would
move past 7 for good). On SQLite writers are serialised by ``BEGIN IMMEDIATE`` anyway.
Holding the lock only from the end of the work to the commit keeps writers of one centre
overlapping for everything but that instant.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import cast

from sqlalchemy import Connection, Table, bindparam, or_, select, update
from sqlalchemy.orm import Session

from counterdesk_server.db.models import CaseRecord, FeedCounter

_TABLE = cast(Table, CaseRecord.__table__)
_SET_POSITION = (
    _TABLE.update().where(_TABLE.c.id == bindparam("pk")).values(feed_seq=bindparam("seq"))
)


def take_positions(session: Session, centre_id: int, count: int) -> int:
    """Reserve ``count`` feed positions; returns the last. Holds the lock until commit."""
    return int(
        session.execute(
            update(FeedCounter)
            .where(FeedCounter.centre_id == centre_id)
            .values(last_seq=FeedCounter.last_seq + count)
            .returning(FeedCounter.last_seq)
        ).scalar_one()
    )


def assign_positions(session: Session, centre_id: int, case_pks: Sequence[int]) -> int:
    """Give each changed case its new feed position; returns the last position taken."""
    if not case_pks:
        return 0
    last = take_positions(session, centre_id, len(case_pks))
    first = last - len(case_pks) + 1
    session.execute(_SET_POSITION, [{"pk": pk, "seq": first + i} for i, pk in enumerate(case_pks)])
    return last


@dataclass(frozen=True)
class FeedPage:
    entries: list[tuple[int, str]]  # (position, case document as stored JSON)
    next_cursor: int
    more: bool

    def to_json_text(self) -> str:
        """The page as JSON, splicing the stored documents in without re-encoding them."""
        changes = ",".join(f'{{"seq":{seq},"case":{doc}}}' for seq, doc in self.entries)
        more = "true" if self.more else "false"
        return f'{{"changes":[{changes}],"next":{self.next_cursor},"more":{more}}}'


def read_page(
    session: Session | Connection,
    centre_id: int,
    *,
    training: bool,
    since: int,
    limit: int,
    only_for: str | None = None,
) -> FeedPage:
    """Changes after ``since``; ``only_for`` limits them to a user's own cases."""
    query = (
        select(CaseRecord.feed_seq, CaseRecord.document)
        .where(
            CaseRecord.centre_id == centre_id,
            CaseRecord.training == training,
            CaseRecord.feed_seq > since,
        )
        .order_by(CaseRecord.feed_seq)
        .limit(limit + 1)
    )
    if only_for is not None:
        query = query.where(
            or_(CaseRecord.received_by == only_for, CaseRecord.assignee == only_for)
        )
    rows = session.execute(query).all()
    more = len(rows) > limit
    entries = [(int(seq), doc) for seq, doc in rows[:limit]]
    return FeedPage(entries, entries[-1][0] if entries else since, more)
