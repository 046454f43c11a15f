"""The article's plain-text format, and Markdown, read and written.

    Phòng Marketing                         <- heading: names the owner (or a level)
    O: Tối ưu hóa thứ hạng SEO …            <- objective ("O:", "O1:", "Mục tiêu O1:", "Objective:")
    - KR1: Website công ty được hiển thị …  <- key result ("- KR1:", "KR:", "Key result 2:")
    - KR2: Gia tăng 20% lượng truy cập …

How the reader tells OKRs from prose, so a whole article can be imported as it is:
* a line is a heading only when the next non-blank line is an objective; the heading stays in
  force for every objective below it until the next heading;
* a labelled key-result line belongs to the objective above it; an unlabelled bullet ("- …")
  counts as a key result only right inside an objective's block;
* any other line — a paragraph, a bullet list under prose, a lone "*" — ends the current
  block and is skipped; the article's prose examples (the retention objective with its
  departments, the sales-focus project) are then read by `prose.py`.
Markdown is read the same way once "#" heading marks, "**" emphasis and "[ ]" boxes are removed.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from django.utils.translation import gettext as _

from okrflow.library.plans import Problem, RawKeyResult, RawObjective, ReadResult
from okrflow.library.prose import prose_examples

_BULLET = r"(?:[-•*–+]|\d+[.)])"
_SEPARATOR = r"\s*(?:[:.)]|\s[-–—])\s*"
OBJECTIVE_LINE = re.compile(
    rf"^\s*(?:{_BULLET}\s*)?(?:(?:mục\s+tiêu|objective)(?:\s+o?\s*\d+)?|o\s*\d*)"
    rf"{_SEPARATOR}(?P<title>.*)$",
    re.IGNORECASE,
)
KEY_RESULT_LINE = re.compile(
    rf"^\s*(?:{_BULLET}\s*)?(?:kr|key\s+result|kết\s+quả(?:\s+(?:chính|then\s+chốt))?)\s*\d*"
    rf"{_SEPARATOR}(?P<title>.*)$",
    re.IGNORECASE,
)
BULLET_LINE = re.compile(rf"^\s*{_BULLET}\s+(?P<title>\S.*)$")
_CHECKBOX = re.compile(r"^(\s*)[-*+]\s+\[[ xX]\]\s+")


def clean_markdown(line: str) -> str:
    """Drop the Markdown marks that do not change what a line says."""
    line = _CHECKBOX.sub(r"\1- ", line)
    line = re.sub(r"^\s*#{1,6}\s+", "", line)
    return line.replace("**", "").replace("__", "")


def clean_heading(line: str) -> str:
    return line.strip().rstrip(":").strip()


def next_content_line(lines: list[str], index: int) -> str | None:
    """Return the first non-blank line after `index`, or None."""
    for line in lines[index + 1 :]:
        if line.strip():
            return line
    return None


def read_lines(lines: list[str], format_name: str) -> ReadResult:
    """Read objectives and key results out of text lines (1-based line numbers)."""
    result = ReadResult(format=format_name)
    heading = ""
    current: RawObjective | None = None
    for index, line in enumerate(lines):
        number = index + 1
        if not line.strip():
            continue
        objective = OBJECTIVE_LINE.match(line)
        if objective:
            current = RawObjective(number, objective["title"].strip(), heading, heading)
            if not current.title:
                result.problems.append(Problem(_("The objective has no title."), number))
            result.objectives.append(current)
            continue
        key_result = KEY_RESULT_LINE.match(line)
        bullet = BULLET_LINE.match(line)
        if key_result or (bullet and current is not None):
            title = (key_result or bullet)["title"].strip()  # type: ignore[index]
            if current is None:
                message = _("This key result has no objective above it (write “O: …” first).")
                result.problems.append(Problem(message, number))
            elif not title:
                result.problems.append(Problem(_("The key result has no text."), number))
            else:
                current.key_results.append(RawKeyResult(number, title))
            continue
        current = None
        following = next_content_line(lines, index)
        if following is not None and OBJECTIVE_LINE.match(following) and not bullet:
            heading = clean_heading(line)
    result.objectives += prose_examples(lines)
    result.objectives.sort(key=lambda objective: objective.line)
    return result


def decode_text(content: bytes) -> str:
    """Decode a text file (UTF-8, with or without a byte-order mark) to NFC."""
    text = content.decode("utf-8-sig")
    return unicodedata.normalize("NFC", text)


def read_text(content: bytes) -> ReadResult:
    """Read the article's plain-text format."""
    return read_lines(decode_text(content).splitlines(), "text")


def read_markdown(content: bytes) -> ReadResult:
    """Read Markdown: headings name owners, "O1:" lines are objectives, bullets key results."""
    lines = [clean_markdown(line) for line in decode_text(content).splitlines()]
    return read_lines(lines, "md")


def write_text(blocks: Iterable[tuple[str, list[tuple[str, list[str]]]]]) -> str:
    """Write (owner heading, [(objective, [key results])]) blocks in the article's format."""
    out: list[str] = []
    for heading, objectives in blocks:
        out.append(heading)
        for number, (title, key_results) in enumerate(objectives, start=1):
            out.append(f"O{number}: {title}")
            out += [f"- KR{index}: {kr}" for index, kr in enumerate(key_results, start=1)]
        out.append("")
    return "\n".join(out)


def write_markdown(title: str, blocks: Iterable[tuple[str, list[tuple[str, list[str]]]]]) -> str:
    """Write the same blocks as Markdown, under a title."""
    out = [f"# {title}", ""]
    for heading, objectives in blocks:
        out += [f"## {heading}", ""]
        for number, (objective, key_results) in enumerate(objectives, start=1):
            out += [f"### O{number}: {objective}", ""]
            out += [f"- KR{index}: {kr}" for index, kr in enumerate(key_results, start=1)]
            out.append("")
    return "\n".join(out)
