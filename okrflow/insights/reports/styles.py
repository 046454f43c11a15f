"""The PDF review's fonts and paragraph styles.

Vietnamese needs a font with its diacritics; reportlab's bundled Vera has none, so DejaVu Sans
(Debian's fonts-dejavu-core, which CI installs) is registered, or another system font that has
them; the OKRFLOW_PDF_FONT environment variable may name a TTF file.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

logger = logging.getLogger(__name__)
FONT, BOLD = "OkrflowSans", "OkrflowSans-Bold"
FONT_CANDIDATES = (
    (
        "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
        "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
    ),
    (
        "/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf",
        "/usr/share/fonts/truetype/noto/NotoSans-Bold.ttf",
    ),
    (
        "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
        "/usr/share/fonts/truetype/liberation/LiberationSans-Bold.ttf",
    ),
)
INK = colors.HexColor("#17202e")
MUTED = colors.HexColor("#6b7587")
BRAND = colors.HexColor("#1f5eff")
LINE = colors.HexColor("#e3e7ee")


def register_fonts() -> str:
    """Register a Vietnamese-capable font family; return the path used."""
    if FONT in pdfmetrics.getRegisteredFontNames():
        return "registered"
    chosen = os.environ.get("OKRFLOW_PDF_FONT")
    pairs = [(chosen, chosen)] if chosen else []
    pairs += list(FONT_CANDIDATES)
    for regular, bold in pairs:
        if regular and Path(regular).exists():
            pdfmetrics.registerFont(TTFont(FONT, regular))
            pdfmetrics.registerFont(TTFont(BOLD, bold if bold and Path(bold).exists() else regular))
            pdfmetrics.registerFontFamily(
                FONT, normal=FONT, bold=BOLD, italic=FONT, boldItalic=BOLD
            )
            return regular
    import reportlab

    fonts = Path(reportlab.__file__).parent / "fonts"
    logger.warning("No font with Vietnamese diacritics found; install fonts-dejavu-core.")
    pdfmetrics.registerFont(TTFont(FONT, str(fonts / "Vera.ttf")))
    pdfmetrics.registerFont(TTFont(BOLD, str(fonts / "VeraBd.ttf")))
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=BOLD, italic=FONT, boldItalic=BOLD)
    return str(fonts / "Vera.ttf")


def styles() -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("body", fontName=FONT, fontSize=9.5, leading=13, textColor=INK)
    return {
        "body": base,
        "small": ParagraphStyle("small", parent=base, fontSize=8, leading=10.5, textColor=MUTED),
        "cell": ParagraphStyle("cell", parent=base, fontSize=8.5, leading=11),
        "cell_bold": ParagraphStyle(
            "cell_bold", parent=base, fontName=BOLD, fontSize=8.5, leading=11
        ),
        "title": ParagraphStyle("title", parent=base, fontName=BOLD, fontSize=28, leading=34),
        "subtitle": ParagraphStyle(
            "subtitle", parent=base, fontSize=14, leading=19, textColor=MUTED
        ),
        "h1": ParagraphStyle(
            "h1", parent=base, fontName=BOLD, fontSize=16, leading=21, spaceBefore=6, spaceAfter=6
        ),
        "h2": ParagraphStyle(
            "h2", parent=base, fontName=BOLD, fontSize=11, leading=15, spaceBefore=8, spaceAfter=3
        ),
        "kpi": ParagraphStyle(
            "kpi", parent=base, fontName=BOLD, fontSize=18, leading=22, alignment=TA_LEFT
        ),
    }
