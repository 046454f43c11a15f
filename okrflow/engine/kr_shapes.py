"""Key results that start mid-cycle, compound key results and recurring slots, without Django.

Start date
----------
A key result's window runs from its own start date (by default the cycle's first day) to its
due date: ``progress.KeyResultFigures.start_date`` is that day, so the pace line, recurring
windows, forecasts and grading start there. ``start_date_problems`` says what is wrong with a
chosen day: it must lie inside the cycle and not after the due date.

Compound key results
--------------------
Two or more measured parts, all of which must be met ("≥300 in person and 5,000 online").
Each part is an ordinary set of figures with its own shape, start, target and start date.

* WEAKEST: progress is the smallest part's progress; the expected progress is the largest
  part's expected progress, so the status is that of the part furthest behind its own pace.
* WEIGHTED: progress and expected progress are the weighted means of the parts'.

A compound key result is done only when every part is done. Its forecast combines the parts'
forecasts the same way (the weakest forecast, or the weighted mean).

Recurring slots
---------------
A recurring key result may keep a slot: a weekday and an hour ("Friday 17:00") for a weekly
rhythm, or a day of the month for a monthly one. ``slot_days`` lists every slot inside the
window, moved like a check-in when a public holiday falls on it: to the previous working day of
the same week (or, for a monthly slot, the previous working day of the same month), and skipped
(``day`` None) when no such day is left, as Tết does. ``judge_slots`` marks each slot met,
missed (its moment has passed without being met), pending (still to come) or skipped.
"""

from __future__ import annotations

import calendar
import datetime
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from okrflow.engine import cadence
from okrflow.engine.kr_parser_dates import Deadline
from okrflow.engine.progress import (
    KeyResultFigures,
    Status,
    StatusThresholds,
    key_result_expected,
    key_result_progress,
    objective_progress,
    status_for_gap,
)
from okrflow.engine.quality_dates import Window, deadline_date

ONE_DAY = datetime.timedelta(days=1)
MIN_PARTS = 2
DEFAULT_THRESHOLDS = StatusThresholds()


# --- start date --------------------------------------------------------------------------------


def effective_start(start_date: datetime.date | None, cycle_start: datetime.date) -> datetime.date:
    """Return the day a key result's window starts: its own start date, else the cycle's."""
    return cycle_start if start_date is None else start_date


def start_date_problems(
    start_date: datetime.date | None,
    cycle_start: datetime.date,
    cycle_end: datetime.date,
    due_date: datetime.date | None,
) -> list[str]:
    """Return the stable codes of what is wrong with a key result's start date."""
    if start_date is None:
        return []
    if not cycle_start <= start_date <= cycle_end:
        return ["start_outside_cycle"]
    if due_date is not None and start_date > due_date:
        return ["start_after_due"]
    return []


# --- compound key results ----------------------------------------------------------------------


class Combine(StrEnum):
    """Name how a compound key result's parts make its progress."""

    WEAKEST = "weakest"
    WEIGHTED = "weighted"


@dataclass(frozen=True)
class Part:
    """One part of a compound key result: its figures and its weight in a weighted mean."""

    figures: KeyResultFigures
    weight: Decimal = Decimal(1)


def compound_problems(parts: Sequence[Part]) -> list[str]:
    """Return what is wrong with a compound key result's parts as a whole."""
    problems = [] if len(parts) >= MIN_PARTS else ["too_few_parts"]
    if any(not part.weight.is_finite() or part.weight <= 0 for part in parts):
        problems.append("part_weight_not_positive")
    return problems


def combine_values(values: Sequence[float], weights: Sequence[Decimal], combine: Combine) -> float:
    """Return the weakest value, or the weighted mean, of one value per part."""
    if not values:
        return 0.0
    if combine is Combine.WEAKEST:
        return min(values)
    return objective_progress(list(zip(values, weights, strict=True)))


def compound_progress(parts: Sequence[Part], combine: Combine) -> float:
    """Return a compound key result's progress in [0, 1]."""
    progresses = [key_result_progress(part.figures) for part in parts]
    return combine_values(progresses, [part.weight for part in parts], combine)


def compound_expected(parts: Sequence[Part], combine: Combine, on: datetime.date) -> float:
    """Return the progress a compound key result should have reached by ``on``.

    WEAKEST: the expected progress of the part furthest behind its own pace (each part may
    start on another day). WEIGHTED: the weighted mean of the parts' expected progress.
    """
    if not parts:
        return 0.0
    expected = [key_result_expected(part.figures, on) for part in parts]
    if combine is Combine.WEAKEST:
        return expected[_furthest_behind(parts, expected)]
    return combine_values(expected, [part.weight for part in parts], combine)


def _furthest_behind(parts: Sequence[Part], expected: Sequence[float]) -> int:
    """Return the index of the part whose progress lags its expected progress the most."""
    gaps = [exp - key_result_progress(p.figures) for exp, p in zip(expected, parts, strict=True)]
    return max(range(len(parts)), key=lambda index: (gaps[index], -index))


def compound_status(
    parts: Sequence[Part],
    combine: Combine,
    on: datetime.date,
    success_bar: float = 1.0,
    thresholds: StatusThresholds = DEFAULT_THRESHOLDS,
) -> Status:
    """Return a compound key result's status: done only when every part is done.

    WEAKEST judges the part furthest behind its own pace; WEIGHTED judges the weighted means.
    """
    if not parts or all(part.figures.current is None for part in parts):
        due = max((part.figures.due_date for part in parts), default=on)
        return Status.OFF_TRACK if parts and on > due else Status.NO_DATA
    progresses = [key_result_progress(part.figures) for part in parts]
    if all(progress >= 1.0 for progress in progresses):
        return Status.DONE
    expected = [key_result_expected(part.figures, on) for part in parts]
    if combine is Combine.WEAKEST:
        scaled = [exp * success_bar - prog for exp, prog in zip(expected, progresses, strict=True)]
        worst = max(range(len(parts)), key=lambda index: (scaled[index], -index))
        progress, pace = min(progresses[worst], 1.0 - 1e-9), expected[worst]
    else:
        weights = [part.weight for part in parts]
        progress = min(combine_values(progresses, weights, combine), 1.0 - 1e-9)
        pace = combine_values(expected, weights, combine)
    return status_for_gap(progress, pace, success_bar, thresholds)


def compound_forecast(
    part_forecasts: Sequence[float | None], weights: Sequence[Decimal], combine: Combine
) -> float | None:
    """Combine each part's forecast progress at the due date; None when any part has none."""
    if not part_forecasts or any(value is None for value in part_forecasts):
        return None
    values = [float(value) for value in part_forecasts if value is not None]
    return combine_values(values, weights, combine)


# --- recurring slots ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Slot:
    """Where a recurring key result's occurrence belongs: a weekday and hour, or a month day."""

    weekday: int | None = None
    hour: int | None = None
    day_of_month: int | None = None

    def __post_init__(self) -> None:
        """Reject a slot that names neither or both kinds of day, or an impossible value."""
        if (self.weekday is None) == (self.day_of_month is None):
            raise ValueError("a slot needs a weekday or a day of the month, not both")
        if self.weekday is not None and not 0 <= self.weekday <= 6:
            raise ValueError("weekday must be 0 (Monday) to 6 (Sunday)")
        if self.day_of_month is not None and not 1 <= self.day_of_month <= 31:
            raise ValueError("day_of_month must be 1 to 31")
        if self.hour is not None and not 0 <= self.hour <= 23:
            raise ValueError("hour must be 0 to 23")


def slot_problems(
    shape: str, weekday: int | None, hour: int | None, day_of_month: int | None, period: str
) -> list[str]:
    """Return the stable codes of what is wrong with a key result's slot."""
    if weekday is None and day_of_month is None:
        return ["slot_hour_without_day"] if hour is not None else []
    if shape != "recurring":
        return ["slot_not_recurring"]
    if weekday is not None and day_of_month is not None:
        return ["slot_both_days"]
    if weekday is not None and not 0 <= weekday <= 6:
        return ["slot_bad_weekday"]
    if day_of_month is not None and not 1 <= day_of_month <= 31:
        return ["slot_bad_day_of_month"]
    if hour is not None and not 0 <= hour <= 23:
        return ["slot_bad_hour"]
    if weekday is not None and period != "week":
        return ["slot_weekday_needs_week"]
    if day_of_month is not None and period != "month":
        return ["slot_day_needs_month"]
    return []


class SlotMark(StrEnum):
    MET = "met"
    MISSED = "missed"
    PENDING = "pending"
    SKIPPED = "skipped"


@dataclass(frozen=True)
class SlotDay:
    """One slot: the day it was planned for and the day it really falls (None: skipped)."""

    planned: datetime.date
    day: datetime.date | None

    @property
    def is_moved(self) -> bool:
        return self.day is not None and self.day != self.planned


def _moved_day(
    planned: datetime.date, earliest: datetime.date, holidays: Collection[datetime.date]
) -> datetime.date | None:
    """Return the planned day, or the working day before a holiday no earlier than ``earliest``."""
    if planned not in holidays:
        return planned
    day = planned - ONE_DAY
    while day >= earliest:
        if cadence.is_working_day(day, holidays):
            return day
        day -= ONE_DAY
    return None


def _month_day(year: int, month: int, day_of_month: int) -> datetime.date:
    """Return the day of the month, the month's last day when it has fewer days (31 → 30/4)."""
    last = calendar.monthrange(year, month)[1]
    return datetime.date(year, month, min(day_of_month, last))


def planned_slot_days(slot: Slot, start: datetime.date, due: datetime.date) -> list[datetime.date]:
    """Return every planned slot day from ``start`` to ``due``, both included."""
    days: list[datetime.date] = []
    if slot.weekday is not None:
        day = start + datetime.timedelta(days=(slot.weekday - start.weekday()) % 7)
        while day <= due:
            days.append(day)
            day += datetime.timedelta(days=7)
        return days
    assert slot.day_of_month is not None
    year, month = start.year, start.month
    while (year, month) <= (due.year, due.month):
        day = _month_day(year, month, slot.day_of_month)
        if start <= day <= due:
            days.append(day)
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return days


def slot_days(
    slot: Slot,
    start: datetime.date,
    due: datetime.date,
    holidays: Collection[datetime.date] = frozenset(),
) -> list[SlotDay]:
    """Return the window's slots, each moved before a holiday or skipped as a check-in would be."""
    result = []
    for planned in planned_slot_days(slot, start, due):
        if slot.weekday is not None:
            earliest = cadence.week_start(planned)
        else:
            earliest = planned.replace(day=1)
        result.append(SlotDay(planned, _moved_day(planned, max(earliest, start), holidays)))
    return result


def slot_moment(slot: Slot, day: datetime.date) -> datetime.datetime:
    """Return the naive local moment a slot is due: its day at its hour (end of day without one)."""
    if slot.hour is None:
        return datetime.datetime.combine(day, datetime.time(23, 59, 59))
    return datetime.datetime.combine(day, datetime.time(slot.hour))


def judge_slots(
    slot: Slot,
    days: Sequence[SlotDay],
    met: Mapping[datetime.date, bool],
    now: datetime.datetime,
) -> list[tuple[SlotDay, SlotMark]]:
    """Mark each slot met, missed, pending or skipped; ``met`` is keyed by the planned day.

    ``now`` is naive local time in the cycle's time zone. A slot recorded as not met is missed
    even before its moment (the owner said so); one without a record is missed once its moment
    has passed.
    """
    marks = []
    for slot_day in days:
        recorded = met.get(slot_day.planned)
        if slot_day.day is None:
            mark = SlotMark.MET if recorded else SlotMark.SKIPPED
        elif recorded is True:
            mark = SlotMark.MET
        elif recorded is False or now > slot_moment(slot, slot_day.day):
            mark = SlotMark.MISSED
        else:
            mark = SlotMark.PENDING
        marks.append((slot_day, mark))
    return marks


def slots_in_week(days: Sequence[SlotDay], week_start: datetime.date) -> list[SlotDay]:
    """Return the slots whose (moved or planned) day lies in the week starting on this Monday."""
    week_end = week_start + datetime.timedelta(days=6)
    return [d for d in days if week_start <= (d.day or d.planned) <= week_end]


def prefill_met(slot_day: SlotDay, counted_in_week: Decimal | None) -> bool:
    """Return the pre-filled answer for a slot at a check-in: met when the week's count went up."""
    return slot_day.day is not None and counted_in_week is not None and counted_in_week > 0


def start_day(stated: Deadline, window: Window) -> datetime.date | None:
    """Return the first day a stated start names ("từ 15/4" 15/4, "từ tháng 4" 1/4, "từ quý III" 1/7).

    The year is the one that puts the day inside the cycle, as for deadlines.
    """
    if stated.day is None and stated.month is None and stated.quarter is not None:
        stated = Deadline(day=1, month=3 * stated.quarter - 2, year=stated.year)
    elif stated.day is None and stated.month is not None:
        stated = Deadline(day=1, month=stated.month, year=stated.year)
    elif stated.month is None:
        return None
    return deadline_date(stated, window)


# --- per-part forecasts --------------------------------------------------------------------------


@dataclass(frozen=True)
class PartForecast:
    """One part's forecast progress at the due date (1.0 = target), its 80% band and chance."""

    expected: float
    low: float
    high: float
    chance_of_bar: float | None = None


def combine_part_forecasts(
    forecasts: Sequence[PartForecast], weights: Sequence[Decimal], combine: Combine
) -> PartForecast | None:
    """Combine the parts' forecasts into the compound key result's.

    The expected value and the band combine like progress (the weakest, or the weighted mean).
    Every part must be met, so the chance of the whole is at most the smallest part's chance:
    that bound is the compound's chance (unknown when any part's chance is unknown).
    """
    if not forecasts:
        return None
    chances = [f.chance_of_bar for f in forecasts]
    return PartForecast(
        expected=combine_values([f.expected for f in forecasts], weights, combine),
        low=combine_values([f.low for f in forecasts], weights, combine),
        high=combine_values([f.high for f in forecasts], weights, combine),
        chance_of_bar=None
        if any(c is None for c in chances)
        else min(c for c in chances if c is not None),
    )


def parts_forecast_to_miss(
    progresses: Sequence[float],
    forecasts: Sequence[PartForecast | None],
    bar: float,
    chance_floor: float,
) -> list[int]:
    """Return the indices of the parts forecast to miss the bar, most likely to miss first.

    A part misses when it has not reached the bar yet and its chance of reaching it is below
    ``chance_floor`` (without a chance: its expected progress is below the bar). A part without
    a forecast is not judged.
    """
    missing = []
    for index, (progress, forecast) in enumerate(zip(progresses, forecasts, strict=True)):
        if forecast is None or progress >= bar:
            continue
        if forecast.chance_of_bar is not None:
            if forecast.chance_of_bar < chance_floor:
                missing.append(index)
        elif forecast.expected < bar:
            missing.append(index)

    def odds(index: int) -> tuple[float, float, int]:
        forecast = forecasts[index]
        assert forecast is not None
        chance = forecast.chance_of_bar if forecast.chance_of_bar is not None else 0.0
        return (chance, forecast.expected, index)

    return sorted(missing, key=odds)
