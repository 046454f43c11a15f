"""Limits that keep an imported file from hurting the server, checked before any parser runs.

An XLSX workbook is a zip archive: 600 KB on disk can unpack to gigabytes ("zip bomb"), and
openpyxl would try. So the archive's own table of contents is read first (cheap, nothing is
decompressed) and refused when it promises too many members, too many bytes in all, or a
compression ratio no real spreadsheet has. Python's zipfile stops a member at the size its
header declares (and then fails its checksum), so a header that lies cannot slip past these
limits. JSON is checked for nesting depth before `json.loads`, whose recursion would otherwise
end in a RecursionError (a 500).
"""

from __future__ import annotations

import io
import re
import zipfile
from typing import Any

from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.utils.translation import gettext as _

# The web form (a file, pasted text, or the confirm step's carried payload).
MAX_IMPORT_BYTES = 1_000_000
# `okrflow import`, run by an administrator: room for the readers' 20,000 rows.
MAX_COMMAND_IMPORT_BYTES = 20_000_000
# A 20,000-row export (the readers' own row limit) unpacks to about 15 MB of XML.
MAX_UNPACKED_BYTES = 25_000_000
MAX_ZIP_MEMBERS = 200
# Spreadsheet XML compresses 5–30 times; a zip bomb, hundreds or thousands of times.
MAX_COMPRESSION_RATIO = 100
# Members this small may compress far better than any ratio without being any danger.
RATIO_FREE_BYTES = 1_000_000
# An okrflow JSON document is 6 levels deep; 20 leaves room for hand-written files.
MAX_JSON_DEPTH = 20

# Everything up to the next bracket outside a string (escapes, strings, other bytes; a quote
# that opens no string is a plain byte), then that bracket, or the end. Possessive: the text is
# scanned once without backtracking, even hostile input such as a megabyte of \"\"\".
JSON_TO_BRACKET = re.compile(
    rb'(?:[^\[\]{}"\\]++|\\.|"(?:[^"\\]++|\\.)*+"|["\\])*+([\[\]{}]|\Z)', re.DOTALL
)


class UnsafeFile(ValueError):
    """A file refused before parsing; the message says why, in the reader's language."""


def too_large_message(limit: int = MAX_IMPORT_BYTES) -> str:
    return _("The file is larger than %(size)s MB.") % {"size": limit // 1_000_000}


def check_zip(content: bytes) -> None:
    """Refuse a zip archive whose members would unpack to too much, before anything unpacks."""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as error:
        raise UnsafeFile(
            _("This is not an XLSX workbook (%(error)s).") % {"error": str(error)[:80]}
        ) from error
    if len(members) > MAX_ZIP_MEMBERS:
        raise UnsafeFile(
            _("The workbook holds %(count)d parts; a spreadsheet to import has at most %(max)d.")
            % {"count": len(members), "max": MAX_ZIP_MEMBERS}
        )
    unpacked = sum(member.file_size for member in members)
    if unpacked > MAX_UNPACKED_BYTES:
        raise UnsafeFile(
            _("The workbook would unpack to %(size)d MB; the limit is %(max)d MB.")
            % {"size": unpacked // 1_000_000, "max": MAX_UNPACKED_BYTES // 1_000_000}
        )
    for member in members:
        packed = max(member.compress_size, 1)
        if (
            member.file_size > RATIO_FREE_BYTES
            and member.file_size / packed > MAX_COMPRESSION_RATIO
        ):
            raise UnsafeFile(
                _(
                    "The workbook is compressed %(ratio)d times, far more than a real "
                    "spreadsheet: it is refused as a possible zip bomb."
                )
                % {"ratio": member.file_size // packed}
            )


def json_depth(content: bytes) -> int:
    """Return how deeply a JSON text nests its arrays and objects (up to one past the limit).

    Strings are cut out first, so brackets inside titles do not count. Invalid JSON may give a
    meaningless depth; the parser then says what is wrong.
    """
    depth = deepest = 0
    # Only the brackets are kept (a copy of the text without its strings took 15 times the
    # file's size in memory: 300 MB for a file of 150,000 key results).
    for bracket in JSON_TO_BRACKET.findall(content):
        if bracket in (b"[", b"{"):
            depth += 1
            deepest = max(deepest, depth)
            if deepest > MAX_JSON_DEPTH:
                break  # deep enough to refuse; the rest need not be counted
        elif bracket:
            depth -= 1
    return deepest


def check_json(content: bytes) -> None:
    """Refuse JSON nested deeper than any import document, before the recursive parser runs."""
    if json_depth(content) > MAX_JSON_DEPTH:
        raise UnsafeFile(
            _("The JSON is nested more than %(max)d levels deep; an import file never is.")
            % {"max": MAX_JSON_DEPTH}
        )


class LimitedUploadHandler(FileUploadHandler):
    """Stop reading an upload once it passes the import limit, instead of spooling it to disk.

    Put first in `request.upload_handlers`; the file is then left out of `request.FILES` and
    `request.upload_too_large` says why, so the page can tell the person.
    """

    def __init__(self, request: Any = None, limit: int = MAX_IMPORT_BYTES) -> None:
        super().__init__(request)
        self.limit = limit

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        self.received = 0

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        self.received += len(raw_data)
        if self.received > self.limit:
            self.request.upload_too_large = True  # type: ignore[union-attr]
            raise SkipFile()
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None
