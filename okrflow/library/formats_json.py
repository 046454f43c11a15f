"""JSON: the lossless format. Exporting a cycle and importing the file reproduces its OKRs.

    {"format": "okrflow-okrs", "version": 1,
     "cycle": {"name": "Q2 2026", "start": "2026-04-01", "end": "2026-06-30"},
     "objectives": [
       {"ref": "O12", "title": "…", "owner": {"kind": "unit", "name": "Marketing"},
        "kind": "committed", "state": "active", "private": false, "tags": ["seo"],
        "description": "", "alignments": [{"parent": "O3", "primary": true, "weight": "1"}],
        "key_results": [
          {"title": "…", "shape": "percentage", "direction": "increase", "start": "65",
           "target": "80", "current": "70", "unit": "%", "currency": "", "change": null,
           "baseline": "", "per_period": null, "period": "", "due": "2026-06-30",
           "weight": "1", "owner": "head.marketing"}]}]}

Numbers are strings so no digit is lost; plain JSON numbers are read too. A person owner is
written by username. An alignment's `parent` (or a plain `"parent": "O3"`) names another
objective's `ref` in the same file. Problems point
at a path such as `objectives[2].key_results[0]`, since JSON has no useful line numbers.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from decimal import Decimal, InvalidOperation
from json.decoder import scanstring
from typing import Any

from django.utils.translation import gettext as _

from okrflow.engine.text import clean_text
from okrflow.library.plans import Problem, RawKeyResult, RawObjective, ReadResult
from okrflow.library.uploads import check_json
from okrflow.okrs.export_tree import stream_json

FORMAT_NAME = "okrflow-okrs"
VERSION = 1
KEY_RESULT_FIELDS = {
    "shape": "shape",
    "direction": "direction",
    "start": "start",
    "target": "target",
    "current": "current",
    "unit": "unit",
    "currency": "currency",
    "change": "change",
    "baseline": "baseline",
    "per_period": "per_period",
    "period": "period",
    "due": "due",
    "weight": "weight",
    "owner": "kr_owner",
}
NUMBER_FIELDS = ("start", "target", "current", "change", "weight")
OBJECTIVE_FIELDS = (
    "kind",
    "state",
    "private",
    "tags",
    "description",
    "ref",
    "parent",
    "alignments",
)


# The numbers read so far, by their text: a large file writes the same few figures (0, 100)
# thousands of times, and a Decimal cannot change, so each is kept once. Bounded.
KNOWN_NUMBERS: dict[str, Decimal] = {}
KNOWN_NUMBERS_LIMIT = 10_000


def exact_number(value: Any) -> Any:
    """Read a JSON number written as a string ("1.125") exactly, whatever the user's language."""
    if isinstance(value, str):
        text = value.strip()
        known = KNOWN_NUMBERS.get(text)
        if known is not None:
            return known
        try:
            number = Decimal(text)
        except InvalidOperation:
            return value
        if not number.is_finite():
            return value
        if len(KNOWN_NUMBERS) < KNOWN_NUMBERS_LIMIT:
            KNOWN_NUMBERS[text] = number
        return number
    return value


def owner_parts(owner: Any) -> tuple[str, str]:
    """Read an owner written as {"kind", "name"} or as a plain reference."""
    if isinstance(owner, dict):
        return str(owner.get("kind") or ""), str(owner.get("name") or "")
    return "", "" if owner is None else str(owner)


def read_key_result(data: Any, where: str, result: ReadResult) -> RawKeyResult | None:
    if not isinstance(data, dict) or not str(data.get("title") or "").strip():
        result.problems.append(Problem(_("A key result needs a title."), where=where))
        return None
    columns = {
        column: exact_number(data[name]) if name in NUMBER_FIELDS else data[name]
        for name, column in KEY_RESULT_FIELDS.items()
        if data.get(name) not in (None, "")
    }
    return RawKeyResult(0, str(data["title"]).strip(), columns, where)


def read_objective(data: Any, where: str, result: ReadResult) -> None:
    if not isinstance(data, dict) or not str(data.get("title") or "").strip():
        result.problems.append(Problem(_("An objective needs a title."), where=where))
        return
    scope, owner = owner_parts(data.get("owner"))
    objective = RawObjective(
        line=0,
        title=str(data["title"]).strip(),
        owner=owner,
        scope=scope,
        columns={name: data[name] for name in OBJECTIVE_FIELDS if data.get(name) is not None},
        where=where,
    )
    key_results = data.get("key_results") or []
    if not isinstance(key_results, list):
        result.problems.append(Problem(_("“key_results” must be a list."), where=where))
        key_results = []
    for index, item in enumerate(key_results):
        kr = read_key_result(item, f"{where}.key_results[{index}]", result)
        if kr is not None:
            objective.key_results.append(kr)
    result.objectives.append(objective)


def clean_pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """Build a JSON object without characters no page or database holds: a "\\ud800" escape
    decodes to a lone surrogate, which broke the preview page (not encodable as UTF-8)."""

    def clean(value: Any) -> Any:
        if isinstance(value, str):
            return clean_text(value)
        if isinstance(value, list):  # a list of strings such as tags; objects clean themselves
            return [clean_text(item) if isinstance(item, str) else item for item in value]
        return value

    return {clean_text(key): clean(value) for key, value in pairs}


def read_json(content: bytes) -> ReadResult:
    """Read an okrflow JSON export (or a bare list of objectives).

    The objectives are read one at a time from the text (`stream_objectives`): a file of
    150,000 key results is never held as one parsed document beside what is read from it.
    """
    result = ReadResult(format="json")
    check_json(content)
    try:
        text = content.decode("utf-8-sig")
        data = stream_objectives(text, result)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        if isinstance(error, json.JSONDecodeError):
            error = whole_document_error(text, error)
        result.objectives.clear()
        result.problems.clear()
        line = getattr(error, "lineno", None)
        message = _("This is not valid JSON: %(error)s") % {"error": getattr(error, "msg", error)}
        result.problems.append(Problem(message, line))
        return result
    if data is STREAMED:
        return result
    objectives = data.get("objectives") if isinstance(data, dict) else data
    if not isinstance(objectives, list):
        message = _("The JSON needs an “objectives” list.")
        result.problems.append(Problem(message, where="objectives"))
        return result
    for index, item in enumerate(objectives):
        read_objective(item, f"objectives[{index}]", result)
    return result


DECODER = json.JSONDecoder(parse_float=Decimal, object_pairs_hook=clean_pairs)
WHITESPACE = re.compile(r"[ \t\n\r]*")
STREAMED = object()  # the objectives were read as they were parsed


def whole_document_error(text: str, error: json.JSONDecodeError) -> json.JSONDecodeError:
    """The error `json.loads` reports for the whole text: the first one in it, worded the same."""
    try:
        DECODER.decode(text)
    except json.JSONDecodeError as first:
        return first
    return error


def stream_objectives(text: str, result: ReadResult) -> Any:
    """Read the objectives of a document as `json.loads` would parse it, one at a time.

    Each objective is parsed and read into `result` before the next is parsed. Returns
    STREAMED, or, for a document that is neither an object nor a list (or whose "objectives"
    is not a list), what `json.loads` returns for it. Raises what `json.loads` would raise
    for an invalid document (the caller asks `json.loads` for its exact wording).
    """
    start = WHITESPACE.match(text, 0).end()  # type: ignore[union-attr]
    opening = text[start : start + 1]
    if opening == "[":
        end = read_objective_list(text, start, result)
    elif opening == "{":
        end, found = read_top_object(text, start, result)
        if not found:  # no "objectives" list: the caller says so
            result.objectives.clear()
            result.problems.clear()
            return DECODER.decode(text)
    else:
        return DECODER.decode(text)
    if WHITESPACE.match(text, end).end() != len(text):  # type: ignore[union-attr]
        raise json.JSONDecodeError("Extra data", text, end)
    return STREAMED


def read_objective_list(text: str, start: int, result: ReadResult) -> int:
    """Read the list at `start` (its "["), objective by objective; return where it ends."""
    result.objectives.clear()  # a repeated "objectives" key: the last one counts, as in a dict
    result.problems.clear()
    position = WHITESPACE.match(text, start + 1).end()  # type: ignore[union-attr]
    if text[position : position + 1] == "]":
        return position + 1
    index = 0
    while True:
        item, position = DECODER.raw_decode(text, position)
        read_objective(item, f"objectives[{index}]", result)
        del item
        index += 1
        position = WHITESPACE.match(text, position).end()  # type: ignore[union-attr]
        delimiter = text[position : position + 1]
        if delimiter == "]":
            return position + 1
        if delimiter != ",":
            raise json.JSONDecodeError("Expecting ',' delimiter", text, position)
        position = WHITESPACE.match(text, position + 1).end()  # type: ignore[union-attr]


def read_top_object(text: str, start: int, result: ReadResult) -> tuple[int, bool]:
    """Read the document's object at `start`, its "objectives" list as it goes.

    Returns where it ends and whether its (last) "objectives" value was a list.
    """
    found = False
    position = WHITESPACE.match(text, start + 1).end()  # type: ignore[union-attr]
    if text[position : position + 1] == "}":
        return position + 1, False
    while True:
        if text[position : position + 1] != '"':
            raise json.JSONDecodeError("Expecting property name", text, position)
        key, position = scanstring(text, position + 1)
        position = WHITESPACE.match(text, position).end()  # type: ignore[union-attr]
        if text[position : position + 1] != ":":
            raise json.JSONDecodeError("Expecting ':' delimiter", text, position)
        position = WHITESPACE.match(text, position + 1).end()  # type: ignore[union-attr]
        if clean_text(key) == "objectives":
            if text[position : position + 1] == "[":
                position = read_objective_list(text, position, result)
                found = True
            else:
                _, position = DECODER.raw_decode(text, position)
                found = False
        else:
            _, position = DECODER.raw_decode(text, position)
        position = WHITESPACE.match(text, position).end()  # type: ignore[union-attr]
        delimiter = text[position : position + 1]
        if delimiter == "}":
            return position + 1, found
        if delimiter != ",":
            raise json.JSONDecodeError("Expecting ',' delimiter", text, position)
        position = WHITESPACE.match(text, position + 1).end()  # type: ignore[union-attr]


def json_number(value: Decimal | None) -> str | None:
    """Write a Decimal as an exact string ("0.7", "10000")."""
    if value is None:
        return None
    return format(value.normalize(), "f")


def write_json(cycle: dict[str, Any], objectives: list[dict[str, Any]]) -> bytes:
    """Write an export document."""
    return "".join(json_pieces(cycle, objectives)).encode("utf-8")


def json_pieces(cycle: dict[str, Any], objectives: Iterable[dict[str, Any]]) -> Iterator[str]:
    """Write an export document piece by piece, one objective at a time."""
    head = {"format": FORMAT_NAME, "version": VERSION, "cycle": cycle, "objectives": []}
    return stream_json(head, objectives, indent=2)
