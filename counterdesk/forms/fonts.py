"""Which Chinese font the papers use, found once per process and embedded in every PDF.

A paper must look the same on every PC and printer, so the font travels inside the PDF.
reportlab embeds TrueType outlines only: OpenType fonts with CFF (PostScript) outlines,
such as Noto Sans CJK, are skipped with the reason said. Order: the configured font, then
well-known places (WenQuanYi Zen Hei, AR PL UMing, Droid Sans Fallback, Windows SimSun /
Microsoft YaHei ...). With none usable the papers fall back, with one clear warning, to
reportlab's built-in STSong-Light, which PDF readers substitute and which is not embedded.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFont

log = logging.getLogger(__name__)

FALLBACK_FONT = "STSong-Light"
# Characters every paper prints; a font without them cannot print a receipt.
CJK_PROBE = "受理回执申请表办件编号"

_POSIX_FONTS = (
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/wqy-zenhei/wqy-zenhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/wqy-microhei/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/arphic/uming.ttc",
    "/usr/share/fonts/cjkuni-uming/uming.ttc",
    "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
    "/usr/share/fonts/google-droid-sans-fonts/DroidSansFallbackFull.ttf",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc",
    "/System/Library/Fonts/STHeiti Light.ttc",
    "/Library/Fonts/Arial Unicode.ttf",
)
_WINDOWS_FONTS = ("simsun.ttc", "msyh.ttc", "simhei.ttf")


@dataclass(frozen=True)
class PaperFont:
    """The font papers are set in, and why any candidate before it was passed over."""

    name: str  # the name registered with reportlab
    path: str  # the font file; empty for the built-in fallback
    embedded: bool
    skipped: tuple[str, ...] = ()
    family: str = ""  # the font's own name, e.g. "WenQuanYi Zen Hei"

    def describe(self) -> str:
        if self.embedded:
            return f"{self.family or self.name} ({self.path}, embedded)"
        return f"{self.name} (reportlab built-in, NOT embedded)"


def well_known_fonts() -> list[Path]:
    windows = os.environ.get("WINDIR") or os.environ.get("SystemRoot") or r"C:\Windows"
    return [Path(p) for p in _POSIX_FONTS] + [Path(windows) / "Fonts" / f for f in _WINDOWS_FONTS]


_lock = threading.RLock()  # paper_font holds it while find_font runs
_chosen: dict[str, PaperFont] = {}
_registered: dict[str, tuple[str, str]] = {}  # font file -> (registered name, family)
_fallback_warned = False


def paper_font(configured: str = "") -> PaperFont:
    """The font for papers with this setting, found and registered once per process."""
    with _lock:
        font = _chosen.get(configured)
        if font is None:
            font = find_font(configured)
            _chosen[configured] = font
        return font


def find_font(configured: str = "", candidates: Sequence[Path] | None = None) -> PaperFont:
    """Search now (uncached): the configured path, then ``candidates`` (default: the
    well-known places). Registers the font it chooses with reportlab."""
    skipped: list[str] = []
    paths = [Path(configured)] if configured else []
    paths += list(well_known_fonts() if candidates is None else candidates)
    with _lock:
        for position, path in enumerate(paths):
            if not path.is_file():
                if configured and position == 0:
                    skipped.append(f"{path}: configured font file not found")
                continue
            name, family, reason = _register(path)
            if name:
                return PaperFont(name, str(path), True, tuple(skipped), family)
            skipped.append(f"{path}: {reason}")
        return _fallback(tuple(skipped))


def _register(path: Path) -> tuple[str, str, str]:
    """(registered name, family, "") for a usable font, or ("", "", why not)."""
    key = str(path.resolve())
    if key in _registered:
        return (*_registered[key], "")
    try:
        outline = _outline_format(path)
    except OSError as exc:
        return "", "", f"cannot read it: {exc.strerror or exc}"
    if outline == "cff":
        return "", "", "OpenType-CFF (PostScript) outlines, which reportlab cannot embed"
    if outline != "truetype":
        return "", "", "not a TrueType font file"
    try:
        font = TTFont(f"CounterdeskCJK-{len(_registered)}", key, subfontIndex=0)
    except Exception as exc:  # reportlab raises several kinds for fonts it cannot use
        return "", "", f"reportlab cannot use it: {exc}"
    if any(ord(c) not in font.face.charToGlyph for c in CJK_PROBE):
        return "", "", "it has no Chinese glyphs"
    pdfmetrics.registerFont(font)
    family = font.face.familyName
    family = family.decode("utf-8", "replace") if isinstance(family, bytes) else str(family)
    _registered[key] = (font.fontName, family)
    return font.fontName, family, ""


def _outline_format(path: Path) -> str:
    """ "truetype", "cff" or "unknown", from the sfnt header (the first face of a TTC)."""
    with path.open("rb") as handle:
        tag = handle.read(4)
        if tag == b"ttcf":
            handle.seek(12)  # tag, version, numFonts, then the first face's offset
            offset = int.from_bytes(handle.read(4), "big")
            handle.seek(offset)
            tag = handle.read(4)
    if tag == b"OTTO":
        return "cff"
    if tag in (b"\x00\x01\x00\x00", b"true"):
        return "truetype"
    return "unknown"


def _fallback(skipped: tuple[str, ...]) -> PaperFont:
    global _fallback_warned
    if FALLBACK_FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(FALLBACK_FONT))
        # Paragraphs look fonts up by family; a CID font is not entered there by itself.
        pdfmetrics.registerFontFamily(
            FALLBACK_FONT,
            normal=FALLBACK_FONT,
            bold=FALLBACK_FONT,
            italic=FALLBACK_FONT,
            boldItalic=FALLBACK_FONT,
        )
    if not _fallback_warned:
        _fallback_warned = True
        why = "; ".join(skipped) if skipped else "none of the well-known font files exists"
        log.warning(
            "No embeddable Chinese TrueType font found (%s). Papers use reportlab's built-in "
            "%s, which is NOT embedded: they may look different on other PCs and printers. "
            "Install fonts-wqy-zenhei or set paper_font to a TrueType CJK font.",
            why,
            FALLBACK_FONT,
        )
    return PaperFont(FALLBACK_FONT, "", False, skipped)
