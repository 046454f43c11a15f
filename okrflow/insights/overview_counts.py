"""The overview's status counts for a whole cycle, from the stored insights."""

from __future__ import annotations

import datetime
from typing import Any

from okrflow.insights.snapshots import stored_insights
from okrflow.insights.stored import summarise_stored, viewer_scope


def cycle_status_counts(
    cycle: Any, visible: Any, user: Any
) -> tuple[datetime.datetime, dict[str, int]] | None:
    """Count every objective of the cycle `user` may see by status, from the stored insights.

    Read from the stored totals for this reader (`totals.viewer_for`): a few rows per top
    unit, not a pass over the cycle's snapshot rows. Returns (when they were computed,
    counts), or None while a large cycle has none stored. Registered with
    `okrflow.front.status_counts` by `InsightsConfig.ready()`.
    """
    refresh = stored_insights(cycle)
    if refresh is None:
        return None
    summary = summarise_stored(viewer_scope(cycle, refresh, visible.values("pk"), user), {})
    return refresh.computed_at, summary.statuses
