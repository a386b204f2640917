"""The paper font: found where configured or in well-known places, embedded in the PDF
(checked with poppler's pdffonts), CFF and Latin-only fonts passed over with a reason,
and a single clear warning when only the built-in, non-embedded font is left."""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
from pathlib import Path

import pytest
import reportlab

from counterdesk.forms import fonts
from counterdesk.forms.build import build_pdf
from counterdesk.forms.fonts import FALLBACK_FONT, find_font, paper_font
from counterdesk.forms.paper import PaperSettings
from tests.forms.papers_cases import accepted_case, mini_catalogue
from tests.forms.test_papers import pages_text

VERA = Path(reportlab.__file__).parent / "fonts" / "Vera.ttf"  # Latin-only TrueType


def pdffonts(pdf: bytes, tmp_path: Path) -> list[dict[str, str]]:
    if shutil.which("pdffonts") is None:
        if os.environ.get("CI") == "true":
            pytest.fail("pdffonts (poppler-utils) is required in CI")
        pytest.skip("pdffonts (poppler-utils) is not installed")
    path = tmp_path / "paper.pdf"
    path.write_bytes(pdf)
    done = subprocess.run(
        ["pdffonts", str(path)], capture_output=True, text=True, timeout=30, check=True
    )
    rows = done.stdout.splitlines()[2:]  # after the header and its rule
    fonts_found = []
    for row in rows:
        parts = row.split()
        # name, type (1-2 words), encoding, emb, sub, uni, object, id
        fonts_found.append({"name": parts[0], "emb": parts[-5], "line": row})
    return fonts_found


@pytest.fixture
def cjk_font() -> Path:
    found = find_font().path
    if not found:
        if os.environ.get("CI") == "true":
            pytest.fail("a TrueType CJK font (fonts-wqy-zenhei) is required in CI")
        pytest.skip("no TrueType CJK font installed")
    return Path(found)


def test_the_chinese_font_is_embedded_in_every_paper(tmp_path: Path, cjk_font: Path) -> None:
    pdf = build_pdf("receipt", accepted_case(), mini_catalogue(), PaperSettings())
    found = pdffonts(pdf, tmp_path)
    assert found, "pdffonts listed no font"
    assert all(font["emb"] == "yes" for font in found), found
    assert any("TrueType" in font["line"] for font in found)
    assert "受理回执" in "".join(pages_text(pdf))


def test_a_configured_font_comes_first(cjk_font: Path) -> None:
    font = find_font(str(cjk_font), candidates=[])
    assert font.embedded and font.path == str(cjk_font)
    assert font.skipped == ()


def test_a_missing_configured_font_is_reported_and_the_search_goes_on(
    tmp_path: Path, cjk_font: Path
) -> None:
    font = find_font(str(tmp_path / "nowhere.ttf"), candidates=[cjk_font])
    assert font.path == str(cjk_font)
    assert font.skipped == (f"{tmp_path / 'nowhere.ttf'}: configured font file not found",)


def test_cff_fonts_are_skipped_with_the_reason(tmp_path: Path, cjk_font: Path) -> None:
    otf = tmp_path / "NotoSansCJK-Regular.otf"
    otf.write_bytes(b"OTTO" + bytes(60))
    # A collection whose first face has CFF outlines, as NotoSansCJK-Regular.ttc.
    ttc = tmp_path / "NotoSansCJK-Regular.ttc"
    ttc.write_bytes(
        b"ttcf"
        + b"\x00\x01\x00\x00"
        + (1).to_bytes(4, "big")
        + (16).to_bytes(4, "big")
        + b"OTTO"
        + bytes(60)
    )
    font = find_font(candidates=[otf, ttc, cjk_font])
    assert font.path == str(cjk_font)
    assert len(font.skipped) == 2
    assert all("OpenType-CFF" in reason and "cannot embed" in reason for reason in font.skipped)


def test_fonts_without_chinese_or_not_fonts_at_all_are_skipped(tmp_path: Path) -> None:
    junk = tmp_path / "junk.ttf"
    junk.write_bytes(b"not a font at all")
    font = find_font(candidates=[VERA, junk])
    assert f"{VERA}: it has no Chinese glyphs" in font.skipped
    assert f"{junk}: not a TrueType font file" in font.skipped
    assert font.name == FALLBACK_FONT and not font.embedded


def test_without_a_font_papers_fall_back_with_one_warning(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(fonts, "_fallback_warned", False)
    monkeypatch.setattr(fonts, "_chosen", {})
    monkeypatch.setattr(fonts, "well_known_fonts", lambda: [])
    caplog.set_level(logging.WARNING, logger="counterdesk.forms.fonts")
    settings = PaperSettings(font_path=str(tmp_path / "missing.ttf"))
    first = build_pdf("receipt", accepted_case(), mini_catalogue(), settings)
    build_pdf("materials", accepted_case(), mini_catalogue(), settings)
    assert paper_font(settings.font_path).describe() == (
        "STSong-Light (reportlab built-in, NOT embedded)"
    )
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1
    assert "NOT embedded" in warnings[0] and "missing.ttf" in warnings[0]
    assert "受理回执" in "".join(pages_text(first))
    names = {font["name"]: font["emb"] for font in pdffonts(first, tmp_path)}
    assert names.get("STSong-Light") == "no"
