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


def report_filename(cycle: Cycle, fmt: str, language: str, unit: str = "") -> str:
    """Name the file after the cycle (and the unit), in plain ASCII for every browser."""
    import unicodedata

    def slug(text: str) -> str:
        plain = unicodedata.normalize("NFKD", text.replace("Đ", "D").replace("đ", "d"))
        plain = plain.encode("ascii", "ignore").decode()
        return "-".join("".join(c if c.isalnum() else " " for c in plain).lower().split())

    parts = [slug(cycle.name), slug(unit)] if unit else [slug(cycle.name)]
    return f"okrflow-review-{'-'.join(p for p in parts if p)}-{language}.{fmt}"
