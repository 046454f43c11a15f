"""Turn a parsed key-result sentence into the editor's fields for the right native shape.

Pure: no Django. The parser says what the sentence means; this module decides which of
okrflow's seven shapes holds it and which fields to fill, so a person types a sentence and
corrects the result instead of filling eight boxes.

As the import does (`library/keyresults.py`):
* a plain count with nothing said about where it starts ("Tuyển 5 lập trình viên") starts at 0;
* a stated deadline outside the cycle is moved to the cycle's last day, with a note that names
  the stated date (`facts["stated"]`), so the person sees why the date differs;
* an activity or a template (placeholders still in the sentence) fills nothing;
* a recurring key result's slot ("vào 17:00 thứ Sáu hằng tuần") fills the slot fields.
"""

from __future__ import annotations

import calendar
import datetime
from dataclasses import dataclass, field
from typing import Any

from okrflow.engine.kr_parser import parse_key_result
from okrflow.engine.kr_parser_dates import Deadline
from okrflow.engine.quality_dates import Window, deadline_date


@dataclass(frozen=True)
class Suggestion:
    """The editor fields to fill (as text), and notes to show the person."""

    fields: dict[str, str] = field(default_factory=dict)
    notes: tuple[str, ...] = ()
    facts: dict[str, str] = field(default_factory=dict)

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
    if kind in ("activity", "template"):
        return Suggestion({}, (kind,))
    if kind == "milestone":
        fields["shape"] = "milestone"
    elif kind == "recurring":
        per = parsed["per"]
        fields |= {"shape": "recurring", "per_period": target or "1"}
        fields["period"] = "month" if per in ("month", "quarter") else "week"
        if per in ("day", "quarter"):
            notes.append("period_approximated")
        fields |= slot_fields(parsed["slot"], fields["period"])
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
        if not start and kind == "metric" and direction == "achieve" and plain_count(parsed):
            fields["start_value"] = "0"
        elif not start:
            notes.append("needs_baseline")
    unit = parsed["unit"] or ""
    if unit in ("VND", "USD"):
        fields["currency"] = unit
    elif unit and unit != "%" and fields.get("shape") not in ("milestone", "percentage"):
        fields["unit"] = unit
    if kind == "percentage" and fields.get("shape") in ("threshold", "relative"):
        fields["unit"] = "%"
    due = due_from_deadline(parsed["deadline"], cycle_start, cycle_end)
    facts: dict[str, str] = {}
    if due:
        fields["due_date"] = due
    elif parsed["deadline"]:
        stated = deadline_date(Deadline(**parsed["deadline"]), Window(cycle_start, cycle_end))
        # A date outside the cycle cannot be kept; the cycle's end is the neutral choice.
        fields["due_date"] = cycle_end.isoformat()
        notes.append("deadline_moved_to_cycle_end")
        if stated is not None:
            facts["stated"] = stated.isoformat()
    return Suggestion(fields, tuple(notes), facts)


def slot_fields(slot: dict[str, Any] | None, period: str) -> dict[str, str]:
    """Fill a recurring key result's slot (all three fields, so an older slot is cleared)."""
    fields = {"slot_weekday": "", "slot_hour": "", "slot_day_of_month": ""}
    if not slot:
        return fields
    weekday, day = slot.get("weekday"), slot.get("day_of_month")
    if weekday is not None and period == "week":
        fields["slot_weekday"] = str(weekday)
    elif day is not None and period == "month":
        fields["slot_day_of_month"] = str(day)
    else:
        return fields
    fields["slot_hour"] = text_number(slot.get("hour"))
    return fields


def plain_count(parsed: dict[str, Any]) -> bool:
    """Tell whether a target is a count of something that starts from nothing."""
    target = parsed["target"]
    unit = parsed["unit"] or ""
    return target is not None and target > 0 and not parsed["relative"] and unit != "%"
