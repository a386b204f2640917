"""Scanned papers of a case, from the scanner to the upload queue, never in clear on disk.

Pages scanned or imported for a checklist line wait, sealed (``offline.scans``), under
their *owner*: the intake draft (whose id becomes the case's) or an existing case (a
supplement). Their list is the store setting ``scan:pages``, written in the same batch as
the audit entry of the scan. When the decision is saved, each line's pages become one PDF,
sealed, referenced from the case by an ``attach`` operation and queued for upload, all in
the case's own batch; the sync engine then uploads it resumably (``offline.sync.uploads``).

The counting rule lives here, once: a line with scanned pages has one copy made at the
counter (``credit_scanned_copy``), which the shared check then counts like any copy.

Every scan, import, removal, view and attachment is in the store's audit trail.
Blocking (subprocess, Pillow, reportlab, disk): call from workers.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import os
import subprocess
import tempfile
import threading
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from counterdesk.domain.cases import (
    AttachmentRef,
    Case,
    Operation,
    OperationKind,
    Role,
    apply_operation,
    new_operation,
)
from counterdesk.i18n import _
from counterdesk.services.scanning import ScanProblem, check_page, scan_page
from counterdesk.services.scanning.combine import combine_pages
from counterdesk.services.scanning.folder import read_folder, remove_imported
from counterdesk.services.scanning.pages import CheckedPage, check_material_room
from offline import Store
from offline.scans import UPLOADS, ScanFolder, store_lock, upload_spec, uploads_with

log = logging.getLogger(__name__)

PAGES = "scan:pages"  # owner id -> material -> [page record]
SCANS_FOLDER = "scans"  # combined files waiting for upload (the sync runner's folder too)
PAGES_FOLDER = "pages"  # inside it: pages waiting for their decision
VIEWER_GRACE_S = 5.0  # the system viewer has read its copy by then; then it is deleted
PDF = "application/pdf"


@dataclass(frozen=True)
class ScannedPage:
    id: str
    material: str
    content_type: str
    pages: int  # 1, or an imported PDF's page count
    size: int
    source: str  # "scan" or "import"
    at: str
    by: str

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class ImportReport:
    pages: list[ScannedPage]
    refused: list[tuple[str, str]]  # file name, reason
    left_in_folder: list[str] = field(default_factory=list)  # imported, but not deleted


@dataclass
class PendingAttachments:
    """A decision's attachments, made and sealed, to be saved with the case."""

    owner: str
    case: Case  # with the attach operations applied
    operations: list[Operation]
    audit: list[dict[str, Any]]
    uploads: dict[str, dict[str, Any]]
    page_ids: list[str]


def credit_scanned_copy(
    received: dict[str, dict[str, int]], material: str, pages_before: int, pages_after: int
) -> None:
    """The rule: a line's scanned pages are one copy made at the counter. The first page
    adds it; removing the last page takes it back."""
    counts = dict(received.get(material, {}))
    if pages_before == 0 and pages_after > 0:
        counts["copies"] = counts.get("copies", 0) + 1
        counts["made_at_counter"] = counts.get("made_at_counter", 0) + 1
    elif pages_before > 0 and pages_after == 0:
        counts["copies"] = max(0, counts.get("copies", 0) - 1)
        counts["made_at_counter"] = max(0, counts.get("made_at_counter", 0) - 1)
    else:
        return
    counts["made_at_counter"] = min(counts["made_at_counter"], counts["copies"])
    if any(counts.values()):
        received[material] = counts
    else:
        received.pop(material, None)


class AttachmentDesk:
    """The counter's scans: one per session (``CounterServices.attachments``)."""

    def __init__(
        self,
        store: Store,
        key: bytes,
        data_dir: Path,
        *,
        device: str = "",
        now: Callable[[], dt.datetime],
        scan: Callable[[str], bytes] | None = None,
    ) -> None:
        self.store = store
        self.device = device
        self._now = now
        self._scan = scan or (lambda device: scan_page(device))
        folder = Path(data_dir) / SCANS_FOLDER
        self.files = ScanFolder(folder, key, store, kind="scan")
        self.pages = ScanFolder(folder / PAGES_FOLDER, key, store, kind="page")
        self._viewer_copies: set[Path] = set()
        self._lock = threading.Lock()

    # What there is

    def _all_pages(self) -> dict[str, dict[str, list[dict[str, Any]]]]:
        found = self.store.setting(PAGES, {})
        return found if isinstance(found, dict) else {}

    def pages_of(self, owner: str) -> dict[str, list[ScannedPage]]:
        """The pages waiting for ``owner``, per material, in scanning order."""
        return {
            material: [ScannedPage(**record) for record in records]
            for material, records in self._all_pages().get(owner, {}).items()
            if records
        }

    def page_counts(self, owner: str) -> dict[str, int]:
        return {m: sum(p.pages for p in pages) for m, pages in self.pages_of(owner).items()}

    # Scanning and importing

    def scan(self, owner: str, material: str, officer: str) -> ScannedPage:
        """Scan one page on the chosen scanner for ``material``; checked, sealed, listed
        and audited. Raises ScanProblem."""
        data = self._scan(self.device)
        checked = check_page(data, _("The scan"))
        [page] = self._keep(
            owner, material, officer, [(data, checked)], "scan", {"device": self.device}
        )
        return page

    def import_folder(self, owner: str, material: str, folder: Path, officer: str) -> ImportReport:
        """Every good file of ``folder`` as pages of ``material``, then deleted from the
        folder. What cannot be taken is listed with its reason (and left there)."""
        contents = read_folder(folder)
        if not contents.files:
            reasons = "; ".join(reason for _name, reason in contents.refused)
            raise ScanProblem(_("Nothing could be imported: {reasons}").format(reasons=reasons))
        taken = [(f.data, f.page) for f in contents.files]
        pages = self._keep(owner, material, officer, taken, "import", {"files": len(taken)})
        left = remove_imported([f.path for f in contents.files])
        return ImportReport(pages, contents.refused, left)

    def _keep(
        self,
        owner: str,
        material: str,
        officer: str,
        taken: list[tuple[bytes, CheckedPage]],
        source: str,
        detail: dict[str, Any],
    ) -> list[ScannedPage]:
        with self._lock:  # one officer's scans in order; the store lock for the batch
            existing = self.pages_of(owner).get(material, [])
            count = sum(p.pages for p in existing)
            size = sum(p.size for p in existing)
            for data, checked in taken:
                check_material_room(count, size, checked, len(data))
                count, size = count + checked.pages, size + len(data)
            at = self._now().isoformat()
            made = []
            for data, checked in taken:
                page_id = self.pages.add(data)
                made.append(
                    ScannedPage(
                        page_id,
                        material,
                        checked.content_type,
                        checked.pages,
                        len(data),
                        source,
                        at,
                        officer,
                    )
                )
            try:
                with store_lock(self.store):
                    everything = self._all_pages()
                    lines = everything.setdefault(owner, {})
                    lines[material] = [*lines.get(material, []), *(p.to_json() for p in made)]
                    entry = {
                        "actor": officer,
                        "action": f"scan.{'page' if source == 'scan' else 'import'}",
                        "case_id": owner,
                        "detail": {
                            "material": material,
                            "pages": [p.id for p in made],
                            "count": sum(p.pages for p in made),
                            **detail,
                        },
                    }
                    self.store.save_batch(audit_entries=[entry], settings={PAGES: everything})
            except BaseException:
                for page in made:
                    self.pages.discard(page.id)
                raise
        return made

    def remove_last(self, owner: str, material: str, officer: str) -> ScannedPage | None:
        """The last page of ``material`` was a mistake: it goes (audited)."""
        with self._lock, store_lock(self.store):
            everything = self._all_pages()
            lines = everything.get(owner, {})
            records = lines.get(material, [])
            if not records:
                return None
            page = ScannedPage(**records[-1])
            lines[material] = records[:-1]
            if not lines[material]:
                del lines[material]
            if not lines:
                everything.pop(owner, None)
            entry = {
                "actor": officer,
                "action": "scan.remove",
                "case_id": owner,
                "detail": {"material": material, "page": page.id},
            }
            self.store.save_batch(audit_entries=[entry], settings={PAGES: everything or None})
        self.pages.discard(page.id)
        return page

    def discard_owner(self, owner: str) -> None:
        """A draft thrown away: its pages go with it."""
        with self._lock, store_lock(self.store):
            everything = self._all_pages()
            lines = everything.pop(owner, None)
            if lines is None:
                return
            self.store.set_setting(PAGES, everything or None)
        for records in lines.values():
            for record in records:
                self.pages.discard(record["id"])

    # Looking at a page

    def page_bytes(self, owner: str, page_id: str, officer: str) -> tuple[ScannedPage, bytes]:
        """A page's bytes, in memory, for the preview; the viewing is audited first."""
        page = next(
            (p for pages in self.pages_of(owner).values() for p in pages if p.id == page_id), None
        )
        if page is None:
            raise ScanProblem(_("This page is no longer here."))
        self.store.audit_append(
            [
                {
                    "actor": officer,
                    "action": "scan.view",
                    "case_id": owner,
                    "detail": {"material": page.material, "page": page.id},
                }
            ]
        )
        return page, self.pages.read(page.id)

    def open_in_viewer(self, owner: str, page_id: str, officer: str) -> None:
        """Open a page with the system viewer (xdg-open) from a decrypted copy that is
        deleted ``VIEWER_GRACE_S`` after the viewer started (and at close): in RAM
        (/dev/shm) where the system has it, readable by this account only."""
        page, data = self.page_bytes(owner, page_id, officer)
        opener = "xdg-open"
        suffix = {"image/png": ".png", "image/jpeg": ".jpg"}.get(page.content_type, ".pdf")
        base = "/dev/shm" if os.path.isdir("/dev/shm") else None
        folder = Path(tempfile.mkdtemp(prefix="counterdesk-view-", dir=base))
        copy = folder / f"page{suffix}"
        fd = os.open(copy, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        self._viewer_copies.add(folder)
        try:
            subprocess.run([opener, str(copy)], check=True, timeout=30, capture_output=True)
        except FileNotFoundError as exc:
            self._forget_copy(folder)
            raise ScanProblem(
                _("There is no system viewer here (xdg-open is missing): install xdg-utils.")
            ) from exc
        except (subprocess.SubprocessError, OSError) as exc:
            self._forget_copy(folder)
            raise ScanProblem(
                _("The system viewer could not open the page: {reason}").format(reason=exc)
            ) from exc
        timer = threading.Timer(VIEWER_GRACE_S, self._forget_copy, args=(folder,))
        timer.daemon = True
        timer.start()

    def _forget_copy(self, folder: Path) -> None:
        for item in folder.glob("*"):
            item.unlink(missing_ok=True)
        if folder.exists():
            folder.rmdir()
        self._viewer_copies.discard(folder)

    # At the decision: pages become the case's attachments

    def count_pages(self, document: dict[str, Any]) -> None:
        """Write each line's scanned pages into a new case's ``received`` (``pages``)."""
        received = document.setdefault("received", {})
        for material, pages in self.page_counts(str(document["id"])).items():
            line = received.setdefault(material, {"original": 0, "copies": 0})
            line["pages"] = pages

    def prepare(self, case: Case, officer: str, now: dt.datetime) -> PendingAttachments | None:
        """Each line's pages as one sealed PDF with its ``attach`` operation, for the case's
        batch (nothing saved yet). None when the case has no pages waiting."""
        lines = self.pages_of(case.id)
        if not lines:
            return None
        pending = PendingAttachments(case.id, case, [], [], {}, [])
        try:
            for material, pages in lines.items():
                parts = [(p.content_type, self.pages.read(p.id)) for p in pages]
                data = combine_pages(parts, title=material)
                attachment_id = str(uuid.uuid4())
                self.files.add(data, attachment_id)
                count = sum(p.pages for p in pages)
                ref = AttachmentRef(
                    id=attachment_id,
                    material=material,
                    pages=count,
                    size=len(data),
                    sha256=hashlib.sha256(data).hexdigest(),
                    content_type=PDF,
                )
                op = new_operation(
                    OperationKind.ATTACH,
                    case.id,
                    officer,
                    now,
                    pending.case.version,
                    {"attachment": ref.model_dump(mode="json")},
                )
                pending.case = apply_operation(pending.case, op, Role.OFFICER)
                pending.operations.append(op)
                pending.uploads[attachment_id] = upload_spec(
                    case_id=case.id,
                    material=material,
                    content_type=PDF,
                    data=data,
                    pages=count,
                    device_time=now,
                    attachment_id=attachment_id,
                )
                pending.audit.append(
                    {
                        "actor": officer,
                        "action": "case.attach",
                        "case_id": case.id,
                        "detail": {
                            "attachment": attachment_id,
                            "material": material,
                            "pages": count,
                            "size": len(data),
                        },
                    }
                )
                pending.page_ids += [p.id for p in pages]
        except BaseException:
            self.abandon(pending)
            raise
        return pending

    @contextmanager
    def batch_settings(self, pending: PendingAttachments | None) -> Iterator[dict[str, Any]]:
        """The settings to save in the case's batch (uploads queued, pages done), with the
        store's lock held until the batch is saved."""
        with store_lock(self.store):
            if pending is None:
                yield {}
                return
            everything = self._all_pages()
            everything.pop(pending.owner, None)
            yield {
                PAGES: everything or None,
                UPLOADS: uploads_with(self.store, pending.uploads),
            }

    def finished(self, pending: PendingAttachments | None) -> None:
        """The batch is saved: the pages are in the combined files now."""
        if pending is not None:
            for page_id in pending.page_ids:
                self.pages.discard(page_id)

    def abandon(self, pending: PendingAttachments | None) -> None:
        """The batch was not saved: the combined files go, the pages stay."""
        if pending is not None:
            for attachment_id in pending.uploads:
                self.files.discard(attachment_id)

    def attach_now(self, case_id: str, officer: str) -> Case | None:
        """An existing case's waiting pages attached in a batch of their own (a
        supplement's scans); None when there were none. Take the case lock around it."""
        document = self.store.get(case_id)
        if document is None:
            raise ScanProblem(_("This case is not on this counter."))
        case = Case.model_validate(document)
        now = self._now()
        pending = self.prepare(case, officer, now)
        if pending is None:
            return None
        received = {m: r.model_dump() for m, r in pending.case.received.items()}
        for material, pages in self.page_counts(case_id).items():
            line = received.setdefault(material, {"original": 0, "copies": 0})
            line["pages"] = line.get("pages", 0) + pages
        update = new_operation(
            OperationKind.UPDATE_FIELDS,
            case_id,
            officer,
            now,
            pending.case.version,
            {"changes": {"received": received}},
        )
        updated = apply_operation(pending.case, update, Role.OFFICER)
        try:
            with self.batch_settings(pending) as settings:
                self.store.save_batch(
                    cases=[updated.to_json()],
                    operations=[op.to_json() for op in [*pending.operations, update]],
                    audit_entries=pending.audit,
                    settings=settings,
                )
        except BaseException:
            self.abandon(pending)
            raise
        self.finished(pending)
        return updated

    # Housekeeping

    def sweep(self) -> int:
        """Delete sealed files nothing refers to (left by a crash between writing a file
        and the batch naming it); at start, before any scan. Returns how many."""
        listed = {
            r["id"] for lines in self._all_pages().values() for rs in lines.values() for r in rs
        }
        queued = set(self.store.setting(UPLOADS, {}) or {})
        removed = 0
        for page_id in self.pages.ids() - listed:
            self.pages.discard(page_id)
            removed += 1
        for file_id in self.files.ids() - queued:
            self.files.discard(file_id)
            removed += 1
        if removed:
            log.info("removed %d sealed scan files nothing referred to", removed)
        return removed

    def close(self) -> None:
        for folder in list(self._viewer_copies):
            self._forget_copy(folder)
