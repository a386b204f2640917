"""The board's rows from stored case documents: the shared clock and risk, masked
applicants, cases at risk on top whatever the sort, the filter, the views by officer and
by department, and rows kept current as syncs bring changes (a newer version wins)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from counterdesk.domain.calendar import WorkingCalendar
from counterdesk.services.board_rows import (
    BoardRows,
    Directory,
    Grouping,
    GroupLine,
    SortKey,
    board_lines,
    build_rows,
    risk_counts,
)

TODAY = dt.date(2026, 11, 23)  # a Monday
CALENDAR = WorkingCalendar()
DEPARTMENTS = {"SCJG-GT-001": ("SCJG", "市场监督管理局"), "GJJ-ZY-001": ("GJJ", "公积金中心")}
DIRECTORY = Directory(
    {"officer1": "王丽", "officer2": "李明"}, lambda code: DEPARTMENTS.get(code, ("", "?"))
)


def doc(
    officer: str = "officer1",
    received: str = "2026-11-23T09:00:00+08:00",
    state: str = "received",
    code: str = "SCJG-GT-001",
    version: int = 1,
    **extra: Any,
) -> dict[str, Any]:
    return {
        "id": extra.pop("id", str(uuid.uuid4())),
        "version": version,
        "state": state,
        "assignee": officer,
        "received_by": officer,
        "received_at": received,
        "numbers": {"official": extra.pop("number", "JX-NANHU-2026-000001")},
        "target": {
            "kind": "item",
            "code": code,
            "name": "个体工商户设立登记",
            "name_en": "Sole proprietor",
        },
        "applicant": {
            "type": "natural",
            "name": extra.pop("name", "张三"),
            "id_kind": "resident_id",
            "id_number": "330402199001011230",
            "phone": "13812345678",
        },
        "decision": None,
        "limits": None,
        "timeline": [],
        **extra,
    }


def rows(*docs: dict[str, Any]) -> list[Any]:
    return build_rows(docs, TODAY, CALENDAR, DIRECTORY)


def test_a_row_reads_the_shared_clock_and_masks_the_applicant() -> None:
    [row] = rows(doc(received="2026-11-20T10:00:00+08:00"))  # a Friday
    assert (row.deadline, row.due, row.remaining, row.status) == (
        "notice",
        dt.date(2026, 11, 27),
        4,
        "normal",
    )
    assert row.applicant_id == "330402********1230" and row.phone == "138****5678"
    assert "330402199001011230" not in row.search_text  # never searchable by the full ID
    assert (row.officer_name, row.department, row.department_name) == (
        "王丽",
        "SCJG",
        "市场监督管理局",
    )
    assert row.age_days == 1  # one working day since the materials arrived


def test_closed_and_training_cases_are_not_on_the_board() -> None:
    assert len(rows(doc(state="delivered"), doc(training=True), doc())) == 1


def test_cases_at_risk_come_first_whatever_the_sort() -> None:
    calm = doc(received="2026-11-23T09:00:00+08:00", name="甲")
    soon = doc(received="2026-11-17T09:00:00+08:00", name="乙")  # due the 24th: one day left
    past = doc(received="2026-11-13T09:00:00+08:00", name="丙")  # notice deadline the 20th
    older_calm = doc(received="2026-11-19T09:00:00+08:00", name="丁")  # two days left
    built = rows(calm, soon, past, older_calm)
    assert risk_counts(built) == {"notice_past": 1, "overdue": 0, "due_soon": 1, "none": 2}
    for sort in SortKey:
        lines = board_lines(built, Grouping.NONE, sort)
        assert [line.applicant for line in lines[:2]] == ["丙", "乙"], sort
    by_age = board_lines(built, Grouping.NONE, SortKey.AGE)
    assert [line.applicant for line in by_age[2:]] == ["丁", "甲"]


def test_the_filter_narrows_on_every_word() -> None:
    built = rows(
        doc(officer="officer1", name="张三", number="JX-NANHU-2026-000007"),
        doc(officer="officer2", name="李四", code="GJJ-ZY-001"),
    )
    assert [r.applicant for r in board_lines(built, Grouping.NONE, SortKey.URGENCY, "000007")] == [
        "张三"
    ]
    assert [
        r.applicant for r in board_lines(built, Grouping.NONE, SortKey.URGENCY, "李明 公积金")
    ] == ["李四"]
    assert board_lines(built, Grouping.NONE, SortKey.URGENCY, "王丽 公积金") == []


def test_views_by_officer_and_by_department() -> None:
    built = rows(
        doc(officer="officer1"),
        doc(officer="officer2", received="2026-11-13T09:00:00+08:00"),
        doc(officer="officer2", code="GJJ-ZY-001"),
    )
    by_officer = board_lines(built, Grouping.OFFICER, SortKey.URGENCY)
    groups = [line for line in by_officer if isinstance(line, GroupLine)]
    # The group with cases at risk first.
    assert [(g.label, g.count, g.at_risk) for g in groups] == [
        ("李明 (officer2)", 2, 1),
        ("王丽 (officer1)", 1, 0),
    ]
    assert isinstance(by_officer[0], GroupLine) and by_officer[1].officer == "officer2"
    by_department = board_lines(built, Grouping.DEPARTMENT, SortKey.URGENCY)
    assert [g.label for g in by_department if isinstance(g, GroupLine)] == [
        "市场监督管理局",
        "公积金中心",
    ]


def test_rows_stay_current_and_an_older_reading_never_wins() -> None:
    board = BoardRows()
    first = doc(version=1, id="case-1")
    board.replace_all(rows(first), started=board.changes)
    started = board.changes  # a slow reading of everything begins here…
    newer = doc(version=2, id="case-1", officer="officer2")
    arrived = doc(version=1, id="case-2")
    assert board.apply(rows(newer, arrived), {})  # …while a sync brings two changes
    board.replace_all(rows(first), started)  # the slow reading lands, older
    assert board.rows["case-1"].officer == "officer2"  # the newer version stays
    assert "case-2" in board.rows  # a case it did not see yet is not dropped
    assert board.apply([], {"case-1": 3})  # closed at version 3
    assert "case-1" not in board.rows
    board.apply(rows(newer), {})  # a late copy of an older version does not bring it back
    assert "case-1" not in board.rows
    board.replace_all([], board.changes)
    assert board.rows == {}


def test_a_matter_no_item_covers_has_no_department() -> None:
    from counterdesk.domain.catalogue import bundled_catalogue_path, load_catalogue
    from counterdesk.services.board import department_label

    catalogue = load_catalogue(bundled_catalogue_path())
    assert department_label(catalogue, "UNLISTED") == ("", "无承办部门：非本中心事项")
    assert department_label(catalogue, "NOPE-1")[0] == ""
    assert department_label(catalogue, "SCJG-GT-001")[0] == "SCJG"
