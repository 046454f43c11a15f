"""Turn a parsed key-result sentence into the editor's fields for the right native shape.

Pure: no Django. The parser says what the sentence means; this module decides which of
okrflow's seven shapes holds it and which fields to fill, so a person types a sentence and
corrects the result instead of filling eight boxes.
"""

from __future__ import annotations

import calendar
import datetime
from dataclasses import dataclass, field
from typing import Any

from okrflow.engine.kr_parser import parse_key_result


@dataclass(frozen=True)
class Suggestion:
    """The editor fields to fill (as text), and notes to show the person."""

    fields: dict[str, str] = field(default_factory=dict)
    notes: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {"fields": self.fields, "notes": list(self.notes)}


def text_number(value: Any) -> str:
    """Write a parser number as plain text the form reads back ("10000", "0.7")."""
    if value is None:
        return ""
    return str(int(value)) if float(value).is_integer() else str(value)


def due_from_deadline(
    deadline: dict[str, Any] | None, start: datetime.date, end: datetime.date
) -> str:
    """Place a day/month/quarter deadline inside the cycle; empty when it does not fit."""
    if not deadline:
        return ""
    month, day, quarter = deadline.get("month"), deadline.get("day"), deadline.get("quarter")
    if month is None and quarter is not None:
        month = 3 * int(quarter)
    if month is None:
        return ""
    for year in sorted({start.year, end.year}):
        last = calendar.monthrange(year, int(month))[1]
        candidate = datetime.date(year, int(month), min(int(day or last), last))
        if start <= candidate <= end:
            return candidate.isoformat()
    return ""


def suggest_key_result(
    text: str, cycle_start: datetime.date, cycle_end: datetime.date, lang: str | None = None
) -> Suggestion:
    """Read a key-result sentence and return the fields of its best native shape."""
    parsed = parse_key_result(text, lang).to_json()
    kind, direction = parsed["kind"], parsed["direction"]
    start, target = text_number(parsed["start"]), text_number(parsed["target"])
    fields: dict[str, str] = {}
    notes: list[str] = []
    if kind == "activity":
        return Suggestion({}, ("activity",))
    if kind == "milestone":
        fields["shape"] = "milestone"
    elif kind == "recurring":
        per = parsed["per"]
        fields |= {"shape": "recurring", "per_period": target or "1"}
        fields["period"] = "month" if per in ("month", "quarter") else "week"
        if per in ("day", "quarter"):
            notes.append("period_approximated")
    elif parsed["relative"] and target and not start:
        fields |= {"shape": "relative", "relative_change": target}
        if direction == "decrease":
            fields["relative_change"] = f"-{target}"
        notes.append("needs_baseline")
    elif direction in ("at_least", "at_most") and not start:
        fields |= {"shape": "threshold", "direction": direction, "target_value": target}
    else:
        shape = {"percentage": "percentage", "currency": "currency"}.get(kind, "metric")
        fields |= {"shape": shape, "start_value": start, "target_value": target}
        fields["direction"] = "decrease" if direction == "decrease" else "increase"
        if not start:
            notes.append("needs_baseline")
    unit = parsed["unit"] or ""
    if unit in ("VND", "USD"):
        fields["currency"] = unit
    elif unit and unit != "%" and fields.get("shape") not in ("milestone", "percentage"):
        fields["unit"] = unit
    if kind == "percentage" and fields.get("shape") in ("threshold", "relative"):
        fields["unit"] = "%"
    due = due_from_deadline(parsed["deadline"], cycle_start, cycle_end)
    if due:
        fields["due_date"] = due
    elif parsed["deadline"]:
        notes.append("deadline_outside_cycle")
    return Suggestion(fields, tuple(notes))
