"""What the status bar says about printing; apart from papers.py so that showing it loads
neither the print queue nor CUPS."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PrintSummary:
    waiting: int = 0  # queued, sent or printing
    failing: int = 0  # failed and retrying, or held
    last_problem: str = ""
