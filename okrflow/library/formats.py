"""The import and export formats, and how a file's format is recognised."""

from __future__ import annotations

import csv
import re
from collections.abc import Callable
from pathlib import PurePath

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from okrflow.library.formats_json import read_json
from okrflow.library.formats_table import read_csv, read_xlsx
from okrflow.library.formats_text import read_markdown, read_text
from okrflow.library.plans import Problem, ReadResult
from okrflow.library.uploads import UnsafeFile

FORMATS = ("text", "md", "csv", "xlsx", "json")
FORMAT_LABELS = {
    "text": gettext_lazy("Plain text (article format)"),
    "md": gettext_lazy("Markdown"),
    "csv": gettext_lazy("CSV"),
    "xlsx": gettext_lazy("Excel (XLSX)"),
    "json": gettext_lazy("JSON (lossless)"),
}
EXTENSIONS = {
    ".txt": "text",
    ".text": "text",
    ".md": "md",
    ".markdown": "md",
    ".csv": "csv",
    ".tsv": "csv",
    ".xlsx": "xlsx",
    ".json": "json",
}
FILE_EXTENSIONS = {"text": "txt", "md": "md", "csv": "csv", "xlsx": "xlsx", "json": "json"}
CONTENT_TYPES = {
    "text": "text/plain; charset=utf-8",
    "md": "text/markdown; charset=utf-8",
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
}
READERS: dict[str, Callable[[bytes], ReadResult]] = {
    "text": read_text,
    "md": read_markdown,
    "csv": read_csv,
    "xlsx": read_xlsx,
    "json": read_json,
}
TEXT_FORMATS = ("text", "md", "csv", "json")


def detect_format(content: bytes, filename: str = "") -> str:
    """Guess a file's format from its name, else from its first bytes."""
    by_name = EXTENSIONS.get(PurePath(filename).suffix.lower()) if filename else None
    if by_name:
        return by_name
    if content.startswith(b"PK\x03\x04"):
        return "xlsx"
    head = content[:4096].decode("utf-8-sig", errors="replace").lstrip()
    if head.startswith(("{", "[")):
        return "json"
    first = head.split("\n", 1)[0].lower()
    # A header row names its columns in short cells; a sentence of prose is not one.
    cells = [cell.strip().strip('"').strip() for cell in re.split(r"[,;]", first)]
    header = any(cell.startswith(("objective", "mục tiêu")) and len(cell) < 40 for cell in cells)
    if header and ("," in first or ";" in first):
        return "csv"
    if any(line.lstrip().startswith("#") for line in head.splitlines()):
        return "md"
    return "text"


def read_file(content: bytes, format_name: str) -> ReadResult:
    """Read a file in a known format; anything unreadable becomes a problem, not an exception."""
    if format_name not in READERS:
        result = ReadResult(format=format_name)
        result.problems.append(Problem(_("Unknown format “%(name)s”.") % {"name": format_name}))
        return result
    try:
        return READERS[format_name](content)
    except UnsafeFile as error:
        message = str(error)
    except UnicodeDecodeError:
        message = _("The file is not UTF-8 text. Save it as UTF-8 and try again.")
    except (ValueError, csv.Error) as error:
        message = _("The file could not be read: %(error)s") % {"error": str(error)[:120]}
    result = ReadResult(format=format_name)
    result.problems.append(Problem(message))
    return result
