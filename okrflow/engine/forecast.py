"""Forecast a key result's value on its due date, with an 80% band, without touching the database.

Why this method
---------------
A key result has a handful of weekly points (at most 13 in a quarter), some of them noisy or
mistyped, and its rate often changes mid-cycle (a campaign ends, a blocker appears). So:

* **Slope**: Theil–Sen (the median of all pairwise slopes) over the last ``window`` points. One
  bad point cannot swing a median the way it swings least squares, and a six-week window follows
  a change of rate while keeping enough pairs (15) for a stable median.
* **Prior**: with two or three points any fitted slope is mostly noise, so it is blended with
  the planned pace (the pace line from start to target), each weighted by its precision: the
  fitted slope's variance comes from the residual spread, the plan's from ``prior_spread`` (real
  rates differ from the plan by about half of it). As points arrive the data take over.
* **Level**: the median of the points moved along that slope to the latest date, so a mistyped
  latest value does not become the starting point of the projection (the naive pace's weakness).
  A history that never went down is a count, and its latest value is kept as a floor.
* **Combination**: the slope is then averaged (``pace_weight``) with the pace from the first
  point to that robust level: two imperfect estimates combined err less than either, and the
  pace since the start is what a steady key result follows.
* **Damping**: the slope is multiplied by ``damping`` per week ahead (Gardner's damped trend), as
  rates seldom hold for a whole quarter.
* **Band**: Student-t around the projection with ``n - 1`` degrees of freedom (the prior counts
  as one more observation; never fewer than 2). Its scale adds the residual spread (1.4826 × MAD,
  a robust standard deviation, never below ``noise_floor``), the slope's uncertainty times the
  distance from the data, and a ``drift`` for the rate changing later, which grows with the weeks
  ahead. Few points give a heavy-tailed, wide band; far horizons give a wide band.

The defaults were chosen with ``okrflow backtest`` on one synthetic seed and checked on another
(see ``docs/risks.md``): the band holds the outcome about 80% of the time, and the error is
about a sixth below the naive linear pace. On the demo's histories, which are drawn as straight
lines at a constant share of the pace, the naive pace is the very rule that made them and the two
are level.

Recurring key results and milestones are forecast in ``forecast_events.py``.

Every value is a float in the key result's own unit; callers map to progress.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from statistics import median

from okrflow.engine.forecast_distributions import Discrete, StudentT

_DAYS_PER_WEEK = 7.0
_MAD_TO_SD = 1.4826  # MAD of a normal sample times this estimates its standard deviation


class Method(StrEnum):
    """Name how a forecast was made."""

    TREND = "trend"
    COUNT = "count"
    MILESTONE = "milestone"


@dataclass(frozen=True)
class ForecastSettings:
    """Hold the forecast's tuning; the defaults come from `okrflow backtest` (see docs/risks.md)."""

    window: int = 6  # recent points the slope is fitted on
    prior_spread: float = 0.5  # how far the real rate may differ from the planned one (share)
    pace_weight: float = 0.5  # share of the pace since the first point in the slope
    damping: float = 0.985  # per-week factor on the slope ahead; 1.0 = straight line
    noise_floor: float = 0.04  # smallest residual spread, as a share of the key result's range
    drift: float = 0.02  # rate change per week ahead, as a share of the range
    level: float = 0.8  # the band's coverage
    milestone_prior: float = 0.5  # chance a milestone without any confidence gets done
    stale_confidence_days: int = 21  # older confidences count half towards the prior


DEFAULT_SETTINGS = ForecastSettings()


@dataclass(frozen=True)
class Forecast:
    """The expected value on the due date and the band that holds the outcome 80% of the time."""

    method: Method
    due_date: date
    expected: float
    low: float
    high: float
    distribution: StudentT | Discrete
    points: int

    def probability_at_least(self, value: float) -> float:
        """Return the chance the outcome is at least `value`."""
        if isinstance(self.distribution, Discrete):
            return 1.0 - self.distribution.cdf(value - 1e-9)
        return 1.0 - self.distribution.cdf(value)

    def probability_at_most(self, value: float) -> float:
        """Return the chance the outcome is at most `value`."""
        return self.distribution.cdf(value)


# --- numbers: robust trend ---------------------------------------------------------------------


def clean_points(points: Sequence[tuple[date, float]]) -> list[tuple[date, float]]:
    """Sort points by day, keeping the last value recorded on a day."""
    by_day: dict[date, float] = {}
    for day, value in sorted(points, key=lambda point: point[0]):
        if math.isfinite(value):
            by_day[day] = value
    return sorted(by_day.items())


def theil_sen_slope(times: Sequence[float], values: Sequence[float]) -> float:
    """Return the median of the slopes between every pair of points at distinct times."""
    slopes = [
        (values[j] - values[i]) / (times[j] - times[i])
        for i in range(len(times))
        for j in range(i + 1, len(times))
        if times[j] != times[i]
    ]
    return median(slopes) if slopes else 0.0


def damped_weeks(weeks: float, damping: float) -> float:
    """Return how many weeks of slope a damped trend adds over `weeks` ahead."""
    if weeks <= 0:
        return 0.0
    if damping >= 1.0:
        return weeks
    decay: float = damping**weeks  # a float to a float power: typeshed says Any (it may be complex)
    return damping * (1 - decay) / (1 - damping)


def forecast_trend(
    points: Sequence[tuple[date, float]],
    *,
    due_date: date,
    scale: float,
    planned_slope: float | None = None,
    settings: ForecastSettings = DEFAULT_SETTINGS,
) -> Forecast | None:
    """Forecast a number on its due date from dated values; None with fewer than two dates.

    `scale` is the value distance that counts as the whole way (|target - start|); it sets the
    floor of the noise and the drift, so a range of 10 and a range of 10 million behave alike.
    `planned_slope` (value per week on the pace line) is the prior the slope shrinks towards.
    """
    cleaned = clean_points(points)
    if len(cleaned) < 2 or scale <= 0 or not math.isfinite(scale):
        return None
    recent = cleaned[-settings.window :]
    last_day = recent[-1][0]
    times = [(day - last_day).days / _DAYS_PER_WEEK for day, _ in recent]
    values = [value for _, value in recent]
    count = len(recent)
    mean_time = sum(times) / count
    sum_squares = sum((t - mean_time) ** 2 for t in times) or 1.0
    data_slope = theil_sen_slope(times, values)
    spread = max(_robust_spread(times, values, data_slope), settings.noise_floor * scale)
    slope, slope_variance = _shrink_slope(
        data_slope, spread**2 / sum_squares, planned_slope, settings
    )
    level = median(v - slope * t for t, v in zip(times, values, strict=True))
    # A history that never went down is a count (followers, hires): its latest value is a fact,
    # not noise, so the projection starts from it.
    floor = cleaned[-1][1] if _never_decreased(cleaned) else None
    if floor is not None:
        level = max(level, floor)
    first_day, first_value = cleaned[0]
    since_first = (last_day - first_day).days / _DAYS_PER_WEEK
    if settings.pace_weight > 0 and since_first > 0:
        pace = (level - first_value) / since_first
        slope = (1 - settings.pace_weight) * slope + settings.pace_weight * pace
    ahead = max(0.0, (due_date - last_day).days / _DAYS_PER_WEEK)
    expected = level + slope * damped_weeks(ahead, settings.damping)
    variance = spread**2 * (1 + 1 / count) + slope_variance * (ahead - mean_time) ** 2
    variance += (settings.drift * scale * ahead) ** 2
    distribution = StudentT(expected, math.sqrt(variance), max(2, count - 1))
    return with_band(
        Method.TREND, due_date, expected, distribution, len(cleaned), settings, floor=floor
    )


def _never_decreased(points: Sequence[tuple[date, float]]) -> bool:
    """Tell whether a history of at least three points only ever stayed or rose."""
    values = [value for _, value in points]
    return len(values) >= 3 and all(b >= a for a, b in itertools.pairwise(values))


def _robust_spread(times: Sequence[float], values: Sequence[float], slope: float) -> float:
    """Return a robust standard deviation of the values around a line of this slope."""
    residuals = [v - slope * t for t, v in zip(times, values, strict=True)]
    centre = median(residuals)
    return _MAD_TO_SD * median(abs(r - centre) for r in residuals)


def _shrink_slope(
    data_slope: float,
    data_variance: float,
    planned_slope: float | None,
    settings: ForecastSettings,
) -> tuple[float, float]:
    """Blend the fitted slope with the planned pace, each weighted by its precision."""
    if planned_slope is None or planned_slope == 0 or settings.prior_spread <= 0:
        return data_slope, data_variance
    prior_variance = (settings.prior_spread * planned_slope) ** 2
    if data_variance <= 0:
        return data_slope, 0.0
    precision = 1 / data_variance + 1 / prior_variance
    slope = (data_slope / data_variance + planned_slope / prior_variance) / precision
    return slope, 1 / precision


def naive_pace(points: Sequence[tuple[date, float]], *, due_date: date) -> float | None:
    """Return the value so far extrapolated at its constant rate since the first point."""
    cleaned = clean_points(points)
    if not cleaned:
        return None
    first_day, first_value = cleaned[0]
    last_day, last_value = cleaned[-1]
    if last_day == first_day:
        return last_value
    rate = (last_value - first_value) / (last_day - first_day).days
    return last_value + rate * (due_date - last_day).days


def with_band(
    method: Method,
    due_date: date,
    expected: float,
    distribution: StudentT | Discrete,
    points: int,
    settings: ForecastSettings,
    floor: float | None = None,
) -> Forecast:
    """Wrap a distribution as a forecast with its band (never below `floor`)."""
    tail = (1.0 - settings.level) / 2
    low = distribution.quantile(tail)
    return Forecast(
        method=method,
        due_date=due_date,
        expected=expected,
        low=low if floor is None else min(max(low, floor), expected),
        high=distribution.quantile(1.0 - tail),
        distribution=distribution,
        points=points,
    )
