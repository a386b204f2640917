"""Scanned materials: declared first, then uploaded in resumable chunks."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from counterdesk_server.schemas.types import JsonInt

ContentType = Literal["application/pdf", "image/jpeg", "image/png"]


UUID_PATTERN = r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"


class AttachmentIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str | None = Field(
        default=None,
        pattern=UUID_PATTERN,
        description="the counter's own id for the file (a lower-case UUID): declaring the "
        "same id again returns the same upload (200) instead of starting another",
    )
    case_id: str = Field(min_length=1, max_length=64)
    material: str = Field(pattern=r"^[a-z][a-z0-9_]*$", max_length=64)
    content_type: ContentType
    size: JsonInt = Field(ge=1, le=2**40, description="bytes; at most the server's limit")
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$", description="of the whole file, lower-case hex")
    pages: JsonInt = Field(default=1, ge=1, le=10_000)


class AttachmentOut(BaseModel):
    id: str
    case_id: str
    material: str
    content_type: ContentType
    size: int
    sha256: str
    pages: int
    received: int = Field(description="bytes received so far: the offset to send next")
    complete: bool
    created_by: str
    created_at: dt.datetime
    completed_at: dt.datetime | None
