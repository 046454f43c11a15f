"""The overview's status counts for a whole cycle, from the stored insights."""

from __future__ import annotations

import datetime
from typing import Any

from okrflow.insights.snapshots import stored_insights
from okrflow.insights.stored import Scope, summarise_stored


def cycle_status_counts(
    cycle: Any, visible: Any
) -> tuple[datetime.datetime, dict[str, int]] | None:
    """Count every visible objective of the cycle by status, from the stored insights.

    Returns (when they were computed, counts), or None while a large cycle has none stored.
    Registered with `okrflow.front.status_counts` by `InsightsConfig.ready()`.
    """
    refresh = stored_insights(cycle)
    if refresh is None:
        return None
    summary = summarise_stored(Scope(cycle, refresh, visible.values("pk")), {})
    return refresh.computed_at, summary.statuses
