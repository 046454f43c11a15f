"""Turn the deadline a key-result sentence states into a calendar date inside a cycle.

A sentence rarely names the year ("trong tháng 4", "before 15/4", "in Q2"), so the year is the
one that puts the date inside the cycle's window; when no year does, the window's start year
is used and the date lands outside the window, which the quality checker reports.

* day and month: that day ("15/4" -> 15 April); a day past the month's end is the month's end.
* month only: the last day of the month ("trong tháng 4" -> 30 April).
* quarter only: the last day of the quarter ("in Q2" -> 30 June).
* year only: 31 December.
"""

from __future__ import annotations

import calendar
import datetime
from dataclasses import dataclass

from okrflow.engine.kr_parser_dates import Deadline


@dataclass(frozen=True)
class Window:
    """The first and last day of a cycle."""

    start: datetime.date
    end: datetime.date

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError("a window must not end before it starts")

    def contains(self, day: datetime.date) -> bool:
        """Tell whether a date lies inside the window."""
        return self.start <= day <= self.end


def month_end(year: int, month: int) -> datetime.date:
    """Return the last day of a month."""
    return datetime.date(year, month, calendar.monthrange(year, month)[1])


def date_in_year(deadline: Deadline, year: int) -> datetime.date | None:
    """Return the date a deadline names in a given year, or None when it names no date."""
    if deadline.month is not None:
        if not 1 <= deadline.month <= 12:
            return None
        last = month_end(year, deadline.month)
        if deadline.day is None:
            return last
        return last.replace(day=max(1, min(deadline.day, last.day)))
    if deadline.quarter is not None:
        if not 1 <= deadline.quarter <= 4:
            return None
        return month_end(year, 3 * deadline.quarter)
    if deadline.year is not None:
        return datetime.date(year, 12, 31)
    return None


def deadline_date(deadline: Deadline, window: Window) -> datetime.date | None:
    """Return the calendar date of a stated deadline, choosing the year that fits the window."""
    if deadline.year is not None:
        return date_in_year(deadline, deadline.year)
    candidates = [
        day
        for year in range(window.start.year, window.end.year + 1)
        if (day := date_in_year(deadline, year)) is not None
    ]
    if not candidates:
        return None
    inside = [day for day in candidates if window.contains(day)]
    return inside[0] if inside else candidates[0]
