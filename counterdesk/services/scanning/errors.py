"""The one error of scanning: what went wrong and what to do, said to the officer."""

from __future__ import annotations


class ScanProblem(ValueError):
    """A scan or an import that cannot be taken; the message can be shown as it is."""
