"""A page as a small picture for the preview: images shrunk in memory, a PDF's first page
drawn by poppler's ``pdftoppm`` through pipes (its input and output never touch the disk).
"""

from __future__ import annotations

import io
import shutil
import subprocess
from typing import Any

PREVIEW_PX = 1000  # enough for any terminal; the widget scales it to the cells it has
PDF_DPI = 60


def preview_image(content_type: str, data: bytes) -> Any | None:
    """A PIL image of the page, or None when it cannot be drawn here (a PDF without
    pdftoppm, a PDF poppler cannot read): then the system viewer can open it."""
    from PIL import Image

    if content_type == "application/pdf":
        png = _pdf_first_page(data)
        if png is None:
            return None
        data = png
    with Image.open(io.BytesIO(data)) as image:
        image.load()
        picture = image.convert("RGB")
    picture.thumbnail((PREVIEW_PX, PREVIEW_PX))
    return picture


def _pdf_first_page(data: bytes) -> bytes | None:
    program = shutil.which("pdftoppm")
    if program is None:
        return None
    try:
        done = subprocess.run(
            [program, "-png", "-r", str(PDF_DPI), "-f", "1", "-l", "1", "-singlefile", "-"],
            input=data,
            capture_output=True,
            timeout=30,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout if done.returncode == 0 and done.stdout else None
