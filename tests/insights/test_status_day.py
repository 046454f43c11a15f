"""A finished cycle's stored statuses are judged as the objective pages judge them: after the end.

The objective pages measure on today; after a cycle's end every key result due by it is past due,
so one left without a value is off track there. The stored insights (dashboards, the overview's
counts) judge statuses on the same terms (`collect.status_day`), and a cycle refreshed while it
ran is judged again once it has ended, even by an incremental refresh.
"""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.utils import timezone

from okrflow.insights.models import InsightRefresh, ObjectiveSnapshot
from okrflow.insights.snapshots import is_current, refresh_cycle
from okrflow.okrs.measure import load_objectives, measure_objectives
from okrflow.okrs.models import Objective
from okrflow.org.models import Organisation
from tests.conftest import build_world, make_objective

pytestmark = pytest.mark.django_db

LAST_DAY = datetime.date(2026, 6, 30)  # the world's cycle ends on it


def live_status(objective: Objective, on: datetime.date) -> str:
    loaded = load_objectives(Objective.objects.filter(pk=objective.pk))
    return str(measure_objectives(loaded, on, Organisation.current())[0].status)


def stored_status(objective: Objective) -> str:
    return ObjectiveSnapshot.objects.get(objective=objective).status


def test_a_finished_cycle_stores_the_status_its_objective_pages_show() -> None:
    world = build_world()
    silent = make_objective(world, world.member)  # its key result never got a value
    today = timezone.localdate()
    assert today > LAST_DAY
    refresh_cycle(world.cycle, today)
    assert live_status(silent, today) == "off_track"
    assert stored_status(silent) == live_status(silent, today)


def test_a_cycle_refreshed_on_its_last_day_is_judged_again_the_day_after() -> None:
    with time_machine.travel(datetime.datetime(2026, 6, 30, 12, 0, tzinfo=datetime.UTC)):
        world = build_world()
        silent = make_objective(world, world.member)
        refresh_cycle(world.cycle, LAST_DAY)
        assert stored_status(silent) == "no_data"  # still due that day: no data yet
    day_after = LAST_DAY + datetime.timedelta(days=1)
    with time_machine.travel(datetime.datetime(2026, 7, 1, 12, 0, tzinfo=datetime.UTC)):
        stored = InsightRefresh.objects.get(cycle=world.cycle)
        assert not is_current(world.cycle, stored, day_after)
        refreshed = refresh_cycle(world.cycle, day_after, incremental=True)
        assert stored_status(silent) == "off_track" == live_status(silent, day_after)
        assert refreshed.recomputed >= 1  # type: ignore[attr-defined]
        assert is_current(world.cycle, refreshed, day_after)
        # Every day after the end judges alike: nothing to recompute a week later.
        assert is_current(world.cycle, refreshed, day_after + datetime.timedelta(days=7))
