"""Turn a parsed key-result sentence into the fields of a stored key result.

The parser says what a sentence commits to; the model needs one of its seven shapes with the
numbers that shape requires. The mapping, in order:

* milestone -> milestone. An activity (nothing measurable) or a template (placeholders instead
  of figures) is stored as a milestone too, so the file still imports; the quality checker
  flags it.
* recurring per week or month -> recurring ("1 lần/tuần"); per day becomes 7x per week; per
  quarter becomes a count from 0 to the target over the cycle.
* a relative percent ("Tăng 15% … so với tháng 3") -> relative. The past period's value is not
  in the sentence, so the baseline is stored as an index of 100% (target 115%) and the preview
  says so; the owner replaces it with the real figure.
* a stated start ("từ 65% lên 80%") -> percentage / currency / metric from start to target.
* a bound without a start ("ít nhất 10.000 theo dõi", "top 5", "không quá 30 phút") ->
  threshold at least / at most. "lên 5.000" without a start is read the same as "at least".
* a plain count ("100 câu trả lời") -> metric from 0 to the target; a plain percent or money
  amount ("Đảm bảo 80% các sự kiện") -> threshold at least.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from okrflow.engine.kr_parser import ParsedKeyResult

INDEX_BASELINE = Decimal("100")
UNIT_LENGTH = 50
CURRENCIES = ("VND", "USD")


@dataclass
class SentenceFields:
    """The stored fields a sentence maps to, and notes about choices the mapping made."""

    shape: str
    direction: str
    start_value: Decimal | None = None
    target_value: Decimal | None = None
    unit: str = ""
    currency: str = ""
    relative_change: Decimal | None = None
    baseline_label: str = ""
    per_period: int | None = None
    period: str = ""
    notes: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        """Return the model fields (without the notes)."""
        return {
            "shape": self.shape,
            "direction": self.direction,
            "start_value": self.start_value,
            "target_value": self.target_value,
            "unit": self.unit,
            "currency": self.currency,
            "relative_change": self.relative_change,
            "baseline_label": self.baseline_label,
            "per_period": self.per_period,
            "period": self.period,
        }


def whole_count(value: Decimal) -> int:
    """Round a count per period up to a whole number of times, at least 1."""
    return max(1, math.ceil(value))


def recurring_fields(parsed: ParsedKeyResult, unit: str) -> SentenceFields:
    count = parsed.target if parsed.target is not None else Decimal(1)
    if parsed.per in ("week", "month"):
        return SentenceFields(
            "recurring", "increase", per_period=whole_count(count), period=parsed.per, unit=unit
        )
    if parsed.per == "day":
        return SentenceFields(
            "recurring", "increase", per_period=whole_count(count * 7), period="week", unit=unit
        )
    fields = SentenceFields("metric", "increase", Decimal(0), count, unit=unit)
    fields.notes.append("count_over_cycle")
    return fields


def relative_fields(parsed: ParsedKeyResult, label: str) -> SentenceFields:
    assert parsed.target is not None
    down = parsed.direction in ("decrease", "at_most")
    return SentenceFields(
        "relative",
        "decrease" if down else "increase",
        start_value=INDEX_BASELINE,
        unit="%",
        relative_change=-parsed.target if down else parsed.target,
        baseline_label=label,
        notes=["baseline_index"],
    )


def level_fields(parsed: ParsedKeyResult, unit: str, currency: str) -> SentenceFields:
    """Map a target without a stated start."""
    target = parsed.target
    bound = {"at_least": "at_least", "increase": "at_least", "at_most": "at_most"}
    bound["decrease"] = "at_most"
    if parsed.direction in bound:
        return SentenceFields(
            "threshold", bound[parsed.direction], target_value=target, unit=unit, currency=currency
        )
    if parsed.kind == "metric" and target is not None and target > 0:
        return SentenceFields("metric", "increase", Decimal(0), target, unit=unit)
    if parsed.kind == "metric":
        return SentenceFields("threshold", "at_most", target_value=target, unit=unit)
    return SentenceFields(
        "threshold", "at_least", target_value=target, unit=unit, currency=currency
    )


def fields_from_parse(parsed: ParsedKeyResult, label: str = "") -> SentenceFields:
    """Map a parsed sentence to a stored key result's shape and figures."""
    unit = (parsed.unit or "")[:UNIT_LENGTH]
    if parsed.kind in ("milestone", "activity", "template"):
        return SentenceFields("milestone", "increase")
    if parsed.kind == "recurring":
        return recurring_fields(parsed, unit)
    currency = unit if parsed.kind == "currency" and unit in CURRENCIES else ""
    if parsed.relative and parsed.kind == "percentage" and parsed.target:
        return relative_fields(parsed, label)
    if parsed.start is not None and parsed.target is not None:
        direction = "decrease" if parsed.target < parsed.start else "increase"
        return SentenceFields(
            parsed.kind,
            direction,
            parsed.start,
            parsed.target,
            unit=unit,
            currency=currency,
            baseline_label=label,
        )
    fields = level_fields(parsed, unit, currency)
    fields.baseline_label = label
    return fields
