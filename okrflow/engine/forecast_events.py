"""Forecast the key results that count events: recurring commitments and milestones.

Recurring key results forecast their count with a beta-binomial: each remaining slot is met with
the rate seen so far (a uniform prior on the rate, updated by slots met and missed). Milestones
forecast the probability of being done from the owner's latest confidence and the time left.
"""

from __future__ import annotations

import math
from datetime import date

from okrflow.engine.forecast import (
    DEFAULT_SETTINGS,
    Forecast,
    ForecastSettings,
    Method,
    with_band,
)
from okrflow.engine.forecast_distributions import (
    Discrete,
    StudentT,
    beta_binomial_weights,
    beta_variance,
)
from okrflow.engine.progress import Period, occurrences_expected_by, required_occurrences

_EXACT_COUNT_LIMIT = 3000  # beyond this many remaining slots a normal approximation is used


def forecast_count(
    done: float,
    *,
    per_period: int,
    period: Period,
    start_date: date,
    due_date: date,
    on: date,
    settings: ForecastSettings = DEFAULT_SETTINGS,
) -> Forecast:
    """Forecast a recurring key result's count on its due date from what is done by `on`."""
    due_so_far = occurrences_expected_by(per_period, period, start_date, due_date, on)
    required = required_occurrences(per_period, period, start_date, due_date)
    remaining = max(0, required - due_so_far)
    met = min(max(done, 0.0), float(due_so_far))
    # A uniform prior on the rate, updated by slots met and missed so far.
    alpha, beta = met + 1.0, (due_so_far - met) + 1.0
    if remaining > _EXACT_COUNT_LIMIT:
        rate = alpha / (alpha + beta)
        sd = math.sqrt(remaining * rate * (1 - rate) + (remaining**2) * beta_variance(alpha, beta))
        distribution: StudentT | Discrete = StudentT(done + remaining * rate, sd, 30)
        expected = done + remaining * rate
    else:
        weights = beta_binomial_weights(remaining, alpha, beta)
        distribution = Discrete(tuple(done + k for k in range(remaining + 1)), tuple(weights))
        expected = distribution.mean()
    return with_band(Method.COUNT, due_date, expected, distribution, due_so_far, settings)


def milestone_probability(
    *,
    done: bool,
    confidence: float | None,
    confidence_day: date | None,
    on: date,
    due_date: date,
    settings: ForecastSettings = DEFAULT_SETTINGS,
) -> float:
    """Return the chance a milestone is done by its due date.

    Done is 1; past its due date and not done is 0. Otherwise the owner's latest confidence,
    pulled half-way to the prior once it is older than `stale_confidence_days`; the prior alone
    when nobody gave one.
    """
    if done:
        return 1.0
    if on > due_date:
        return 0.0
    if confidence is None:
        return settings.milestone_prior
    chance = min(1.0, max(0.0, confidence))
    if confidence_day is not None and (on - confidence_day).days > settings.stale_confidence_days:
        chance = (chance + settings.milestone_prior) / 2
    return chance


def forecast_milestone(
    *,
    done: bool,
    confidence: float | None,
    confidence_day: date | None,
    on: date,
    due_date: date,
    settings: ForecastSettings = DEFAULT_SETTINGS,
) -> Forecast:
    """Forecast a milestone as done (1) or not (0) with the chance it is done."""
    chance = milestone_probability(
        done=done,
        confidence=confidence,
        confidence_day=confidence_day,
        on=on,
        due_date=due_date,
        settings=settings,
    )
    distribution = Discrete((0.0, 1.0), (1.0 - chance, chance))
    return with_band(Method.MILESTONE, due_date, chance, distribution, 1, settings)
