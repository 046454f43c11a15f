"""The cycle's OKR tree as plain data, for `okrflow okrs --json` and anything scripted."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import Any

from okrflow.cycles.models import Cycle
from okrflow.okrs.measure import KeyResultReport, ObjectiveReport
from okrflow.okrs.shapes import slot_data


def number_or_none(value: Decimal | None) -> int | float | None:
    """Turn a Decimal into a JSON number: an int when whole."""
    if value is None:
        return None
    if value == value.to_integral_value():
        return int(value)
    return float(value)


def ratio(value: float) -> float:
    return round(value, 4)


def key_result_data(row: KeyResultReport) -> dict[str, Any]:
    kr = row.key_result
    unit = kr.unit or ("%" if kr.shape == "percentage" else "")
    if kr.shape == "currency":
        unit = kr.currency or "VND"
    return {
        "id": kr.pk,
        "title": kr.title,
        "shape": kr.shape,
        "direction": kr.direction,
        "start": number_or_none(kr.start_value),
        "target": number_or_none(row.target),
        "current": number_or_none(kr.current_value),
        "unit": unit,
        "relative_change": number_or_none(kr.relative_change),
        "per_period": kr.per_period,
        "period": kr.period or None,
        "due": kr.due_date.isoformat(),
        # The key result's own start (#16): pace, forecasts and grading start there.
        "start_date": (kr.start_date or kr.objective.cycle.start_date).isoformat(),
        "combine": kr.combine or None,
        "parts": [],  # filled for a compound key result by `okrs.shapes.fill_shapes`
        "slot": slot_data(kr),
        "weight": number_or_none(kr.weight),
        "owner": kr.owner_id,
        "progress": ratio(row.progress),
        "expected": ratio(row.expected),
        "status": row.status.value,
    }


def objective_data(report: ObjectiveReport) -> dict[str, Any]:
    objective = report.objective
    return {
        "id": objective.pk,
        "title": objective.title,
        "owner": {"kind": objective.owner_kind, "name": objective.owner_name},
        "kind": objective.kind,
        "state": objective.state,
        "private": objective.is_private,
        "tags": [tag.name for tag in report.tags],
        "parent_ids": report.parent_ids,
        "progress": ratio(report.progress),
        "expected": ratio(report.expected),
        "status": report.status.value,
        "key_results": [key_result_data(row) for row in report.key_results],
    }


def cycle_data(cycle: Cycle) -> dict[str, Any]:
    return {
        "id": cycle.pk,
        "name": cycle.name,
        "start": cycle.start_date.isoformat(),
        "end": cycle.end_date.isoformat(),
        "state": cycle.state,
    }


def cycle_tree_data(cycle: Cycle, reports: list[ObjectiveReport]) -> dict[str, Any]:
    """Return the JSON-ready tree of a cycle's objectives and key results."""
    return {
        "cycle": cycle_data(cycle),
        "objectives": [objective_data(report) for report in reports],
    }


def stream_json(
    head: dict[str, Any], items: Iterable[Any], *, indent: int | None = None
) -> Iterator[str]:
    """Write `head | {list_key: items}` piece by piece, the list's items one at a time.

    The text is exactly `json.dumps(document, ensure_ascii=False, indent=indent)` of the whole
    document, whose last key holds the (empty, in `head`) list the items fill; only one item is
    in memory at a time.
    """
    whole = json.dumps(head, ensure_ascii=False, indent=indent)
    cut = whole.rindex("[]")
    yield whole[:cut] + "["
    pad = "\n" + " " * (2 * indent) if indent is not None else ""
    first = True
    for item in items:
        text = json.dumps(item, ensure_ascii=False, indent=indent)
        if indent is not None:
            text = text.replace("\n", pad)
        yield (pad if first else "," + (pad or " ")) + text
        first = False
    closing = "\n" + " " * indent if indent is not None and not first else ""
    yield closing + "]" + whole[cut + 2 :]
