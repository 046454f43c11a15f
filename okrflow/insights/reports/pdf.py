"""The quarterly review as a PDF: a title page with the headline figures, then one section per unit."""

from __future__ import annotations

import datetime
import io
from xml.sax.saxutils import escape

from django.utils import formats, timezone
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (
    KeepTogether,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from okrflow.insights.reports.drawings import band_of, band_strip, score_bars
from okrflow.insights.reports.rows import (
    BAND_COLOURS,
    headline,
    kind_name,
    success_word,
    value_text,
)
from okrflow.insights.reports.styles import (
    BOLD,
    BRAND,
    FONT,
    LINE,
    MUTED,
    register_fonts,
    styles,
)
from okrflow.insights.review import CycleReview, ObjectiveLine, ReviewSection
from okrflow.insights.templatetags.insights import score
from okrflow.org.models import Organisation
from okrflow.spreadsheets import allowed_text

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN = 18 * mm
TEXT_WIDTH = PAGE_WIDTH - 2 * MARGIN


def text(value: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(escape(allowed_text(value)).replace("\n", "<br/>"), style)


def day(value: datetime.date) -> str:
    return formats.date_format(value, "SHORT_DATE_FORMAT")


def title_page(review: CycleReview, s: dict[str, ParagraphStyle]) -> list:
    cycle = review.cycle
    status = _("Final grades") if review.is_final else _("Preview: the cycle is still open")
    story: list = [
        Spacer(1, 30 * mm),
        text(Organisation.current().name, s["subtitle"]),
        Spacer(1, 4 * mm),
        text(_("Quarterly review"), s["title"]),
        text(f"{cycle.name} · {day(cycle.start_date)} – {day(cycle.end_date)}", s["subtitle"]),
        Spacer(1, 3 * mm),
        text(status, s["body"]),
        Spacer(1, 12 * mm),
    ]
    figures = headline(review)
    cells = [[text(value, s["kpi"]), text(label, s["small"])] for label, value in figures]
    table = Table(cells, colWidths=[45 * mm, TEXT_WIDTH - 45 * mm])
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("LINEBELOW", (0, 0), (-1, -2), 0.5, LINE),
                ("TOPPADDING", (0, 0), (-1, -1), 6),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
            ]
        )
    )
    story += [
        table,
        Spacer(1, 8 * mm),
        text(_("Objectives by band"), s["h2"]),
        band_strip(review.bands, TEXT_WIDTH),
    ]
    means = [
        (section.name, float(section.mean_score or 0), band_of(float(section.mean_score or 0)))
        for section in review.sections
    ]
    if means:
        story += [
            Spacer(1, 6 * mm),
            text(_("Mean score by unit"), s["h2"]),
            score_bars(means, TEXT_WIDTH),
        ]
    story += [
        Spacer(1, 6 * mm),
        text(_("Committed objectives succeed at 1.0, aspirational ones at 0.7."), s["small"]),
    ]
    return [*story, PageBreak()]


def objective_block(line: ObjectiveLine, s: dict[str, ParagraphStyle]) -> list:
    colour = BAND_COLOURS.get(line.band, "#6b7587")
    head = Table(
        [
            [
                text(line.objective.title, s["cell_bold"]),
                text(f"{line.objective.owner_name} · {kind_name(line.objective.kind)}", s["small"]),
                Paragraph(f'<font color="{colour}"><b>{score(line.score)}</b></font>', s["cell"]),
                text(success_word(line), s["cell"]),
            ]
        ],
        colWidths=[TEXT_WIDTH * 0.50, TEXT_WIDTH * 0.28, TEXT_WIDTH * 0.10, TEXT_WIDTH * 0.12],
    )
    head.setStyle(
        TableStyle(
            [
                ("LINEBEFORE", (0, 0), (0, 0), 3, colors.HexColor(colour)),
                ("BACKGROUND", (0, 0), (-1, -1), colors.HexColor("#f5f7fb")),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ]
        )
    )
    rows = [
        [
            text(_("Key result"), s["small"]),
            text(_("Final"), s["small"]),
            text(_("Target"), s["small"]),
            text(_("Score"), s["small"]),
        ]
    ]
    for kr in line.key_results:
        rows.append(
            [
                text(kr.key_result.title, s["cell"]),
                text(value_text(kr, kr.final_value), s["cell"]),
                text(value_text(kr, kr.target), s["cell"]),
                Paragraph(
                    f'<font color="{BAND_COLOURS.get(kr.band, "#6b7587")}">{score(kr.score)}</font>',
                    s["cell"],
                ),
            ]
        )
    krs = Table(
        rows, colWidths=[TEXT_WIDTH * 0.58, TEXT_WIDTH * 0.15, TEXT_WIDTH * 0.15, TEXT_WIDTH * 0.12]
    )
    krs.setStyle(
        TableStyle(
            [
                ("LINEBELOW", (0, 0), (-1, -1), 0.4, LINE),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (0, -1), 10),
            ]
        )
    )
    block = [head, krs]
    reflection = line.reflection
    if reflection is not None:
        for label, value in (
            (_("What went well"), reflection.went_well),
            (_("What did not go well"), reflection.went_badly),
            (_("Lessons"), reflection.lessons),
        ):
            if value:
                block.append(
                    Paragraph(f"<b>{escape(label)}:</b> {escape(allowed_text(value))}", s["cell"])
                )
    if line.carried_to is not None:
        block.append(
            text(_("Carried into %(cycle)s.") % {"cycle": line.carried_to.cycle.name}, s["small"])
        )
    return [KeepTogether(block), Spacer(1, 5 * mm)]


def section_story(section: ReviewSection, s: dict[str, ParagraphStyle]) -> list:
    mean = section.mean_score
    story: list = [
        text(section.name, s["h1"]),
        text(
            _("%(count)d objectives · mean score %(mean)s · %(ok)d successful")
            % {"count": len(section.lines), "mean": score(mean), "ok": section.successes},
            s["small"],
        ),
        Spacer(1, 3 * mm),
        score_bars(
            [(line.objective.title, float(line.score), line.band) for line in section.lines],
            TEXT_WIDTH,
        ),
        Spacer(1, 5 * mm),
    ]
    for line in section.lines:
        story += objective_block(line, s)
    return story


def review_pdf(review: CycleReview, language: str) -> bytes:
    """Render the review as a PDF document."""
    register_fonts()
    s = styles()
    buffer = io.BytesIO()
    generated = formats.date_format(timezone.localtime(), "SHORT_DATETIME_FORMAT")

    def first_page(canvas, document) -> None:  # type: ignore[no-untyped-def]
        canvas.saveState()
        canvas.setFillColor(BRAND)
        canvas.rect(0, PAGE_HEIGHT - 22 * mm, PAGE_WIDTH, 22 * mm, stroke=0, fill=1)
        canvas.setFillColor(colors.white)
        canvas.setFont(BOLD, 14)
        canvas.drawString(MARGIN, PAGE_HEIGHT - 14 * mm, "okrflow")
        canvas.setFont(FONT, 8)
        canvas.setFillColor(MUTED)
        canvas.drawString(MARGIN, 10 * mm, _("Generated %(when)s") % {"when": generated})
        canvas.restoreState()

    def later_page(canvas, document) -> None:  # type: ignore[no-untyped-def]
        canvas.saveState()
        canvas.setFont(FONT, 8)
        canvas.setFillColor(MUTED)
        canvas.drawString(
            MARGIN,
            10 * mm,
            "okrflow · " + _("Quarterly review") + f" · {allowed_text(review.cycle.name)}",
        )
        canvas.drawRightString(
            PAGE_WIDTH - MARGIN, 10 * mm, _("Page %(number)d") % {"number": document.page}
        )
        canvas.setStrokeColor(LINE)
        canvas.line(MARGIN, 14 * mm, PAGE_WIDTH - MARGIN, 14 * mm)
        canvas.restoreState()

    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=20 * mm,
        title=_("Quarterly review") + f" {review.cycle.name}",
        author="okrflow",
        lang=language,
    )
    story = title_page(review, s)
    if not review.sections:
        story.append(text(_("No objectives to review in this cycle."), s["body"]))
    for index, section in enumerate(review.sections):
        if index:
            story.append(PageBreak())
        story += section_story(section, s)
    document.build(story, onFirstPage=first_page, onLaterPages=later_page)
    return buffer.getvalue()
