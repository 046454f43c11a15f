"""The one writer of every CSV and XLSX file the app produces: only what the format allows.

Two dangers, whatever the text someone typed into a title:
- **Formulas.** A cell starting with `=`, `+`, `-`, `@`, a tab or a carriage return is run as a
  formula by Excel and LibreOffice (`=HYPERLINK(…)` sends the reader anywhere). In CSV such
  text is written with a leading apostrophe (the OWASP rule); in XLSX it is stored as a typed
  text cell, which no spreadsheet evaluates, so it reads back exactly. Real numbers — numeric
  values, and text that is only a number such as "-1,5" or "-12 %" — stay numbers.
- **Characters the format refuses.** XLSX is XML 1.0: control characters other than tab, line
  feed and carriage return, U+FFFE/U+FFFF and lone surrogates make openpyxl (or Excel) fail.
  They are removed (vertical tab and form feed become a space) from CSV as well, so both files
  say the same thing.

Use `csv_bytes` for CSV, `append_row` for every XLSX row and `sheet_title` for sheet names.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
from collections.abc import Iterable, Iterator, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # openpyxl is imported by who writes or reads a workbook, not here
    from openpyxl.worksheet.worksheet import Worksheet

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Only a number, possibly signed, grouped, with a decimal mark and a percent sign.
PLAIN_NUMBER = re.compile(r"[+-]?\d[\d.,\u00a0 ]*(\s?%)?")
_NOT_IN_XML = re.compile("[\x00-\x08\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_BLANKS = re.compile("[\x0b\x0c]")
_NOT_IN_SHEET_TITLE = re.compile(r"[\\*?:/\[\]]")


def allowed_text(text: str) -> str:
    """Remove the characters an XLSX (XML 1.0) file cannot hold."""
    return _NOT_IN_XML.sub("", _BLANKS.sub(" ", text))


def looks_like_formula(text: str) -> bool:
    return text.startswith(FORMULA_STARTS) and not PLAIN_NUMBER.fullmatch(text)


def csv_cell(value: Any) -> Any:
    """A value as a CSV cell: numbers as they are, text cleaned and never a formula."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | float | Decimal):
        return value
    if isinstance(value, datetime.date):
        return value.isoformat()
    text = allowed_text(str(value))
    return "'" + text if looks_like_formula(text) else text


def csv_bytes(rows: Iterable[Sequence[Any]]) -> bytes:
    """Write rows (the header first) as UTF-8 CSV with a byte-order mark, which Excel needs
    to read Vietnamese; lines end in CRLF as RFC 4180 says."""
    return b"".join(csv_chunks(rows))


def csv_chunks(rows: Iterable[Sequence[Any]], rows_per_chunk: int = 500) -> Iterator[bytes]:
    """`csv_bytes` piece by piece, `rows_per_chunk` rows at a time: for a streamed download."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, lineterminator="\r\n")
    for count, row in enumerate(rows, start=1):
        writer.writerow([csv_cell(value) for value in row])
        if count % rows_per_chunk == 0:
            yield out.getvalue().encode("utf-8")
            out.seek(0)
            out.truncate()
    yield out.getvalue().encode("utf-8")


def xlsx_cell(value: Any) -> Any:
    """A value openpyxl can store: text cleaned of characters XML refuses."""
    if isinstance(value, str):
        return allowed_text(value)
    return value


def append_row(sheet: Worksheet, values: Sequence[Any]) -> None:
    """Append a row of values; formula-looking text is stored as text, never as a formula."""
    sheet.append([xlsx_cell(value) for value in values])
    if not values:  # an empty spacer row has no cells to look at
        return
    for cell in sheet[sheet.max_row]:
        if isinstance(cell.value, str) and cell.value.startswith(FORMULA_STARTS):
            cell.data_type = "s"


def sheet_title(name: str, fallback: str = "Sheet") -> str:
    """A sheet name Excel accepts: no \\ / ? * [ ] :, no control characters, at most 31."""
    title = _NOT_IN_SHEET_TITLE.sub("-", allowed_text(name)).strip().strip("'")[:31]
    return title or fallback
