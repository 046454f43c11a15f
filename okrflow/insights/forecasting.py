"""Bridge a key result's history to the pure forecast, and its answer back into progress."""

from __future__ import annotations

import datetime
import functools
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from okrflow.engine import forecast as engine
from okrflow.engine import forecast_events
from okrflow.engine.progress import (
    Direction,
    KeyResultFigures,
    Shape,
    effective_target,
    raw_key_result_progress,
)
from okrflow.insights.sources import CheckinLine, latest_confidence

DECREASING = (Direction.DECREASE, Direction.AT_MOST)


@dataclass(frozen=True)
class ProgressForecast:
    """A forecast in progress units (1.0 = target), with the chance of reaching the bar."""

    method: str
    expected: float
    low: float
    high: float
    chance_of_bar: float | None
    points: int
    forecast: engine.Forecast


def progress_at(
    figures: KeyResultFigures,
    value: Decimal | float,
    progress: Callable[[Decimal], float] | None = None,
) -> float:
    """Return the raw progress the key result would show at a value (by `progress`, its
    `progress_function`, when the caller has it already)."""
    try:
        current = value if isinstance(value, Decimal) else Decimal(repr(float(value)))
    except (InvalidOperation, ValueError):
        return 0.0
    if progress is not None:
        return progress(current)
    # `dataclasses.replace` runs the constructor: a refresh calls this for every value of every
    # key result (hundreds of thousands at 10,000 people); a copy of the fields is the same.
    moved = object.__new__(KeyResultFigures)
    moved.__dict__.update(figures.__dict__)
    moved.__dict__["current"] = current
    return raw_key_result_progress(moved)


def value_for_progress(figures: KeyResultFigures, share: float) -> float | None:
    """Return the value at which the key result reaches a share of its target."""
    target = effective_target(figures)
    if target is None:
        return None
    start = figures.start
    if figures.shape is Shape.THRESHOLD and (
        start is None
        or (figures.direction is Direction.AT_LEAST and start >= target)
        or (figures.direction is Direction.AT_MOST and start <= target)
    ):
        if figures.direction is Direction.AT_MOST:
            return float(target) / share if share > 0 else None
        return float(target) * share
    if figures.shape in (Shape.RECURRING, Shape.MILESTONE):
        return float(target) * share
    if start is None:
        return None
    return float(start) + share * (float(target) - float(start))


def value_scale(figures: KeyResultFigures) -> float:
    """Return the value distance that counts as the whole way."""
    target = effective_target(figures)
    if target is not None and figures.start is not None and target != figures.start:
        return abs(float(target) - float(figures.start))
    if target is not None and target != 0:
        return abs(float(target))
    return 1.0


def planned_slope(figures: KeyResultFigures) -> float | None:
    """Return the pace line's slope, in value per week."""
    target = effective_target(figures)
    weeks = (figures.due_date - figures.start_date).days / 7
    if target is None or figures.start is None or weeks <= 0:
        return None
    return (float(target) - float(figures.start)) / weeks


def trend_points(
    figures: KeyResultFigures, values: Sequence[tuple[datetime.date, Decimal]]
) -> list[tuple[datetime.date, float]]:
    """Return the dated values, with the baseline on the start date when nothing is recorded."""
    points = [(day, float(value)) for day, value in values if value.is_finite()]
    starts_later = not points or points[0][0] > figures.start_date
    if figures.start is not None and starts_later:
        points.insert(0, (figures.start_date, float(figures.start)))
    return points


def forecast_key_result(
    figures: KeyResultFigures,
    values: Sequence[tuple[datetime.date, Decimal]],
    lines: Sequence[CheckinLine],
    on: datetime.date,
    bar: float,
    settings: engine.ForecastSettings | None = None,
    progress: Callable[[Decimal], float] | None = None,
) -> ProgressForecast | None:
    """Forecast a key result's progress on its due date; None once it is due or without data.

    `progress` is the key result's `progress_function`, when the caller has it already.
    """
    settings = settings or engine.DEFAULT_SETTINGS  # frozen: shared, not built per key result
    if on >= figures.due_date:
        return None
    if figures.shape is Shape.MILESTONE:
        confidence, day = latest_confidence(list(lines))
        done = figures.current is not None and figures.current >= 1
        return _forecast_milestone(done, confidence, day, on, figures.due_date, settings)
    if figures.shape is Shape.RECURRING:
        return _forecast_recurring(figures, on, bar, settings)
    result = engine.forecast_trend(
        trend_points(figures, values),
        due_date=figures.due_date,
        scale=value_scale(figures),
        planned_slope=planned_slope(figures),
        settings=settings,
    )
    if result is None:
        return None
    return _in_progress(figures, result, bar, progress)


# A refresh forecasts every key result of the cycle, and milestones and recurring key results
# are forecast from a few figures many of them share (at 10,000 people, some 25,000 key results
# fall on a handful of answers): each answer is computed once per process. Both functions are
# pure and what they return is frozen, so a shared answer is the same as a fresh one.
@functools.lru_cache(maxsize=4096, typed=True)
def _forecast_milestone(
    done: bool,
    confidence: float | None,
    confidence_day: datetime.date | None,
    on: datetime.date,
    due_date: datetime.date,
    settings: engine.ForecastSettings,
) -> ProgressForecast:
    result = forecast_events.forecast_milestone(
        done=done,
        confidence=confidence,
        confidence_day=confidence_day,
        on=on,
        due_date=due_date,
        settings=settings,
    )
    return ProgressForecast(
        "milestone", result.expected, result.low, result.high, result.expected, 1, result
    )


@functools.lru_cache(maxsize=4096, typed=True)
def _forecast_recurring(
    figures: KeyResultFigures, on: datetime.date, bar: float, settings: engine.ForecastSettings
) -> ProgressForecast | None:
    required = effective_target(figures)
    if figures.per_period is None or figures.period is None or not required:
        return None
    result = forecast_events.forecast_count(
        float(figures.current or 0),
        per_period=figures.per_period,
        period=figures.period,
        start_date=figures.start_date,
        due_date=figures.due_date,
        on=on,
        settings=settings,
    )
    total = float(required)
    return ProgressForecast(
        "count",
        result.expected / total,
        result.low / total,
        result.high / total,
        result.probability_at_least(bar * total),
        result.points,
        result,
    )


def _in_progress(
    figures: KeyResultFigures,
    result: engine.Forecast,
    bar: float,
    progress: Callable[[Decimal], float] | None = None,
) -> ProgressForecast:
    low = progress_at(figures, result.low, progress)
    high = progress_at(figures, result.high, progress)
    bar_value = value_for_progress(figures, bar)
    chance = None
    if bar_value is not None and math.isfinite(bar_value):
        if figures.direction in DECREASING:
            chance = result.probability_at_most(bar_value)
        else:
            chance = result.probability_at_least(bar_value)
    return ProgressForecast(
        "trend",
        progress_at(figures, result.expected, progress),
        min(low, high),
        max(low, high),
        chance,
        result.points,
        result,
    )
