"""In the scaled shape, a task worker brings a change into the stored insights, not the request."""

from __future__ import annotations

import pytest

from okrflow.insights.models import ObjectiveSnapshot
from okrflow.insights.snapshots import refresh_cycle
from tests.conftest import World
from tests.insights.conftest import record_weekly
from tests.insights.test_snapshots import two_teams
from tests.webhooks.conftest import REDIS_URL, Queue, redis_queue, wait_for  # noqa: F401


def test_a_worker_updates_the_stored_insights_after_the_change_commits(
    redis_queue: Queue,  # noqa: F811
    world: World,
    settings,  # type: ignore[no-untyped-def]
) -> None:
    settings.BROKER_URL = REDIS_URL
    settings.INSIGHTS_REFRESH_QUEUED = True
    settings.OKRFLOW_INSIGHTS_LIVE_LIMIT = 1  # a "large" cycle: its pages never refresh it
    redis_queue.env["OKRFLOW_INSIGHTS_LIVE_LIMIT"] = "1"
    okrs = two_teams(world)
    refresh_cycle(world.cycle)
    before = ObjectiveSnapshot.objects.get(objective=okrs["marketing"]).progress
    record_weekly(okrs["visits"], [90], first_week=8)  # commits: the update is queued
    assert ObjectiveSnapshot.objects.get(objective=okrs["marketing"]).progress == before
    redis_queue.start("worker")

    def updated() -> bool:
        row = ObjectiveSnapshot.objects.get(objective=okrs["marketing"])
        return row.progress == pytest.approx(0.90)

    wait_for(updated, "the worker to recompute the marketing objective")
