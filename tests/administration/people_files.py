"""Build people files for the import tests: CSV in either header language, XLSX, and helpers."""

from __future__ import annotations

import csv
import io
from typing import Any

from openpyxl import Workbook

from okrflow.org.people_files import read_table
from okrflow.org.people_import import build_preview
from okrflow.org.people_plan import PeoplePreview
from okrflow.org.people_write import import_people

ENGLISH = ["email", "full_name", "unit", "manager_email", "role", "language", "active"]
VIETNAMESE = [
    "Email",
    "Họ và tên",
    "Đơn vị",
    "Email quản lý",
    "Vai trò",
    "Ngôn ngữ",
    "Đang làm việc",
]


def csv_content(
    rows: list[list[str]],
    header: list[str] | None = None,
    *,
    delimiter: str = ",",
    bom: bool = False,
) -> bytes:
    """A people CSV as a person's spreadsheet would save it (the test builds input, not output)."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(header or ENGLISH)
    writer.writerows(rows)
    return (("\ufeff" if bom else "") + out.getvalue()).encode("utf-8")


def xlsx_content(rows: list[list[Any]], header: list[str] | None = None) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(header or ENGLISH)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def preview_of(content: bytes, actor: Any = None, name: str = "people.csv") -> PeoplePreview:
    return build_preview(read_table(content, name), actor)


def import_content(content: bytes, actor: Any = None, name: str = "people.csv") -> PeoplePreview:
    """Preview and import a file; fail the test with its problems if it has any."""
    preview = preview_of(content, actor, name)
    assert preview.problems == []
    return import_people(actor, preview)


def problems_by_line(preview: PeoplePreview) -> dict[int | None, list[str]]:
    found: dict[int | None, list[str]] = {}
    for problem in preview.problems:
        found.setdefault(problem.line, []).append(problem.message)
    return found
