"""Read one number out of what a data source returned: JSON by a path, a CSV cell, a SQL row.

Pure logic, no Django: every failure is a `SourceProblem` with a code the app turns into a
message in the reader's language, and a detail (the path, the text found) kept as it was.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

MAX_JSON_DEPTH = 50
MAX_DETAIL = 200

# Failure codes: each has a message in the app (okrflow.datasources.problems).
TIMEOUT = "timeout"
HTTP_ERROR = "http_error"
BAD_JSON = "bad_json"
BAD_CSV = "bad_csv"
NO_VALUE = "no_value"
NOT_A_NUMBER = "not_a_number"
PERMISSION_DENIED = "permission_denied"
TOO_BIG = "too_big"
REFUSED = "refused"
CONNECTION = "connection"
QUERY_ERROR = "query_error"
NOT_ONE_ROW = "not_one_row"
FILE_MISSING = "file_missing"
NOT_RECORDED = "not_recorded"


@dataclass
class SourceProblem(Exception):
    """Why a source gave no number: a code and a short detail (never a secret)."""

    code: str
    detail: str = ""

    def __post_init__(self) -> None:
        self.detail = " ".join(str(self.detail).split())[:MAX_DETAIL]

    def __str__(self) -> str:
        return f"{self.code}: {self.detail}" if self.detail else self.code


PATH_PART = re.compile(r"""\.?([^.\[\]]+)|\[(-?\d+)\]|\[["']([^"']*)["']\]""")


def split_json_path(path: str) -> list[str | int]:
    """Split "$.data.items[0].value" (or "data.items.0.value") into keys and indexes."""
    text = path.strip()
    if text.startswith("$"):
        text = text[1:]
    parts: list[str | int] = []
    position = 0
    while position < len(text):
        match = PATH_PART.match(text, position)
        if match is None or match.end() == position:
            raise SourceProblem(NO_VALUE, f"JSON path {path!r}")
        key, index, quoted = match.groups()
        if index is not None:
            parts.append(int(index))
        elif quoted is not None:
            parts.append(quoted)
        else:
            parts.append(key)
        position = match.end()
    return parts


def value_at_path(document: Any, path: str) -> Any:
    """Follow a JSON path into a parsed document; NO_VALUE when a step is missing."""
    current = document
    for part in split_json_path(path):
        if isinstance(current, list):
            try:
                index = int(part)
                current = current[index]
                continue
            except (ValueError, IndexError):
                raise SourceProblem(NO_VALUE, f"JSON path {path!r} at {part!r}") from None
        if isinstance(current, dict) and str(part) in current:
            current = current[str(part)]
            continue
        raise SourceProblem(NO_VALUE, f"JSON path {path!r} at {part!r}")
    return current


def number_from_json(body: bytes, path: str) -> Decimal:
    """Parse a JSON document and read the number at `path`."""
    try:
        document = json.loads(body.decode("utf-8-sig"), parse_float=Decimal, parse_int=Decimal)
    except (UnicodeDecodeError, ValueError, RecursionError) as error:
        raise SourceProblem(BAD_JSON, str(error)) from None
    return to_number(value_at_path(document, path) if path.strip() else document)


def to_number(value: Any) -> Decimal:
    """Turn a JSON or SQL value, or a cell's text, into a finite Decimal; NOT_A_NUMBER otherwise."""
    if isinstance(value, bool) or value is None:
        raise SourceProblem(NOT_A_NUMBER, repr(value))
    if isinstance(value, Decimal):
        number = value
    elif isinstance(value, int | float):
        number = Decimal(str(value))
    elif isinstance(value, str):
        number = number_from_text(value)
    else:
        raise SourceProblem(NOT_A_NUMBER, type(value).__name__)
    if not number.is_finite():
        raise SourceProblem(NOT_A_NUMBER, str(value))
    return number


def number_from_text(text: str) -> Decimal:
    """Read "1234.5", "1,234.5", "1.234,5", "12%" or "1 234" as a number."""
    cleaned = text.strip().replace("\u00a0", "").replace(" ", "").rstrip("%")
    if cleaned.count(",") and cleaned.count("."):
        # Both marks: the last one is the decimal mark.
        if cleaned.rfind(",") > cleaned.rfind("."):
            cleaned = cleaned.replace(".", "").replace(",", ".")
        else:
            cleaned = cleaned.replace(",", "")
    elif cleaned.count(",") == 1 and not re.fullmatch(r"-?\d{1,3},\d{3}", cleaned):
        cleaned = cleaned.replace(",", ".")
    else:
        cleaned = cleaned.replace(",", "")
    if not re.fullmatch(r"[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?", cleaned):
        raise SourceProblem(NOT_A_NUMBER, text)
    try:
        return Decimal(cleaned)
    except InvalidOperation:
        raise SourceProblem(NOT_A_NUMBER, text) from None


def read_csv_rows(body: bytes) -> list[list[str]]:
    """Parse CSV text (UTF-8, a BOM allowed; comma, semicolon or tab separated)."""
    try:
        text = body.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise SourceProblem(BAD_CSV, str(error)) from None
    sample = text[:4096]
    try:
        dialect: Any = csv.Sniffer().sniff(sample, delimiters=",;\t") if sample else csv.excel
    except csv.Error:
        dialect = csv.excel
    try:
        return [
            row for row in csv.reader(io.StringIO(text), dialect) if any(c.strip() for c in row)
        ]
    except csv.Error as error:
        raise SourceProblem(BAD_CSV, str(error)) from None


def number_from_csv(body: bytes, row: str, column: str) -> Decimal:
    """Read the number in one cell: `row` a data row number (1 = first under the header) or
    "last"; `column` a header name or a column number (1 = first)."""
    rows = read_csv_rows(body)
    if not rows:
        raise SourceProblem(NO_VALUE, "empty CSV")
    header, data = rows[0], rows[1:]
    index = column_index(header, column)
    line = pick_row(data, row)
    if index >= len(line):
        raise SourceProblem(NO_VALUE, f"column {column!r} in row {row!r}")
    return to_number(line[index])


def column_index(header: Sequence[str], column: str) -> int:
    wanted = column.strip()
    if wanted.isdigit() and int(wanted) >= 1:
        return int(wanted) - 1
    names = [name.strip().casefold() for name in header]
    if wanted.casefold() in names:
        return names.index(wanted.casefold())
    raise SourceProblem(NO_VALUE, f"column {column!r}")


def pick_row(data: Sequence[Sequence[str]], row: str) -> Sequence[str]:
    wanted = (row or "last").strip().casefold()
    if wanted in ("last", "cuối"):
        if not data:
            raise SourceProblem(NO_VALUE, "no data row")
        return data[-1]
    if wanted.isdigit() and 1 <= int(wanted) <= len(data):
        return data[int(wanted) - 1]
    raise SourceProblem(NO_VALUE, f"row {row!r}")


def number_from_rows(rows: Sequence[Sequence[Any]]) -> Decimal:
    """A query's answer: exactly one row; its first column is the number."""
    if len(rows) != 1:
        raise SourceProblem(NOT_ONE_ROW, f"{len(rows)} rows")
    if not rows[0]:
        raise SourceProblem(NO_VALUE, "no column")
    return to_number(rows[0][0])
