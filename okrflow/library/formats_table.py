"""CSV and XLSX: one row per key result, with the objective's columns repeated on each row.

Rows that name the same scope, owner, objective (and ref) belong to one objective, in the
order they first appear; a row with an objective and no key result is an objective without
key results. Only `owner`, `objective` and `key_result` are needed: a row without a `shape` is
read from its key-result sentence, like the text format. Row numbers are the spreadsheet's
(the header is row 1).

Exports write numbers without thousands separators in the export's language ("0,7" in
Vietnamese, "0.7" in English) and read them back the same way; a cell that starts with
=, +, - or @ is written with a leading apostrophe so a spreadsheet never runs it as a formula.
"""

from __future__ import annotations

import csv
import datetime
import io
import itertools
from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from okrflow.engine.text import clean_text
from okrflow.library.formats_text import decode_text
from okrflow.library.plans import Problem, RawKeyResult, RawObjective, ReadResult
from okrflow.library.uploads import check_zip
from okrflow.spreadsheets import FORMULA_STARTS, append_row, csv_chunks
from okrflow.spreadsheets import sheet_title as safe_sheet_title

OBJECTIVE_COLUMNS = (
    "scope",
    "owner",
    "objective",
    "kind",
    "state",
    "private",
    "tags",
    "description",
    "ref",
    "parent",
)
KEY_RESULT_COLUMNS = (
    "key_result",
    "shape",
    "direction",
    "start",
    "target",
    "current",
    "unit",
    "currency",
    "change",
    "baseline",
    "per_period",
    "period",
    "due",
    "weight",
    "kr_owner",
)
COLUMNS = OBJECTIVE_COLUMNS + KEY_RESULT_COLUMNS
ALIASES = {
    "owner_kind": "scope",
    "objective_title": "objective",
    "objective_kind": "kind",
    "kr": "key_result",
    "key_results": "key_result",
    "key_result_title": "key_result",
    "relative_change": "change",
    "baseline_label": "baseline",
    "due_date": "due",
    "start_value": "start",
    "target_value": "target",
    "current_value": "current",
    "key_result_owner": "kr_owner",
    "mục_tiêu": "objective",
    "kết_quả_chính": "key_result",
    "kết_quả_then_chốt": "key_result",
    "chủ_sở_hữu": "owner",
    "người_phụ_trách": "owner",
}
MAX_ROWS = 20_000


def column_name(header: Any) -> str:
    """Normalise a header cell ("Key result" -> "key_result")."""
    name = "_".join(str(header or "").strip().lower().split())
    return ALIASES.get(name, name)


def is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def cell_text(value: Any) -> str:
    """Return a cell as text, without the apostrophe that guards a formula-like value."""
    if value is None:
        return ""
    text = str(value).strip()
    if text.startswith("'") and text[1:2] in FORMULA_STARTS:
        return text[1:]
    return text


def rows_to_objectives(rows: Iterable[tuple[int, list[Any]]], format_name: str) -> ReadResult:
    """Group numbered rows (header first) into objectives with their key results."""
    result = ReadResult(format=format_name)
    header: list[str] | None = None
    groups: dict[tuple[str, ...], RawObjective] = {}
    for number, raw_cells in rows:
        # A cell may hold what no page or database takes (lone surrogates, NUL): drop those.
        cells = [clean_text(cell) if isinstance(cell, str) else cell for cell in raw_cells]
        if all(is_blank(cell) for cell in cells):
            continue
        if header is None:
            header = [column_name(cell) for cell in cells]
            missing = [c for c in ("objective",) if c not in header]
            if missing:
                message = _("The first row must name the columns; “objective” is missing.")
                result.problems.append(Problem(message, number))
                return result
            continue
        row = {name: cells[i] for i, name in enumerate(header) if i < len(cells) and name}
        add_row(result, groups, number, row)
    if header is None:
        result.problems.append(Problem(_("The file is empty.")))
    return result


def add_row(
    result: ReadResult, groups: dict[tuple[str, ...], RawObjective], number: int, row: dict
) -> None:
    """Add one row's objective (if new) and key result (if any)."""
    title = cell_text(row.get("objective"))
    if not title:
        result.problems.append(Problem(_("This row has no objective."), number))
        return
    key = tuple(cell_text(row.get(name)) for name in ("scope", "owner", "objective", "ref"))
    objective = groups.get(key)
    if objective is None:
        columns = {
            name: row[name]
            for name in OBJECTIVE_COLUMNS[3:]
            if name in row and not is_blank(row[name])
        }
        objective = RawObjective(
            line=number,
            title=title,
            owner=cell_text(row.get("owner")),
            scope=cell_text(row.get("scope")),
            columns=columns,
        )
        groups[key] = objective
        result.objectives.append(objective)
    kr_title = cell_text(row.get("key_result"))
    if kr_title:
        columns = {
            name: row[name]
            for name in KEY_RESULT_COLUMNS[1:]
            if name in row and not is_blank(row[name])
        }
        objective.key_results.append(RawKeyResult(number, kr_title, columns))


def read_csv(content: bytes) -> ReadResult:
    """Read a CSV file (comma, semicolon or tab separated)."""
    text = decode_text(content)
    first = text.split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=first.count)
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    rows = ((reader.line_num, row) for row in limited(reader))
    return rows_to_objectives(rows, "csv")


class TooManyRows(ValueError):
    """A file with more rows than an import may have."""


def limited(rows: Iterable[list[Any]]) -> Iterator[list[Any]]:
    for index, row in enumerate(rows):
        if index > MAX_ROWS:
            raise TooManyRows(f"more than {MAX_ROWS} rows")
        yield row


def read_xlsx(content: bytes) -> ReadResult:
    """Read the first sheet of an XLSX workbook.

    openpyxl parses the workbook's XML parts as it meets them, and a damaged or hostile part
    raises whatever its parser raises (ParseError, IndexError, …): any such failure, and only
    openpyxl's, is the file's problem, told to the person, never a server error.
    """
    from openpyxl import load_workbook

    check_zip(content)
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        try:
            sheet = workbook.worksheets[0]
            rows = list(limited(list(r) for r in sheet.iter_rows(values_only=True)))
        finally:
            workbook.close()
    except TooManyRows:
        raise  # read_file words it like the CSV reader's
    except Exception as error:  # whatever a hostile part raises: see above
        return unreadable_workbook(error)
    return rows_to_objectives(enumerate(rows, start=1), "xlsx")


def unreadable_workbook(error: Exception) -> ReadResult:
    result = ReadResult(format="xlsx")
    detail = str(error)[:80] or type(error).__name__
    message = _("This is not an XLSX workbook (%(error)s).") % {"error": detail}
    result.problems.append(Problem(message))
    return result


def number_text(value: Decimal | None, lang: str) -> str:
    """Write a number without grouping, with the language's decimal mark."""
    if value is None:
        return ""
    text = format(value.normalize(), "f")
    return text.replace(".", ",") if lang == "vi" else text


def write_csv(rows: Iterable[dict[str, Any]], lang: str) -> bytes:
    """Write rows (dicts keyed by COLUMNS) as CSV through the app's one spreadsheet writer."""
    return b"".join(csv_pieces(rows, lang))


def csv_pieces(rows: Iterable[dict[str, Any]], lang: str) -> Iterator[bytes]:
    """`write_csv` piece by piece (the bytes of `csv_bytes`), rows read as they come."""
    table = ([csv_value(row.get(name), lang) for name in COLUMNS] for row in rows)
    return csv_chunks(itertools.chain([list(COLUMNS)], table))


def csv_value(value: Any, lang: str) -> Any:
    """A cell in the reader's style: numbers with the language's decimal mark, "yes" for true."""
    if isinstance(value, bool):
        return "yes" if value else ""
    if isinstance(value, Decimal):
        return number_text(value, lang)
    return value


def write_xlsx(rows: Iterable[dict[str, Any]], sheet_title: str) -> bytes:
    """Write rows as a one-sheet workbook with a styled header and real numbers and dates."""
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = safe_sheet_title(sheet_title or "OKRs", "OKRs")
    append_row(sheet, list(COLUMNS))
    for cell in sheet[1]:
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = PatternFill("solid", fgColor="1F5EFF")
    for row in rows:
        append_row(sheet, [xlsx_value(row.get(name)) for name in COLUMNS])
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, datetime.date):
                cell.number_format = "dd/mm/yyyy"
    widths = {"objective": 48, "key_result": 60, "owner": 24, "description": 30, "tags": 18}
    for index, name in enumerate(COLUMNS, start=1):
        letter = sheet.cell(row=1, column=index).column_letter
        sheet.column_dimensions[letter].width = widths.get(name, 12)
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def xlsx_value(value: Any) -> Any:
    if isinstance(value, bool):
        return "yes" if value else None
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value
