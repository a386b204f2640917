"""Everything the case view shows about one case, read in one go (in a worker): the case,
its clock, the timeline with what has reached the server, this counter's audit trail of
it, the papers printed, and the actions the case allows now.

Which action a case allows is the domain's word (the state machine, the collector and
termination rules, the papers that fit it); the screen's keys and the command palette
both ask ``CaseRecord.allows``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from counterdesk.domain.calendar import WorkingCalendar
from counterdesk.domain.cases import Case, CaseState, OperationKind, Role, allowed_targets
from counterdesk.domain.cases.deferral import commitment_overdue, termination_problem
from counterdesk.domain.cases.issuance import issuance_path
from counterdesk.domain.cases.timelimit import ClockReading, read_clock
from counterdesk.domain.cases.unlisted import UNLISTED_KIND
from counterdesk.forms.paper import DocKind
from counterdesk.services.supplement import kind_of
from offline import Store

if TYPE_CHECKING:
    from counterdesk.services.counter import CounterServices

Sync = Literal["synced", "waiting", "refused", "local"]
ACTIONS = ("recheck", "terminate", "issue", "withdraw", "reprint")


@dataclass(frozen=True)
class TimelineRow:
    at: dt.datetime
    state_from: CaseState | None
    state_to: CaseState
    by: str  # the officer's name where this counter knows it
    reason: str
    sync: Sync
    refusal: str = ""  # the server's reason, when it refused the change


@dataclass(frozen=True)
class AuditRow:
    at: dt.datetime
    actor: str
    action: str
    detail: str = ""


@dataclass(frozen=True)
class PaperRow:
    doc: DocKind
    printed: int  # times printed (reprints included)
    reprints: int
    last_at: dt.datetime | None


@dataclass(frozen=True)
class CaseRecord:
    case: Case
    clock: ClockReading
    today: dt.date
    source: Literal["here", "server"] = "here"
    timeline: tuple[TimelineRow, ...] = ()
    audit: tuple[AuditRow, ...] = ()
    papers: tuple[PaperRow, ...] = ()
    waiting: int = 0  # this case's operations not yet on the server
    refused: int = 0
    actions: frozenset[str] = field(default_factory=frozenset)
    names: dict[str, str] = field(default_factory=dict)  # officer ids and their names
    standalone: bool = False  # no server: nothing ever syncs

    def allows(self, action: str) -> bool:
        return action in self.actions

    @property
    def commitment_overdue(self) -> bool:
        due = self.case.decision.due if self.case.decision else None
        return commitment_overdue(self.case.state, due, self.today)

    @property
    def supplement_overdue(self) -> bool:
        due = self.case.decision.due if self.case.decision else None
        return self.case.state is CaseState.AWAITING_SUPPLEMENT and bool(due and self.today > due)


def allowed_actions(case: Case, today: dt.date, role: Role, papers: int) -> frozenset[str]:
    actions = set()
    unlisted = case.target.kind == UNLISTED_KIND  # no checklist: refused at intake, once
    if kind_of(case.state) is not None and not unlisted:
        actions.add("recheck")  # decide, supplement, or the deferred papers
    due = case.decision.due if case.decision else None
    if not termination_problem(case.state, due, today):
        actions.add("terminate")
    if issuance_path(case.state):
        actions.add("issue")
    if CaseState.WITHDRAWN in allowed_targets(case.state, role, unlisted=unlisted):
        actions.add("withdraw")
    if papers:
        actions.add("reprint")
    return frozenset(actions)


def build_record(
    case: Case,
    store: Store,
    today: dt.date,
    calendar: WorkingCalendar,
    *,
    warning_days: int = 1,
    names: dict[str, str] | None = None,
    standalone: bool = False,
    source: Literal["here", "server"] = "here",
    role: Role = Role.OFFICER,
    tz: dt.tzinfo | None = None,
) -> CaseRecord:
    """The case view's record of ``case`` (blocking: reads the outbox and the audit)."""
    from counterdesk.forms.build import documents_for  # the papers that fit: forms' rule

    names = names or {}
    rows = store.outbox_of_case(case.id) if source == "here" else []
    pending = [row for row in rows if row["status"] == "pending"]
    refused = [row for row in rows if row["status"] != "pending"]
    kinds = documents_for(case)
    return CaseRecord(
        case=case,
        clock=read_clock(case, today, calendar, warning_days),
        today=today,
        source=source,
        timeline=tuple(_timeline(case, rows, names, standalone and source == "here")),
        audit=tuple(_audit(store, case.id, names, tz)) if source == "here" else (),
        papers=tuple(_papers(case, kinds)),
        waiting=len(pending),
        refused=len(refused),
        actions=allowed_actions(case, today, role, len(kinds)),
        names=names,
        standalone=standalone,
    )


def record_of(
    services: CounterServices,
    case: Case,
    role: Role,
    source: Literal["here", "server"] = "here",
) -> CaseRecord:
    names = {officer.username: officer.shown for officer in services.officers.officers()}
    names.update(services.officer_names)
    clock = services.clock
    return build_record(
        case,
        services.store,
        clock.today(),
        services.calendar(),
        warning_days=services.settings.warning_days,
        names=names,
        standalone=services.settings.standalone,
        source=source,
        role=role,
        tz=clock.now().tzinfo,
    )


def _timeline(
    case: Case, rows: list[dict[str, Any]], names: dict[str, str], standalone: bool
) -> list[TimelineRow]:
    """Each state change, and whether the operation that made it has reached the server:
    an operation still in the outbox is waiting (or refused, with the server's reason)."""
    moves = {}
    for row in rows:
        op = row["op"]
        at = dt.datetime.fromisoformat(op["device_time"])
        if op["kind"] == OperationKind.CREATE.value:
            moves[(None, at)] = row
        elif op["kind"] == OperationKind.TRANSITION.value:
            moves[((op.get("payload") or {}).get("to"), at)] = row
    found = []
    for index, entry in enumerate(case.timeline):
        key = (None if index == 0 else entry.state_to.value, entry.at)
        row = moves.get(key)
        sync: Sync = "local" if standalone else "synced"
        refusal = ""
        if row is not None and not standalone:  # a standalone counter's outbox only grows
            sync = "waiting" if row["status"] == "pending" else "refused"
            refusal = row.get("reason") or ""
        found.append(
            TimelineRow(
                entry.at,
                entry.state_from,
                entry.state_to,
                names.get(entry.by, entry.by),
                entry.reason,
                sync,
                refusal,
            )
        )
    return found


def _audit(
    store: Store, case_id: str, names: dict[str, str], tz: dt.tzinfo | None
) -> list[AuditRow]:
    found = []
    for entry in store.audit_entries():
        if entry.get("case_id") != case_id:
            continue
        at = dt.datetime.fromisoformat(entry["at"])
        detail = str(entry.get("doc") or entry.get("method") or entry.get("step") or "")
        found.append(
            AuditRow(
                at.astimezone(tz) if tz else at,
                names.get(entry.get("actor", ""), entry.get("actor", "")),
                str(entry.get("action", "")),
                detail,
            )
        )
    return found


def _papers(case: Case, kinds: list[DocKind]) -> list[PaperRow]:
    rows = []
    for kind in kinds:
        prints = [p for p in case.prints if p.doc == kind.value]
        rows.append(
            PaperRow(
                kind,
                len(prints),
                sum(1 for p in prints if p.reprint),
                prints[-1].at if prints else None,
            )
        )
    return rows
