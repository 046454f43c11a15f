"""The review as a workbook (summary, objectives, key results) and as one flat CSV."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING, Any

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from okrflow.insights.reports.rows import (
    BAND_COLOURS,
    BAND_LABELS,
    headline,
    key_result_headers,
    key_result_rows,
    kind_name,
    objective_headers,
    objective_rows,
    score_text,
    success_word,
    value_text,
)
from okrflow.insights.review import CycleReview
from okrflow.spreadsheets import append_row, csv_bytes, sheet_title

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

# openpyxl is imported where a workbook is written, not with this module: the pages' URLs
# import it, and every web worker would hold openpyxl's 15 MB for the few that export.

HEADER_COLOUR = "1F5EFF"


def _table(sheet: Worksheet, headers: list[str], rows: list[list[Any]], widths: list[int]) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    band_fonts = {
        label: Font(bold=True, color=BAND_COLOURS[band].lstrip("#"))
        for band, label in BAND_LABELS.items()
    }
    append_row(sheet, headers)
    for cell in sheet[1]:
        cell.fill = PatternFill("solid", fgColor=HEADER_COLOUR)
        cell.font = Font(bold=True, color="FFFFFF")
        cell.alignment = Alignment(vertical="center", wrap_text=True)
    for row in rows:
        append_row(sheet, row)
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(vertical="top", wrap_text=isinstance(cell.value, str))
            if isinstance(cell.value, float):
                cell.number_format = "0.00"
            if cell.value in band_fonts:
                cell.font = band_fonts[cell.value]
    sheet.freeze_panes = "A2"
    if rows:
        sheet.auto_filter.ref = sheet.dimensions


def review_xlsx(review: CycleReview, language: str) -> bytes:
    """Write the review as an Excel workbook."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    summary = book.active
    summary.title = sheet_title(_("Summary"))
    append_row(summary, [_("Quarterly review"), review.cycle.name])
    summary["A1"].font = Font(bold=True, size=14)
    append_row(
        summary,
        [
            _("Period"),
            f"{date_format(review.cycle.start_date, 'SHORT_DATE_FORMAT')} – "
            f"{date_format(review.cycle.end_date, 'SHORT_DATE_FORMAT')}",
        ],
    )
    append_row(
        summary,
        [_("Status"), _("Final grades") if review.is_final else _("Preview: the cycle is open")],
    )
    append_row(
        summary, [_("Generated"), date_format(timezone.localtime(), "SHORT_DATETIME_FORMAT")]
    )
    append_row(summary, [])
    for label, value in headline(review):
        append_row(summary, [label, value])
    append_row(summary, [])
    append_row(summary, [_("Unit"), _("Objectives"), _("Mean score"), _("Successful")])
    for cell in summary[summary.max_row]:
        cell.font = Font(bold=True)
    for section in review.sections:
        mean = section.mean_score
        append_row(
            summary,
            [
                section.name,
                len(section.lines),
                float(mean) if mean is not None else None,
                section.successes,
            ],
        )
    summary.column_dimensions["A"].width = 40
    summary.column_dimensions["B"].width = 30
    objectives = book.create_sheet(sheet_title(_("Objectives")))
    _table(
        objectives,
        objective_headers(),
        objective_rows(review),
        [22, 48, 22, 14, 8, 10, 9, 36, 36, 36, 14],
    )
    key_results = book.create_sheet(sheet_title(_("Key results")))
    _table(key_results, key_result_headers(), key_result_rows(review), [22, 40, 48, 18, 18, 8, 10])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def review_csv(review: CycleReview, language: str) -> bytes:
    """Write one row per key result, with its objective's grade, as UTF-8 CSV (with a BOM)."""
    header = [
        _("Cycle"),
        *key_result_headers(),
        _("Owner"),
        _("Kind"),
        _("Objective score"),
        _("Objective band"),
        _("Success"),
    ]
    rows: list[list[Any]] = [header]
    for section in review.sections:
        for line in section.lines:
            for kr_line in line.key_results:
                rows.append(
                    [
                        review.cycle.name,
                        section.name,
                        line.objective.title,
                        kr_line.key_result.title,
                        value_text(kr_line, kr_line.final_value),
                        value_text(kr_line, kr_line.target),
                        score_text(kr_line.score),
                        BAND_LABELS.get(kr_line.band, kr_line.band),
                        line.objective.owner_name,
                        kind_name(line.objective.kind),
                        score_text(line.score),
                        BAND_LABELS.get(line.band, line.band),
                        success_word(line),
                    ]
                )
    return csv_bytes(rows)
