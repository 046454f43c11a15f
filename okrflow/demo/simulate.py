"""Deterministic weekly values for the demo's key results, by trajectory."""

from __future__ import annotations

import datetime
import hashlib
from decimal import ROUND_HALF_UP, Decimal

# Share of the pace line each trajectory keeps (1.0 = exactly on pace).
PACE_SHARE = {
    "ahead": 1.2,
    "on_pace": 1.0,
    "slightly_behind": 0.8,
    "behind": 0.5,
    "stalled": 0.15,
}


def wobble(key: str, week: int) -> float:
    """Return a repeatable small noise in [-0.04, 0.04] for a key result and week."""
    digest = hashlib.sha256(f"{key}:{week}".encode()).digest()
    return (digest[0] / 255.0 - 0.5) * 0.08


def checkin_days(
    cycle_start: datetime.date, today: datetime.date, weekday: int, weeks: int
) -> list[datetime.date]:
    """Return the last `weeks` check-in days of the cycle up to today, oldest first."""
    offset = (today.weekday() - weekday) % 7
    day = today - datetime.timedelta(days=offset)
    days = []
    while day >= cycle_start and len(days) < weeks:
        days.append(day)
        day -= datetime.timedelta(days=7)
    return sorted(days)


def simulated_share(
    key: str, trajectory: str, expected: float, week: int, weeks_total: int
) -> float:
    """Return the share of the way from start to target reached at a check-in."""
    if trajectory == "done_early":
        return 1.0 if week >= max(1, weeks_total - 2) else min(0.95, expected * 1.6)
    if trajectory == "pending":
        return 0.0
    share = expected * PACE_SHARE.get(trajectory, 1.0)
    if trajectory == "stalled":
        # Moved at first, then nothing: the off-course pattern the risk engine must see.
        share = min(share, 0.12)
    share += wobble(key, week) * expected
    return max(0.0, min(share, 1.0))


def value_at(start: Decimal, target: Decimal, share: float, decimals: int = 0) -> Decimal:
    """Return the value `share` of the way from start to target, rounded for display."""
    raw = start + (target - start) * Decimal(str(round(share, 4)))
    quantum = Decimal(1).scaleb(-decimals)
    return raw.quantize(quantum, rounding=ROUND_HALF_UP)


def decimals_for(start: Decimal, target: Decimal) -> int:
    """Pick how many decimals simulated values need: none for whole counts, else two."""
    if start == start.to_integral_value() and target == target.to_integral_value():
        return 0
    return 2
