"""The company dashboard's alignment map stays light for a large organisation."""

from __future__ import annotations

import datetime

from okrflow.insights.boards import build_alignment_map
from okrflow.insights.collect import collect_insights, visible_objectives
from tests.conftest import World, make_objective


def test_alignment_map_stops_at_its_row_limit(world: World) -> None:
    for index in range(7):
        make_objective(world, world.member, f"Objective {index}")
    insights = collect_insights(
        world.cycle, visible_objectives(None, world.cycle), datetime.date(2026, 5, 15)
    )
    assert len(build_alignment_map(insights)) == 7
    assert len(build_alignment_map(insights, max_rows=5)) == 5
