"""Replay key result histories week by week and score the forecast against the naive pace.

Each replay forecasts the final value from the past only (the points up to a cut-off week) and
compares it with what really happened. Errors are in progress units (a share of the distance
from start to target), so a key result counted in followers and one in percent weigh the same.

The synthetic generator has known truth and the dynamics OKR owners report: rates that differ
from the plan, slow starts, a change of rate mid-cycle (a campaign ends, a blocker appears, a
new hire speeds things up), measurement noise and the odd mistyped value.
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from okrflow.engine.forecast import ForecastSettings, forecast_trend, naive_pace

WEEKS_PER_QUARTER = 13


@dataclass(frozen=True)
class History:
    """A key result's dated values from its baseline on, and the final value to forecast."""

    key: str
    start: float
    target: float
    points: tuple[tuple[date, float], ...]  # baseline first
    due_date: date
    truth: float  # the value on the due date (or at the last point when replaying an open cycle)
    window_start: date | None = None  # the cycle start, when it is not the first point's day
    window_end: date | None = None  # the key result's own due date, when `due_date` is earlier

    @property
    def planned_slope(self) -> float | None:
        """Return the pace line's slope in value per week."""
        start = self.window_start or self.points[0][0]
        end = self.window_end or self.due_date
        weeks = (end - start).days / 7
        return (self.target - self.start) / weeks if weeks > 0 else None


@dataclass
class Score:
    """Running totals of a backtest."""

    forecasts: int = 0
    inside_band: int = 0
    forecast_error: float = 0.0
    naive_error: float = 0.0
    band_width: float = 0.0
    key_results: set[str] = field(default_factory=set)

    @property
    def coverage(self) -> float:
        return self.inside_band / self.forecasts if self.forecasts else math.nan

    @property
    def forecast_mae(self) -> float:
        return self.forecast_error / self.forecasts if self.forecasts else math.nan

    @property
    def naive_mae(self) -> float:
        return self.naive_error / self.forecasts if self.forecasts else math.nan

    @property
    def mean_band_width(self) -> float:
        return self.band_width / self.forecasts if self.forecasts else math.nan

    def as_dict(self) -> dict[str, float | int]:
        """Return the figures `okrflow backtest --json` prints."""
        return {
            "key_results": len(self.key_results),
            "forecasts": self.forecasts,
            "coverage_80": round(self.coverage, 4),
            "mae_forecast": round(self.forecast_mae, 4),
            "mae_naive_pace": round(self.naive_mae, 4),
            "mean_band_width": round(self.mean_band_width, 4),
        }


def replay(
    histories: Iterable[History],
    settings: ForecastSettings | None = None,
    min_points: int = 2,
) -> Score:
    """Forecast each history from every prefix of at least `min_points` points before its end."""
    settings = settings or ForecastSettings()
    score = Score()
    for history in histories:
        span = abs(history.target - history.start)
        if span == 0:
            continue
        for cut in range(min_points, len(history.points)):
            past = history.points[:cut]
            if past[-1][0] >= history.due_date:
                break
            forecast = forecast_trend(
                past,
                due_date=history.due_date,
                scale=span,
                planned_slope=history.planned_slope,
                settings=settings,
            )
            naive = naive_pace(past, due_date=history.due_date)
            if forecast is None or naive is None:
                continue
            score.forecasts += 1
            score.key_results.add(history.key)
            score.inside_band += forecast.low <= history.truth <= forecast.high
            score.forecast_error += abs(forecast.expected - history.truth) / span
            score.naive_error += abs(naive - history.truth) / span
            score.band_width += (forecast.high - forecast.low) / span
    return score


def synthetic_histories(
    count: int, seed: int, start_date: date = date(2026, 1, 2)
) -> list[History]:
    """Generate `count` weekly histories over a quarter with known final values."""
    rng = random.Random(seed)
    return [_synthetic_history(rng, f"synthetic-{seed}-{n}", start_date) for n in range(count)]


def _synthetic_history(rng: random.Random, key: str, start_date: date) -> History:
    weeks = WEEKS_PER_QUARTER
    start = float(rng.choice([0, 20, 65, 100, 1000, 5000]))
    span = start * rng.uniform(0.2, 0.6) if start else float(rng.choice([10, 100, 300]))
    target = start + span
    # Planned pace times how well this key result really goes (some ahead, most a bit behind).
    rate = span / weeks * math.exp(rng.gauss(math.log(0.85), 0.45))
    slow_start = rng.randint(1, 3) if rng.random() < 0.25 else 0
    change_week = rng.randint(3, 10) if rng.random() < 0.4 else weeks + 1
    change = rng.choice([0.0, 0.3, 0.6, 1.5])
    # Counts (followers, downloads) only grow and are measured exactly; rates (open rate,
    # response time, share of customers) are a noisy weekly measurement of a level that moves.
    cumulative = rng.random() < 0.6
    noise = span * (rng.uniform(0.005, 0.03) if cumulative else rng.uniform(0.04, 0.15))
    level = start
    points = [(start_date, start)]
    for week in range(1, weeks + 1):
        weekly = 0.0 if week <= slow_start else rate
        if week >= change_week:
            weekly *= change
        step = weekly * (1 + rng.gauss(0, 0.35))
        level += max(0.0, step) if cumulative else step
        value = level + rng.gauss(0, noise)
        if rng.random() < 0.04:
            value += rng.gauss(0, 0.15 * span)  # a mistyped or one-off value
        points.append((start_date + timedelta(weeks=week), round(value, 4)))
    due_date = points[-1][0]
    return History(key, start, target, tuple(points), due_date, truth=points[-1][1])


def open_cycle_histories(
    rows: Sequence[tuple[str, float, float, Sequence[tuple[date, float]]]],
) -> list[History]:
    """Turn (key, start, target, dated values) rows of a cycle still running into histories.

    The truth is the latest recorded value, so each replay forecasts the latest value from the
    weeks before it: the only honest test while the due date is still ahead.
    """
    histories = []
    for key, start, target, values in rows:
        points = sorted(values)
        if len(points) < 3:
            continue
        last_day, last_value = points[-1]
        histories.append(History(key, start, target, tuple(points), last_day, last_value))
    return histories
