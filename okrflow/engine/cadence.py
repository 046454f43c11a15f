"""Weekly check-in dates: when each cycle week's check-in is due, public holidays respected.

Definitions (the check-in models, reminders and compliance report all use them):

* A **cycle week** runs Monday to Sunday in the cycle's time zone and is named by its Monday
  (``CheckinWeek.start``). One check-in per owner per cycle week.
* Its **nominal day** is the cycle's check-in weekday in that week (Friday by default).
  A week belongs to a cycle when its nominal day lies inside the cycle's dates.
* Its **due day** is the nominal day, unless that day is a public holiday: then the check-in
  moves to the previous working day (neither a weekend nor a holiday) *of the same week*.
  When no working day is left before it in that week - Tết closes whole weeks - the week has
  no check-in due (``due`` is None): nobody is reminded or counted as missing, though a
  check-in may still be recorded. Moving it into the week before would stack two check-ins on
  one day just before the holiday.
* The **due moment** is the due day at the cycle's check-in hour in its time zone. A check-in
  submitted by then is on time; later is late; never, once the moment has passed, is missed.
* A **streak** is the number of consecutive due weeks checked in on time. Weeks without a
  check-in due neither break nor extend it, and a week whose moment has not come yet does not
  break it either.

Holidays are passed in as a set of dates, so every function here is pure;
``vietnam_holidays`` builds that set from the ``holidays`` package (Tết included).
"""

from __future__ import annotations

import datetime
import zoneinfo
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache

ONE_DAY = datetime.timedelta(days=1)
SATURDAY = 5


class Timeliness(StrEnum):
    ON_TIME = "on_time"
    LATE = "late"
    MISSED = "missed"
    PENDING = "pending"  # due later: not judged yet
    NOT_DUE = "not_due"  # a holiday week with nothing due and nothing recorded


@dataclass(frozen=True)
class CheckinWeek:
    """One cycle week: its Monday, its nominal check-in day and the day it is really due."""

    start: datetime.date
    nominal: datetime.date
    due: datetime.date | None

    @property
    def is_shifted(self) -> bool:
        """Tell whether a holiday moved the check-in to an earlier day."""
        return self.due is not None and self.due != self.nominal

    @property
    def is_holiday_week(self) -> bool:
        """Tell whether holidays leave this week without a check-in due."""
        return self.due is None


def week_start(day: datetime.date) -> datetime.date:
    """Return the Monday of the week containing ``day``."""
    return day - datetime.timedelta(days=day.weekday())


def nominal_day(start: datetime.date, weekday: int) -> datetime.date:
    """Return the check-in weekday (0 = Monday) of the week starting on ``start``."""
    if not 0 <= weekday <= 6:
        raise ValueError("weekday must be 0 (Monday) to 6 (Sunday)")
    return start + datetime.timedelta(days=weekday)


def is_working_day(day: datetime.date, holidays: Collection[datetime.date]) -> bool:
    """Tell whether a day is neither a weekend nor a public holiday."""
    return day.weekday() < SATURDAY and day not in holidays


def due_day(nominal: datetime.date, holidays: Collection[datetime.date]) -> datetime.date | None:
    """Return the day the check-in is due: the nominal day, or the working day before a holiday."""
    if nominal not in holidays:
        return nominal
    monday = week_start(nominal)
    day = nominal - ONE_DAY
    while day >= monday:
        if is_working_day(day, holidays):
            return day
        day -= ONE_DAY
    return None


def checkin_week(
    day: datetime.date, weekday: int, holidays: Collection[datetime.date]
) -> CheckinWeek:
    """Return the cycle week containing ``day``."""
    start = week_start(day)
    nominal = nominal_day(start, weekday)
    return CheckinWeek(start=start, nominal=nominal, due=due_day(nominal, holidays))


def cycle_weeks(
    first_day: datetime.date,
    last_day: datetime.date,
    weekday: int,
    holidays: Collection[datetime.date],
) -> list[CheckinWeek]:
    """Return every week whose nominal check-in day lies between the cycle's first and last day."""
    weeks: list[CheckinWeek] = []
    start = week_start(first_day)
    while True:
        week = checkin_week(start, weekday, holidays)
        if week.nominal > last_day:
            return weeks
        if week.nominal >= first_day:
            weeks.append(week)
        start += datetime.timedelta(days=7)


@lru_cache(maxsize=256)
def due_moment(due: datetime.date, hour: int, time_zone: str) -> datetime.datetime:
    """Return the aware moment a check-in is due: the due day at the hour, in the time zone."""
    return datetime.datetime.combine(due, datetime.time(hour), tzinfo=zoneinfo.ZoneInfo(time_zone))


def judge_week(
    week: CheckinWeek,
    submitted_at: datetime.datetime | None,
    now: datetime.datetime,
    hour: int,
    time_zone: str,
) -> Timeliness:
    """Judge one owner's check-in for one week: on time, late, missed, pending or not due."""
    if week.due is None:
        return Timeliness.NOT_DUE if submitted_at is None else Timeliness.ON_TIME
    moment = due_moment(week.due, hour, time_zone)
    if submitted_at is not None:
        return Timeliness.ON_TIME if submitted_at <= moment else Timeliness.LATE
    return Timeliness.MISSED if now > moment else Timeliness.PENDING


def streaks(marks: Sequence[Timeliness]) -> tuple[int, int]:
    """Return (current, longest) runs of on-time weeks, oldest mark first."""
    longest = run = 0
    for mark in marks:
        if mark == Timeliness.ON_TIME:
            run += 1
            longest = max(longest, run)
        elif mark in (Timeliness.LATE, Timeliness.MISSED):
            run = 0
    return run, longest


@lru_cache(maxsize=32)
def _vietnam_holidays(years: tuple[int, ...]) -> frozenset[datetime.date]:
    import holidays

    return frozenset(holidays.country_holidays("VN", years=list(years)).keys())


def vietnam_holidays(years: Iterable[int]) -> frozenset[datetime.date]:
    """Return Vietnam's public holidays (Tết, Hùng Kings, 30/4, 1/5, 2/9, …) in these years."""
    return _vietnam_holidays(tuple(sorted(set(years))))
