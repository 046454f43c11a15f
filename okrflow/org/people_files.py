"""Read a people file (CSV or XLSX) into numbered rows; refuse what is no such file, in words.

Line numbers are the ones a person sees: a CSV row's first line in a text editor, an XLSX row's
number in the spreadsheet (the header is line 1 in both).
"""

from __future__ import annotations

import csv
import io
import unicodedata
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any

from django.utils.translation import gettext as _

from okrflow.library.uploads import UnsafeFile, check_zip
from okrflow.org.people_table import cell_text

# 20,000 people are checked and written in well under a minute; a larger company imports in parts.
MAX_PEOPLE_ROWS = 20_000
# The web upload limit. A 10,000-person CSV is 0.7 to 1.6 MB (1.6 MB with three-level unit paths
# under a long company name, bench/people_import.py), so 20,000 people (the row limit) need up to
# about 3.2 MB; 5 MB leaves room for longer names and paths. A larger file holds more rows than an
# import may have, so it is refused while it uploads, before it is read.
MAX_PEOPLE_UPLOAD_BYTES = 5_000_000
# Rows read before a file is refused, blank rows included (a sheet can hold a million).
MAX_RAW_ROWS = 2 * MAX_PEOPLE_ROWS
CSV_DELIMITERS = (",", ";", "\t")
CSV, XLSX = "csv", "xlsx"


class UnreadableFile(ValueError):
    """The file is no CSV or XLSX people file; the message says why, in the reader's language."""


@dataclass
class Table:
    """A file's header cells and its non-blank rows, each with its line number."""

    header: list[str]
    rows: list[tuple[int, list[str]]] = field(default_factory=list)


def file_kind(content: bytes, filename: str = "") -> str:
    """Tell CSV from XLSX by the file's first bytes (a zip archive), else by its name."""
    if content.startswith(b"PK\x03\x04"):
        return XLSX
    suffix = PurePath(filename).suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return XLSX
    if suffix in ("", ".csv", ".txt", ".tsv"):
        return CSV
    raise UnreadableFile(
        _("“%(name)s” is not a CSV or XLSX file.") % {"name": PurePath(filename).name[:80]}
    )


def read_table(content: bytes, filename: str = "") -> Table:
    """Read a CSV or XLSX people file into its header and rows."""
    if not content.strip():
        raise UnreadableFile(_("The file is empty."))
    kind = file_kind(content, filename)
    rows = read_xlsx_rows(content) if kind == XLSX else read_csv_rows(content)
    table: Table | None = None
    for line, raw in rows:
        cells = [cell_text(value) for value in raw]
        if not any(cells):
            continue
        if table is None:
            table = Table(header=cells)
            continue
        if len(table.rows) >= MAX_PEOPLE_ROWS:
            raise too_many_rows()
        table.rows.append((line, cells))
    if table is None:
        raise UnreadableFile(_("The file is empty."))
    return table


def too_many_rows() -> UnreadableFile:
    return UnreadableFile(
        _("The file has more than %(count)d people; import it in parts.")
        % {"count": MAX_PEOPLE_ROWS}
    )


def read_csv_rows(content: bytes) -> list[tuple[int, list[Any]]]:
    """Split a UTF-8 CSV (with or without a byte-order mark; , ; or tab) into numbered rows."""
    if b"\x00" in content[:4096]:
        raise UnreadableFile(_("This is not a CSV file: it holds binary data."))
    try:
        text = unicodedata.normalize("NFC", content.decode("utf-8-sig"))
    except UnicodeDecodeError as error:
        raise UnreadableFile(
            _("The file is not UTF-8 text. In Excel choose “CSV UTF-8” when saving.")
        ) from error
    first = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = max(CSV_DELIMITERS, key=first.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows = []
    start = 1
    try:
        for row in reader:
            rows.append((start, row))
            start = reader.line_num + 1
            if len(rows) > MAX_RAW_ROWS:
                raise too_many_rows()
    except csv.Error as error:
        raise UnreadableFile(
            _("Line %(line)d cannot be read as CSV: %(error)s")
            % {"line": start, "error": str(error)[:100]}
        ) from error
    return rows


def read_xlsx_rows(content: bytes) -> list[tuple[int, list[Any]]]:
    """Read the first sheet of a workbook, refused first if it could be a zip bomb.

    openpyxl raises whatever its XML parser meets in a damaged or hostile part: any failure of
    openpyxl's is the file's problem, told to the person, never a server error.
    """
    from openpyxl import load_workbook

    try:
        check_zip(content)
    except UnsafeFile as error:
        raise UnreadableFile(str(error)) from error
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        try:
            sheet = workbook.worksheets[0]
            rows = []
            for number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
                rows.append((number, list(row)))
                if len(rows) > MAX_RAW_ROWS:
                    break  # refused below, outside the net for openpyxl's own failures
        finally:
            workbook.close()
    except Exception as error:  # whatever a hostile part raises: see above
        detail = str(error)[:80] or type(error).__name__
        raise UnreadableFile(
            _("This is not an XLSX workbook (%(error)s).") % {"error": detail}
        ) from error
    if len(rows) > MAX_RAW_ROWS:
        raise too_many_rows()
    return rows
