"""Writing to standard output and error as UTF-8 whatever the locale says, because outside
tools read our Chinese as UTF-8 text (catalogue-format.md)."""

from __future__ import annotations

import sys


def out(text: str) -> None:
    sys.stdout.flush()
    sys.stdout.buffer.write((text + "\n").encode("utf-8"))
    sys.stdout.buffer.flush()


def err(text: str) -> None:
    sys.stderr.flush()
    sys.stderr.buffer.write((text + "\n").encode("utf-8"))
    sys.stderr.buffer.flush()
