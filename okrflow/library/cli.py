"""What the library's commands share: reading a file, choosing a format, printing problems."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from django.core.management.base import CommandError

from okrflow.library.checking import CheckedFinding
from okrflow.library.formats import FORMATS, detect_format
from okrflow.library.plans import Problem
from okrflow.library.uploads import MAX_COMMAND_IMPORT_BYTES, too_large_message


def read_input(path: str, format_name: str | None) -> tuple[bytes, str]:
    """Return a file's bytes and its format (given, or recognised from the name and content)."""
    file = Path(path)
    if not file.is_file():
        raise CommandError(f"No such file: {path}")
    try:
        # Refused by its size before a byte is read, as the web upload is.
        if file.stat().st_size > MAX_COMMAND_IMPORT_BYTES:
            raise CommandError(f"{path}: {too_large_message(MAX_COMMAND_IMPORT_BYTES)}")
        content = file.read_bytes()
    except OSError as error:
        raise CommandError(f"Cannot read {path}: {error.strerror}") from error
    if not content.strip():
        raise CommandError(f"{path} is empty.")
    chosen = format_name or detect_format(content, file.name)
    if chosen not in FORMATS:
        raise CommandError(f"Unknown format “{chosen}”; use one of {', '.join(FORMATS)}.")
    return content, chosen


def where(line: int | None, place: str) -> str:
    """Say where something is: "line 12", a JSON path, or "file"."""
    if line:
        return f"line {line}"
    return place or "file"


def problem_lines(problems: list[Problem]) -> list[str]:
    return [
        f"  {where(p.line, p.where):<10} {p.severity:<8} {p.message}"
        for p in sorted(problems, key=lambda p: (p.line or 0, p.where))
    ]


def finding_lines(findings: Iterable[CheckedFinding]) -> Iterator[str]:
    """The findings' lines, made as they are written (a large file has 100,000 of them)."""
    for finding in findings:
        place = where(finding.line, finding.label)
        yield f"  {place:<10} {finding.severity:<8} [{finding.rule}] {finding.message}"
        if finding.subject:
            yield f"  {'':<10} {'':<8} “{finding.subject[:90]}”"
        yield f"  {'':<10} {'':<8} → {finding.hint}"
