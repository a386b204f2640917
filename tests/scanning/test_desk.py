"""The counter's scans as a service, on a real store: the counting rule, pages kept sealed
and listed with their audit entries, limits per material, a crash's leftovers swept, and an
existing case's pages attached in a batch of their own (a supplement)."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from pypdf import PdfReader

from counterdesk.domain.cases import Case, OperationKind, Role, apply_operation, new_operation
from counterdesk.domain.clock import CHINA_TZ
from counterdesk.services.attachments import PAGES, AttachmentDesk, credit_scanned_copy
from counterdesk.services.scanning import MAX_PAGES_PER_MATERIAL, ScanProblem, scan_page
from offline import Store
from tests.sync.harness import case_doc

NOW = dt.datetime(2026, 11, 23, 9, 30, tzinfo=CHINA_TZ)
KEY = bytes(range(32))
pytestmark = pytest.mark.usefixtures("english")


@pytest.fixture
def desk(tmp_path: Path) -> Iterator[AttachmentDesk]:
    store = Store.open(tmp_path / "store", KEY)
    yield AttachmentDesk(store, KEY, tmp_path, device="test:0", now=lambda: NOW)
    store.close()


def test_a_lines_scanned_pages_are_one_copy_made_at_the_counter() -> None:
    received: dict[str, dict[str, int]] = {"id_card": {"original": 1}}
    credit_scanned_copy(received, "id_card", 0, 1)
    assert received["id_card"] == {"original": 1, "copies": 1, "made_at_counter": 1}
    credit_scanned_copy(received, "id_card", 1, 3)  # more pages, still one copy
    assert received["id_card"]["copies"] == 1
    credit_scanned_copy(received, "id_card", 3, 0)  # every page removed
    assert received["id_card"] == {"original": 1, "copies": 0, "made_at_counter": 0}
    credit_scanned_copy(received, "lease", 0, 1)
    credit_scanned_copy(received, "lease", 1, 0)
    assert "lease" not in received


def test_pages_are_sealed_listed_and_audited(desk: AttachmentDesk, tmp_path: Path) -> None:
    first = desk.scan("draft-1", "id_card", "wang.li")
    desk.scan("draft-1", "id_card", "wang.li")
    assert desk.page_counts("draft-1") == {"id_card": 2}
    sealed = (tmp_path / "scans" / "pages" / f"{first.id}.scan").read_bytes()
    assert b"PNG" not in sealed[:64] and scan_page("test:0")[100:164] not in sealed
    page, data = desk.page_bytes("draft-1", first.id, "zhao.min")
    assert data == scan_page("test:0") and page.source == "scan"
    actions = [(e["action"], e["actor"]) for e in desk.store.audit_entries()]
    assert actions == [
        ("scan.page", "wang.li"),
        ("scan.page", "wang.li"),
        ("scan.view", "zhao.min"),
    ]
    assert desk.remove_last("draft-1", "id_card", "wang.li") is not None
    assert desk.page_counts("draft-1") == {"id_card": 1}
    desk.discard_owner("draft-1")
    assert desk.store.setting(PAGES) is None
    assert desk.pages.ids() == set()


def test_a_material_takes_at_most_its_pages(desk: AttachmentDesk) -> None:
    page = scan_page("test:0")
    desk._scan = lambda device: page  # the same scanned page, without waiting for SANE
    for _ in range(MAX_PAGES_PER_MATERIAL):
        desk.scan("draft-2", "lease", "wang.li")
    with pytest.raises(ScanProblem, match="at most 50 pages"):
        desk.scan("draft-2", "lease", "wang.li")
    assert desk.page_counts("draft-2") == {"lease": MAX_PAGES_PER_MATERIAL}


def test_a_refused_scan_keeps_nothing(desk: AttachmentDesk) -> None:
    desk._scan = lambda device: b""
    with pytest.raises(ScanProblem, match="empty"):
        desk.scan("draft-3", "id_card", "wang.li")
    assert desk.pages_of("draft-3") == {} and desk.pages.ids() == set()
    assert desk.store.audit_entries() == []


def test_files_a_crash_left_behind_are_swept(desk: AttachmentDesk) -> None:
    kept = desk.scan("draft-4", "id_card", "wang.li")
    orphan_page = desk.pages.add(b"left by a crash before its batch")
    orphan_file = desk.files.add(b"a combined file never queued")
    assert desk.sweep() == 2
    assert desk.pages.ids() == {kept.id} and not desk.files.exists(orphan_file)
    assert orphan_page not in desk.pages.ids()


def test_an_existing_cases_pages_are_attached_in_their_own_batch(desk: AttachmentDesk) -> None:
    doc = case_doc("case-77", received_by="wang.li", assignee="wang.li")
    create = new_operation(OperationKind.CREATE, doc["id"], "wang.li", NOW, 0, doc)
    case = apply_operation(None, create, Role.OFFICER)
    desk.store.save_batch(cases=[case.to_json()], operations=[create.to_json()])
    desk.scan("case-77", "lease", "wang.li")
    desk.scan("case-77", "lease", "wang.li")
    updated = desk.attach_now("case-77", "wang.li")
    assert updated is not None
    stored = Case.model_validate(desk.store.get("case-77"))
    [ref] = stored.attachments
    assert ref.pages == 2 and stored.received["lease"].pages == 2
    assert len(PdfReader(io.BytesIO(desk.files.read(ref.id))).pages) == 2
    kinds = [row["op"]["kind"] for row in desk.store.outbox_peek()]
    assert kinds == ["create", "attach", "update_fields"]
    assert set(desk.store.setting("sync:uploads")) == {ref.id}
    assert desk.pages_of("case-77") == {} and desk.pages.ids() == set()
    assert desk.attach_now("case-77", "wang.li") is None  # nothing waiting any more
