"""The quarterly review as a document: PDF (reportlab), XLSX (openpyxl) and CSV."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.utils import translation

from okrflow.cycles.models import Cycle
from okrflow.insights.review import build_review

FORMATS = ("pdf", "xlsx", "csv")
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}


def render_report(cycle: Cycle, queryset: Any, fmt: str, language: str) -> bytes:
    """Build the review of the given objectives in a format and a language."""
    from okrflow.insights.reports.pdf import review_pdf
    from okrflow.insights.reports.spreadsheet import review_csv, review_xlsx

    writers: dict[str, Callable[..., bytes]] = {
        "pdf": review_pdf,
        "xlsx": review_xlsx,
        "csv": review_csv,
    }
    if fmt not in writers:
        raise ValueError(f"unknown report format {fmt!r}")
    with translation.override(language):
        return writers[fmt](build_review(cycle, queryset), language)


def report_filename(cycle: Cycle, fmt: str, language: str) -> str:
    safe = "".join(ch if ch.isalnum() else "-" for ch in cycle.name).strip("-").lower()
    return f"okrflow-review-{safe}-{language}.{fmt}"
