"""Refreshing the centre's published catalogue (and with it the working-day calendar,
which is its ``calendar`` section) by ETag: an unchanged catalogue costs a 304.

The caller decides what a catalogue is worth: its ``on_catalogue(content, etag)`` checks
and caches it and raises ``ValueError`` to refuse it; the ETag is remembered only once
the catalogue was taken, so a refused or half-written one is fetched again.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from offline.sync.context import SyncContext
from offline.sync.errors import ServerTrouble

log = logging.getLogger(__name__)

OnCatalogue = Callable[[bytes, str], None]
UPDATED = "事项目录已更新（{etag}）/ the service catalogue was updated ({etag})"
REFUSED = "服务器发布的事项目录无法使用 / the published catalogue cannot be used: {reason}"


class CatalogueWatch:
    def __init__(self, ctx: SyncContext, on_catalogue: OnCatalogue | None) -> None:
        self.ctx = ctx
        self.on_catalogue = on_catalogue
        self._refused: set[str] = set()  # tell the officer once per refused catalogue

    def refresh(self) -> bool:
        """True when a new catalogue was taken."""
        ctx = self.ctx
        if self.on_catalogue is None:
            return False
        etag = ctx.book.catalogue_etag()
        headers = {"If-None-Match": etag} if etag else None
        answer = ctx.transport.call("GET", "/catalogue", headers=headers)
        if answer.status_code in (304, 404):
            return False  # unchanged, or the centre has published none
        if answer.status_code != 200:
            raise ServerTrouble(f"the catalogue answered {answer.status_code}")
        new_etag = answer.headers.get("etag", "")
        try:
            self.on_catalogue(answer.content, new_etag)
        except ValueError as exc:
            log.warning("published catalogue %s refused: %s", new_etag, exc)
            if new_etag not in self._refused:
                self._refused.add(new_etag)
                ctx.notify("catalogue_refused", "", REFUSED.format(reason=exc), {"etag": new_etag})
            return False
        ctx.book.set_catalogue_etag(new_etag)
        label = new_etag.strip('"')[:12]
        ctx.notify("catalogue", "", UPDATED.format(etag=label), {"etag": new_etag})
        return True
