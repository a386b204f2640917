"""Scanning figures for ``make bench``, with SANE's real ``test`` backend and the counter's
real store on disk (fsync on), and a real server process on 127.0.0.1.

- ``scan_attach_s``: a 3-page material scanned (``scanimage`` with the test device, A4 in
  colour at 200 dpi, each page piped into memory and checked), combined into one PDF and
  stored on the case (sealed file, attach operation, upload queued: one batch); median of
  3 materials (goal <= 3 s). The split is in ``scan_attach_scan_s`` and
  ``scan_attach_combine_store_s``.
- ``attachment_sync_mb_s``: 20 MB of scans (four 5 MB files, as photographed papers are:
  incompressible) uploaded by the counter's ``SyncRunner`` to the server over loopback, in
  its default chunks, from the first byte until the server holds every file (goal >= 20).

The test backend is enabled in a configuration folder of the bench's own
(``SANE_CONFIG_DIR``); nothing under /etc is changed. Everything lives under bench/.work
and is removed at the end; the server process is stopped whatever happens.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import random
import shutil
import statistics
import time
import uuid
from pathlib import Path

from bench.bench_sync import CENTRE, PASSWORD, _prepare, _receive_offline, _server
from counterdesk.domain.cases import Case
from counterdesk.domain.clock import CHINA_TZ
from counterdesk.services import local_store
from counterdesk.services.attachments import AttachmentDesk
from counterdesk.services.sync_runner import SyncRunner
from counterdesk.settings import Settings
from offline import Store
from offline.sync import MemoryTokens

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "bench" / ".work"
PAGES = 3
MATERIALS = 3
FILES = 4
FILE_BYTES = 5 * 1000 * 1000  # 4 x 5 MB = 20 MB
A4_COLOUR = 'test-picture "Color pattern"\nmode Color\nbr_x 210.0\nbr_y 297.0\n'


def run() -> dict[str, object]:
    if shutil.which("scanimage") is None:
        raise RuntimeError("scanimage is missing: install sane-utils")
    WORK.mkdir(parents=True, exist_ok=True)
    folder = WORK / f"scan-{os.getpid()}-{uuid.uuid4().hex[:6]}"
    folder.mkdir()
    sane = folder / "sane"
    sane.mkdir()
    (sane / "dll.conf").write_text("test\n", encoding="utf-8")
    (sane / "test.conf").write_text(A4_COLOUR, encoding="utf-8")
    before = os.environ.get("SANE_CONFIG_DIR")
    os.environ["SANE_CONFIG_DIR"] = str(sane)
    logging.getLogger("counterdesk").setLevel(logging.ERROR)
    try:
        figures = _scan_attach(folder / "counter-scan")
        url = f"sqlite:///{folder / 'server.sqlite3'}"
        _prepare(url, folder)
        with _server(url, folder) as base:
            figures.update(_upload(base, folder / "counter-sync"))
        return figures
    finally:
        if before is None:
            os.environ.pop("SANE_CONFIG_DIR", None)
        else:
            os.environ["SANE_CONFIG_DIR"] = before
        logging.getLogger("counterdesk").setLevel(logging.NOTSET)
        shutil.rmtree(folder, ignore_errors=True)


def _counter(data_dir: Path, server_url: str = "") -> tuple[Settings, Store, bytes]:
    settings = Settings(server_url=server_url, counter_name="基准窗口", key_storage="file")
    store = local_store.open_local_store(settings, data_dir=data_dir)
    key = local_store.load_key(settings, data_dir)
    assert key is not None
    return settings, store, key


def _scan_attach(data_dir: Path) -> dict[str, object]:
    _settings, store, key = _counter(data_dir)
    desk = AttachmentDesk(
        store, key, data_dir, device="test:0", now=lambda: dt.datetime.now(CHINA_TZ)
    )
    rng = random.Random(909)
    totals, scans, rest, sizes = [], [], [], []
    try:
        for index in range(MATERIALS):
            _receive_offline(store, rng)
            case_id = store.list_queue()[-1]["id"]
            material = ("id_card", "lease", "premises_photo")[index]
            started = time.perf_counter()
            for _ in range(PAGES):
                desk.scan(case_id, material, "officer1")
            scanned = time.perf_counter()
            updated = desk.attach_now(case_id, "officer1")
            done = time.perf_counter()
            assert updated is not None and updated.attachments[-1].pages == PAGES
            totals.append(done - started)
            scans.append(scanned - started)
            rest.append(done - scanned)
            sizes.append(updated.attachments[-1].size)
    finally:
        store.close()
    return {
        "scan_attach_s": round(statistics.median(totals), 3),
        "scan_attach_scan_s": round(statistics.median(scans), 3),
        "scan_attach_combine_store_s": round(statistics.median(rest), 3),
        "scan_attach_pdf_mb": round(statistics.median(sizes) / 1e6, 2),
        "scan_attach_device": "SANE test backend, A4 colour, 200 dpi, PNG through a pipe",
    }


def _upload(base: str, data_dir: Path) -> dict[str, object]:
    settings, store, _key = _counter(data_dir, base)
    runner = SyncRunner(
        settings, store, data_dir=data_dir, tokens=MemoryTokens(), poll_interval=3600
    )
    rng = random.Random(2027)
    try:
        runner.sign_in(CENTRE, "officer1", PASSWORD)
        for _ in range(FILES):
            _receive_offline(store, rng)
        runner.sync_now()  # the cases are on the server before their scans
        for case in (Case.model_validate(doc) for doc in store.list_queue()):
            data = b"%PDF-1.7\n" + rng.randbytes(FILE_BYTES - 9)
            runner.queue_scan(case.id, "id_card", "application/pdf", data, pages=4)
        started = time.perf_counter()
        runner.sync_now()
        seconds = time.perf_counter() - started
        if runner.engine.uploads():
            raise RuntimeError(f"uploads left behind: {list(runner.engine.uploads())}")
        chunk = runner.engine.config.chunk_bytes
    finally:
        runner.close()
        store.close()
    return {
        "attachment_sync_mb_s": round(FILES * FILE_BYTES / 1e6 / seconds, 1),
        "attachment_sync_20mb_s": round(seconds, 3),
        "attachment_sync_chunk_mib": chunk / (1 << 20),
    }


if __name__ == "__main__":
    import json

    print(json.dumps(run(), indent=2, ensure_ascii=False))
