"""Calendar maths for OKR cycles: the bounds of a month, quarter or year, and how cycles nest.

A month sits inside a quarter or a year, a quarter inside a year, and a custom range inside
any cycle whose dates hold it. A year sits inside nothing. These rules and the suggested dates
and names for a new cycle are pure functions, so the action, the form and the tests share them.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Mapping

YEAR = "year"
QUARTER = "quarter"
MONTH = "month"
CUSTOM = "custom"

# Which kinds of cycle a cycle of each kind may sit inside.
ALLOWED_PARENT_KINDS: Mapping[str, frozenset[str]] = {
    YEAR: frozenset(),
    QUARTER: frozenset({YEAR}),
    MONTH: frozenset({QUARTER, YEAR}),
    CUSTOM: frozenset({YEAR, QUARTER, MONTH, CUSTOM}),
}

# A parent is offered by default in this order: the closest enclosing cycle first.
PREFERRED_PARENT_ORDER: Mapping[str, tuple[str, ...]] = {
    YEAR: (),
    QUARTER: (YEAR,),
    MONTH: (QUARTER, YEAR),
    CUSTOM: (MONTH, QUARTER, YEAR, CUSTOM),
}


def month_bounds(day: datetime.date) -> tuple[datetime.date, datetime.date]:
    """Return the first and last day of the calendar month containing `day`."""
    start = day.replace(day=1)
    following = datetime.date(day.year + (day.month == 12), day.month % 12 + 1, 1)
    return start, following - datetime.timedelta(days=1)


def quarter_bounds(day: datetime.date) -> tuple[datetime.date, datetime.date]:
    """Return the first and last day of the calendar quarter containing `day`."""
    first_month = 3 * ((day.month - 1) // 3) + 1
    start = datetime.date(day.year, first_month, 1)
    _first_day, end = month_bounds(datetime.date(day.year, first_month + 2, 1))
    return start, end


def year_bounds(day: datetime.date) -> tuple[datetime.date, datetime.date]:
    """Return the first and last day of the calendar year containing `day`."""
    return datetime.date(day.year, 1, 1), datetime.date(day.year, 12, 31)


def calendar_bounds(kind: str, day: datetime.date) -> tuple[datetime.date, datetime.date] | None:
    """Return the bounds of the month, quarter or year holding `day`; None for a custom range."""
    bounds: dict[str, Callable[[datetime.date], tuple[datetime.date, datetime.date]]] = {
        MONTH: month_bounds,
        QUARTER: quarter_bounds,
        YEAR: year_bounds,
    }
    return bounds[kind](day) if kind in bounds else None


def suggested_name(kind: str, day: datetime.date, language: str) -> str:
    """Suggest a cycle's name: "Q1 2027", "Tháng 1/2027" or "January 2027", "2027"."""
    if kind == QUARTER:
        return f"Q{(day.month - 1) // 3 + 1} {day.year}"
    if kind == YEAR:
        return str(day.year)
    if kind == MONTH:
        if language.startswith("vi"):
            return f"Tháng {day.month}/{day.year}"
        return f"{ENGLISH_MONTHS[day.month - 1]} {day.year}"
    return ""


ENGLISH_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def may_nest(child_kind: str, parent_kind: str) -> bool:
    """Tell whether a cycle of `child_kind` may sit inside one of `parent_kind`."""
    return parent_kind in ALLOWED_PARENT_KINDS.get(child_kind, frozenset())


def lies_within(
    child: tuple[datetime.date, datetime.date], parent: tuple[datetime.date, datetime.date]
) -> bool:
    """Tell whether the child's dates lie inside the parent's (both ends included)."""
    return parent[0] <= child[0] and child[1] <= parent[1]


def would_loop(child_id: int | None, parent_id: int, parent_of: Mapping[int, int | None]) -> bool:
    """Tell whether putting `child_id` under `parent_id` makes a loop, given every cycle's parent."""
    if child_id is None:
        return False  # a new cycle has nothing below it yet
    seen: set[int] = set()
    current: int | None = parent_id
    while current is not None and current not in seen:
        if current == child_id:
            return True
        seen.add(current)
        current = parent_of.get(current)
    return False


def pick_parent(
    kind: str,
    bounds: tuple[datetime.date, datetime.date],
    candidates: list[tuple[int, str, datetime.date, datetime.date]],
) -> int | None:
    """Choose the closest enclosing cycle, among (id, kind, start, end), that may hold a new one."""
    best: tuple[int, int, int] | None = None  # (kind rank, length in days, id)
    for cycle_id, parent_kind, start, end in candidates:
        order = PREFERRED_PARENT_ORDER.get(kind, ())
        if parent_kind not in order or not lies_within(bounds, (start, end)):
            continue
        if (start, end) == bounds and parent_kind == kind:
            continue  # the same period is not its own parent
        rank = (order.index(parent_kind), (end - start).days, cycle_id)
        if best is None or rank < best:
            best = rank
    return None if best is None else best[2]
