"""KPIs: health metrics kept inside a range, beside the OKRs that change things.

A KPI is healthy when its value lies in its range: at least a minimum, at most a maximum, or
between both. It is warned when out of range at two check-ins in a row (one bad week is noise).
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from enum import StrEnum


class RangeKind(StrEnum):
    AT_LEAST = "at_least"
    AT_MOST = "at_most"
    BETWEEN = "between"


WARN_AFTER = 2


def range_problem(kind: str, minimum: Decimal | None, maximum: Decimal | None) -> str | None:
    """Name what is wrong with a range (a code), or None when it holds."""
    if kind not in {k.value for k in RangeKind}:
        return "unknown_kind"
    if kind in (RangeKind.AT_LEAST, RangeKind.BETWEEN) and minimum is None:
        return "minimum_missing"
    if kind in (RangeKind.AT_MOST, RangeKind.BETWEEN) and maximum is None:
        return "maximum_missing"
    if minimum is not None and maximum is not None and minimum > maximum:
        return "minimum_above_maximum"
    return None


def in_range(value: Decimal, kind: str, minimum: Decimal | None, maximum: Decimal | None) -> bool:
    """Tell whether a value lies in the healthy range (bounds included)."""
    if kind in (RangeKind.AT_LEAST, RangeKind.BETWEEN) and minimum is not None and value < minimum:
        return False
    return not (
        kind in (RangeKind.AT_MOST, RangeKind.BETWEEN) and maximum is not None and value > maximum
    )


def out_of_range_run(
    values: Sequence[Decimal], kind: str, minimum: Decimal | None, maximum: Decimal | None
) -> int:
    """Count the latest values out of range in a row (values oldest first)."""
    run = 0
    for value in reversed(values):
        if in_range(value, kind, minimum, maximum):
            break
        run += 1
    return run


def is_warned(
    values: Sequence[Decimal], kind: str, minimum: Decimal | None, maximum: Decimal | None
) -> bool:
    """Tell whether the KPI was out of range at its last two check-ins."""
    return out_of_range_run(values, kind, minimum, maximum) >= WARN_AFTER
