"""Charts for the PDF review, drawn with reportlab.graphics: score bars and the band strip."""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import get_language
from reportlab.graphics.shapes import Drawing, Line, Rect, String
from reportlab.lib import colors
from reportlab.pdfbase.pdfmetrics import stringWidth

from okrflow.engine.numbers import format_fixed
from okrflow.insights.reports.rows import BAND_COLOURS
from okrflow.insights.templatetags.insights import band_label
from okrflow.insights.templatetags.insights import score as score_label
from okrflow.spreadsheets import allowed_text

FONT, BOLD = "OkrflowSans", "OkrflowSans-Bold"
INK = colors.HexColor("#17202e")
MUTED = colors.HexColor("#6b7587")
LINE = colors.HexColor("#e3e7ee")


def fit(label: str, width: float, size: float) -> str:
    """Shorten a label with an ellipsis until it fits the width."""
    if stringWidth(label, FONT, size) <= width:
        return label
    while label and stringWidth(label + "…", FONT, size) > width:
        label = label[:-1]
    return label.rstrip() + "…"


def score_bars(items: list[tuple[str, float, str]], width: float) -> Drawing:
    """Draw horizontal score bars (0 to 1) coloured by band, with the 0.7 and 1.0 bars marked."""
    row, label_width = 15, width * 0.42
    bar_width = width - label_width - 36
    height = row * len(items) + 22
    drawing = Drawing(width, height)
    left = label_width
    for tick in (0.0, 0.3, 0.7, 1.0):
        x = left + tick * bar_width
        dash = (2, 2) if tick in (0.3, 0.7) else None
        drawing.add(
            Line(x, 14, x, height, strokeColor=LINE if tick < 0.7 else MUTED, strokeDashArray=dash)
        )
        drawing.add(
            String(
                x,
                3,
                format_fixed(Decimal(str(tick)), (get_language() or "vi")[:2], 1),
                fontName=FONT,
                fontSize=7,
                fillColor=MUTED,
                textAnchor="middle",
            )
        )
    for index, (label, score, band) in enumerate(items):
        y = height - (index + 1) * row
        short = fit(allowed_text(label), label_width - 8, 7.5)
        drawing.add(String(0, y + 3, short, fontName=FONT, fontSize=7.5, fillColor=INK))
        drawing.add(
            Rect(
                left,
                y + 1,
                max(0.5, score * bar_width),
                row - 5,
                fillColor=colors.HexColor(BAND_COLOURS.get(band, "#6b7587")),
                strokeColor=None,
            )
        )
        drawing.add(
            String(
                left + score * bar_width + 4,
                y + 3,
                score_label(score),
                fontName=BOLD,
                fontSize=7.5,
                fillColor=INK,
            )
        )
    return drawing


def band_strip(counts: dict[str, int], width: float) -> Drawing:
    """Draw one stacked bar of how many objectives fell in each band."""
    total = sum(counts.values()) or 1
    drawing = Drawing(width, 34)
    x = 0.0
    for band in ("green", "yellow", "red"):
        share = counts.get(band, 0) / total
        if share:
            drawing.add(
                Rect(
                    x,
                    14,
                    share * width,
                    16,
                    fillColor=colors.HexColor(BAND_COLOURS[band]),
                    strokeColor=colors.white,
                )
            )
            drawing.add(
                String(
                    x + 4,
                    2,
                    f"{band_label(band)}: {counts.get(band, 0)}",
                    fontName=FONT,
                    fontSize=7.5,
                    fillColor=INK,
                )
            )
        x += share * width
    return drawing


def band_of(score: float) -> str:
    rounded = round(score + 1e-9, 1)
    return "red" if rounded <= 0.3 else "yellow" if rounded <= 0.6 else "green"
