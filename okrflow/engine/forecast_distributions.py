"""Distributions the forecast speaks in: Student-t for numbers, discrete for counts and milestones.

Written out here because SciPy is not a dependency: the Student-t CDF for integer degrees of
freedom has a closed form (Abramowitz & Stegun 26.7.3/4) and its quantile follows by bisection.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass


@dataclass(frozen=True)
class StudentT:
    """A location-scale Student-t distribution."""

    loc: float
    scale: float
    df: int

    def cdf(self, x: float) -> float:
        """Return P(X <= x)."""
        if self.scale <= 0:
            return 1.0 if x >= self.loc else 0.0
        return student_t_cdf((x - self.loc) / self.scale, self.df)

    def quantile(self, p: float) -> float:
        """Return x with P(X <= x) = p."""
        return self.loc + self.scale * student_t_quantile(p, self.df)


@dataclass(frozen=True)
class Discrete:
    """A distribution over a few values: counts to come, or done / not done."""

    values: tuple[float, ...]
    weights: tuple[float, ...]

    def cdf(self, x: float) -> float:
        """Return P(X <= x)."""
        return min(1.0, sum(w for v, w in zip(self.values, self.weights, strict=True) if v <= x))

    def quantile(self, p: float) -> float:
        """Return the smallest value whose cumulative weight reaches p."""
        total = 0.0
        for value, weight in zip(self.values, self.weights, strict=True):
            total += weight
            if total >= p - 1e-12:
                return value
        return self.values[-1]

    def mean(self) -> float:
        """Return the expected value."""
        return sum(v * w for v, w in zip(self.values, self.weights, strict=True))


def student_t_cdf(t: float, df: int) -> float:
    """Return the Student-t CDF for integer degrees of freedom (Abramowitz & Stegun 26.7.3/4)."""
    if df < 1:
        raise ValueError("df must be at least 1")
    theta = math.atan(t / math.sqrt(df))
    cos2 = math.cos(theta) ** 2
    if df % 2 == 1:
        series, term = 0.0, math.cos(theta)
        for k in range(1, (df - 1) // 2 + 1):
            series += term
            term *= cos2 * (2 * k) / (2 * k + 1)
        inside = (
            (2 / math.pi) * (theta + math.sin(theta) * series) if df > 1 else 2 * theta / math.pi
        )
    else:
        series, term = 0.0, 1.0
        for k in range(1, df // 2 + 1):
            series += term
            term *= cos2 * (2 * k - 1) / (2 * k)
        inside = math.sin(theta) * series
    # `inside` is P(|T| < |t|) signed like t.
    return min(1.0, max(0.0, 0.5 + 0.5 * inside))


@functools.lru_cache(maxsize=4096)
def student_t_quantile(p: float, df: int) -> float:
    """Return the Student-t quantile by bisection on the CDF.

    Cached: a cycle's forecasts ask for the same few (p, df) pairs tens of thousands of times,
    and 80 bisection steps each made the quantile the dashboards' hottest function.
    """
    if not 0.0 < p < 1.0:
        raise ValueError("p must lie strictly between 0 and 1")
    low, high = -1.0, 1.0
    while student_t_cdf(low, df) > p:
        low *= 2
    while student_t_cdf(high, df) < p:
        high *= 2
    for _ in range(80):
        middle = (low + high) / 2
        if student_t_cdf(middle, df) < p:
            low = middle
        else:
            high = middle
    return (low + high) / 2


def beta_variance(alpha: float, beta: float) -> float:
    """Return the variance of a Beta(alpha, beta) rate."""
    total = alpha + beta
    return alpha * beta / (total**2 * (total + 1))


def beta_binomial_weights(n: int, alpha: float, beta: float) -> list[float]:
    """Return P(k successes) for k = 0..n under a beta-binomial."""

    def log_beta(a: float, b: float) -> float:
        return math.lgamma(a) + math.lgamma(b) - math.lgamma(a + b)

    base = log_beta(alpha, beta)
    logs = [
        math.lgamma(n + 1)
        - math.lgamma(k + 1)
        - math.lgamma(n - k + 1)
        + log_beta(k + alpha, n - k + beta)
        - base
        for k in range(n + 1)
    ]
    weights = [math.exp(value) for value in logs]
    total = sum(weights)
    return [weight / total for weight in weights]
