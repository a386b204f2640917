"""The sections of the case view, as Rich renderables built from a ``CaseRecord``: who and
what, the clock, the materials as received, the timeline with its sync state, the papers,
the audit trail and the attachments. Widths are measured in cells (Rich), never len()."""

from __future__ import annotations

import datetime as dt

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from counterdesk import i18n
from counterdesk.domain.cases import Case
from counterdesk.domain.cases.unlisted import UNLISTED_KIND
from counterdesk.domain.catalogue import Catalogue
from counterdesk.domain.identity import mask_id_number, mask_phone
from counterdesk.i18n import _
from counterdesk.screens.case_labels import audit_label, status_label, sync_label
from counterdesk.screens.labels import deadline_label, outcome_label, paper_label, state_label
from counterdesk.services.case_record import CaseRecord

STATUS_STYLE = {"overdue": "bold red", "warning": "bold yellow", "stopped": "dim"}
SYNC_STYLE = {"waiting": "yellow", "refused": "bold red", "local": "dim", "synced": "green"}


def _when(at: dt.datetime | None) -> str:
    return at.strftime("%m-%d %H:%M") if at else ""


def _section(title: str) -> Text:
    return Text(title, style="bold underline")


def grid_style() -> Table:
    table = Table.grid(padding=(0, 2))
    table.add_column(style="bold", no_wrap=True)
    table.add_column(overflow="fold")
    return table


def masked_id(kind: str, value: str) -> str:
    return mask_id_number(value) if kind == "resident_id" else value


def summary(record: CaseRecord) -> RenderableType:
    case = record.case
    grid = grid_style()
    state = Text(state_label(case.state.value), style="bold")
    if record.commitment_overdue:
        state.append("  " + _("commitment overdue: the case may be terminated"), "bold red")
    if record.supplement_overdue:
        state.append("  " + _("supplement past its due date"), "bold yellow")
    grid.add_row(_("State"), state)
    if case.target.kind == UNLISTED_KIND:  # what the applicant asked for, no item
        grid.add_row(
            _("Asked for"), f"{case.target.name} · " + _("no item of this centre covers it")
        )
    else:
        grid.add_row(_("Item"), f"{case.target.code} {_target_name(case)}")
    applicant = case.applicant
    who = [applicant.name, masked_id(applicant.id_kind, applicant.id_number)]
    if applicant.phone:
        who.append(mask_phone(applicant.phone))
    if applicant.contact_name:
        who.append(_("contact {name}").format(name=applicant.contact_name))
    grid.add_row(_("Applicant"), " · ".join(who))
    if case.agent is not None:
        grid.add_row(_("Agent"), f"{case.agent.name} · {mask_id_number(case.agent.id_number)}")
    grid.add_row(
        _("Received"),
        f"{case.received_at.strftime('%Y-%m-%d %H:%M')} · "
        + record.names.get(case.received_by, case.received_by),
    )
    if case.decision is not None:
        decision = outcome_label(case.decision.outcome)
        if case.decision.due:
            decision += " · " + _("due {date}").format(date=case.decision.due.isoformat())
        if case.decision.reason:
            decision += f" · {case.decision.reason}"
        grid.add_row(_("Decision"), decision)
    grid.add_row(_("Clock"), clock_text(record))
    if case.limits is not None:
        limits = case.limits
        grid.add_row(
            _("Limits"),
            _("promised {p} working days (by {pd}), legal {l} (by {ld})").format(
                p=limits.promised_days,
                pd=limits.promised_by.isoformat(),
                l=limits.legal_days,
                ld=limits.legal_by.isoformat(),
            ),
        )
    if case.department_result is not None:
        result = case.department_result
        verdict = _("approved") if result.approved else _("rejected")
        grid.add_row(_("Result"), f"{verdict} · {result.text} · {_when(result.decided_at)}")
    if case.issuance is not None:
        grid.add_row(_("Handed over"), issuance_text(case))
    if record.source == "server":
        grid.add_row("", Text(_("Found on the server: not kept on this counter."), "yellow"))
    if (record.waiting or record.refused) and not record.standalone:
        sync = _("{n} changes waiting to sync").format(n=record.waiting)
        if record.refused:
            sync += " · " + _("{n} refused by the server").format(n=record.refused)
        grid.add_row(_("Sync"), Text(sync, style="yellow" if not record.refused else "red"))
    return grid


def clock_text(record: CaseRecord) -> Text:
    reading = record.clock
    text = Text(style=STATUS_STYLE.get(reading.status.value, ""))
    text.append(status_label(reading.status.value))
    if reading.due is not None:
        text.append(f" · {deadline_label(reading.deadline or '')} {reading.due.isoformat()}")
    if reading.remaining is not None and reading.status.value != "stopped":
        if reading.remaining < 0:
            text.append(" · " + _("{n} working days over").format(n=-reading.remaining))
        else:
            text.append(" · " + _("{n} working days left").format(n=reading.remaining))
    if reading.provisional:
        text.append(" " + _("(provisional calendar)"))
    return text


def issuance_text(case: Case) -> str:
    issuance = case.issuance
    assert issuance is not None
    if issuance.method == "mail":
        return _("mailed by {courier}, tracking {number}").format(
            courier=issuance.courier, number=issuance.tracking_number
        )
    who = f"{issuance.collector_name} {mask_id_number(issuance.collector_id)}"
    if issuance.delegate:
        who += " · " + _("power of attorney")
    return _("collected by {who} · {when}").format(who=who, when=_when(issuance.delivered_at))


def materials(case: Case, catalogue: Catalogue | None) -> RenderableType:
    lines = (case.check or {}).get("checklist") or []
    table = Table(box=None, padding=(0, 1), expand=True, show_edge=False)
    table.add_column(_("Material"), ratio=1, overflow="ellipsis", no_wrap=True)
    table.add_column(_("Asked"), no_wrap=True)
    table.add_column(_("Received"), no_wrap=True)
    names = {line.get("material"): line.get("name") for line in lines if isinstance(line, dict)}
    asked = {
        line.get("material"): (line.get("original", 0), line.get("copies", 0))
        for line in lines
        if isinstance(line, dict)
    }
    materials_shown = list(asked) + [m for m in case.received if m not in asked]
    for material in materials_shown:
        got = case.received.get(str(material))
        name = names.get(material) or _material_name(catalogue, str(material))
        original, copies = asked.get(material, (0, 0))
        received = "—"
        if got is not None:
            received = _counts(got.original, got.copies)
            if got.made_at_counter:
                received += " " + _("({n} here)").format(n=got.made_at_counter)
        table.add_row(name, _counts(int(original or 0), int(copies or 0)), received)
    if not materials_shown:
        return Text(_("No papers recorded."), style="dim")
    return table


def timeline(record: CaseRecord) -> RenderableType:
    table = Table(box=None, padding=(0, 1), expand=True, show_edge=False)
    table.add_column(_("When"), no_wrap=True)
    table.add_column(_("Change"), ratio=1, overflow="fold")
    table.add_column(_("Who"), no_wrap=True, max_width=10, overflow="ellipsis")
    table.add_column(_("Sync"), no_wrap=True)
    for row in record.timeline:
        change = state_label(row.state_to.value)
        if row.state_from is not None:
            change = f"{state_label(row.state_from.value)} → {change}"
        if row.reason:
            change += f" · {i18n.bilingual(row.reason)}"
        sync = Text(sync_label(row.sync), style=SYNC_STYLE[row.sync])
        if row.refusal:
            sync.append(f" {i18n.bilingual(row.refusal)}")
        table.add_row(_when(row.at), change, row.by, sync)
    return table


def papers(record: CaseRecord) -> RenderableType:
    table = Table(box=None, padding=(0, 1), expand=True, show_edge=False)
    table.add_column(_("Paper"), ratio=1, no_wrap=True, overflow="ellipsis")
    table.add_column(_("Printed"), no_wrap=True)
    table.add_column(_("Last"), no_wrap=True)
    for row in record.papers:
        printed = (
            _("{n} times, {r} reprints").format(n=row.printed, r=row.reprints)
            if row.printed
            else _("not yet")
        )
        table.add_row(paper_label(row.doc.value), printed, _when(row.last_at))
    return table


def audit(record: CaseRecord) -> RenderableType:
    if record.source == "server":
        return Text(_("Kept on the server."), style="dim")
    table = Table(box=None, padding=(0, 1), expand=True, show_edge=False)
    table.add_column(_("When"), no_wrap=True)
    table.add_column(_("Who"), no_wrap=True, max_width=10, overflow="ellipsis")
    table.add_column(_("What"), ratio=1, overflow="fold")
    for row in record.audit:
        what = audit_label(row.action)
        if row.detail:
            what += f" · {_detail(row.detail)}"
        table.add_row(_when(row.at), row.actor, what)
    return table


def attachments(case: Case, catalogue: Catalogue | None) -> RenderableType:
    if not case.attachments:
        return Text(_("No scans attached."), style="dim")
    table = Table(box=None, padding=(0, 1), expand=True, show_edge=False)
    table.add_column(_("Material"), ratio=1, no_wrap=True, overflow="ellipsis")
    table.add_column(_("Pages"), no_wrap=True)
    table.add_column(_("Size"), no_wrap=True)
    for ref in case.attachments:
        table.add_row(
            _material_name(catalogue, ref.material), str(ref.pages), f"{ref.size // 1024} KB"
        )
    return table


def whole(record: CaseRecord, catalogue: Catalogue | None) -> RenderableType:
    """Every section, top to bottom, in one scrollable renderable."""
    case = record.case
    return Group(
        summary(record),
        Text(""),
        _section(_("Materials as received")),
        materials(case, catalogue),
        Text(""),
        _section(_("Timeline")),
        timeline(record),
        Text(""),
        _section(_("Papers")),
        papers(record),
        Text(""),
        _section(_("Attachments")),
        attachments(case, catalogue),
        Text(""),
        _section(_("Audit trail on this counter")),
        audit(record),
    )


def _counts(original: int, copies: int) -> str:
    from counterdesk.widgets.checklist_table import counts_label

    return counts_label(original, copies)


def _material_name(catalogue: Catalogue | None, material: str) -> str:
    found = catalogue.materials.get(material) if catalogue is not None else None
    return found.name if found else material


def _target_name(case: Case) -> str:
    if i18n.current() == "en" and case.target.name_en:
        return case.target.name_en
    return case.target.name


def _detail(detail: str) -> str:
    try:
        return paper_label(detail.removeprefix("export:"))
    except ValueError:
        return {
            "pickup": _("at the counter"),
            "mail": _("by mail"),
            "decide": _("after receiving"),
            "supplement": _("on supplement"),
        }.get(detail, detail)
