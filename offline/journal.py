"""The working set's write-ahead journal: one sealed record per committed batch.

A batch (a case, its outbox operation, its audit entry) is one record appended and fsynced
in a single write, so a save costs the size of the change, not the size of the store, and
after a crash a batch is there whole or not at all.

Framing: a 18-byte header (magic, body length, log sequence number, CRC-32 of the header)
then the sealed body. The CRC tells a torn tail (a header that is sound but whose body
never fully reached the disk: a write that was never acknowledged) from damage (a header
or body that is wrong), so a flipped byte is never mistaken for an unfinished write.
"""

from __future__ import annotations

import os
import struct
import zlib
from dataclasses import dataclass, field
from pathlib import Path

from offline.durable import fsync_directory, fsync_file, write_all
from offline.sealing import SealBroken, Sealer

_MAGIC = b"\xc4J"
_HEAD = struct.Struct(">2sIQ")
_CRC = struct.Struct(">I")
HEADER_BYTES = _HEAD.size + _CRC.size
MAX_BODY = 1 << 30


def _identity(lsn: int) -> str:
    return f"journal|{lsn}"


def encode_record(sealer: Sealer, lsn: int, plaintext: bytes) -> bytes:
    body = sealer.seal(plaintext, _identity(lsn))
    head = _HEAD.pack(_MAGIC, len(body), lsn)
    return head + _CRC.pack(zlib.crc32(head)) + body


@dataclass
class JournalContents:
    records: list[tuple[int, bytes]] = field(default_factory=list)  # (lsn, plaintext)
    good_end: int = 0  # offset just after the last sound record
    size: int = 0
    torn: bool = False  # ends with an unfinished (never acknowledged) record
    damage: str = ""  # why reading stopped early, when it did


def read_journal(path: Path, sealer: Sealer) -> JournalContents:
    data = path.read_bytes()
    contents = JournalContents(size=len(data))
    offset = 0
    while offset < len(data):
        if len(data) - offset < HEADER_BYTES:
            contents.torn = True
            break
        head = data[offset : offset + _HEAD.size]
        magic, length, lsn = _HEAD.unpack(head)
        (crc,) = _CRC.unpack_from(data, offset + _HEAD.size)
        if magic != _MAGIC or crc != zlib.crc32(head) or length > MAX_BODY:
            contents.damage = f"record header at byte {offset} is damaged"
            break
        start = offset + HEADER_BYTES
        if start + length > len(data):
            contents.torn = True
            break
        try:
            plaintext = sealer.unseal(data[start : start + length], _identity(lsn))
        except SealBroken:
            contents.damage = f"record {lsn} at byte {offset} fails authentication"
            break
        contents.records.append((lsn, plaintext))
        offset = start + length
        contents.good_end = offset
    return contents


class JournalWriter:
    """Appends records durably to one journal file."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.broken = False  # a failed append could not be undone: the tail is unknown
        created = not path.exists()
        self._fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        if created:
            fsync_directory(path.parent)  # the new name must survive, not only its bytes
        self.size = os.fstat(self._fd).st_size

    def append(self, record: bytes) -> None:
        """Returns once the record is on disk; on failure the file is as it was before."""
        before = self.size
        try:
            write_all(self._fd, record)
            fsync_file(self._fd)
        except BaseException:
            try:
                os.ftruncate(self._fd, before)
                fsync_file(self._fd)
            except OSError:
                self.broken = True
            raise
        self.size = before + len(record)

    def close(self) -> None:
        if self._fd >= 0:
            os.close(self._fd)
            self._fd = -1


def cut_torn_tail(path: Path, good_end: int) -> None:
    """Drop an unfinished last record so that new records follow a sound one."""
    fd = os.open(path, os.O_WRONLY)
    try:
        os.ftruncate(fd, good_end)
        fsync_file(fd)
    finally:
        os.close(fd)
