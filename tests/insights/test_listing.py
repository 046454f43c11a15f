"""The unit and person pages list objectives from the figures stored with their snapshots,
exactly as a live computation would show them, and live when a snapshot has none stored."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from okrflow.insights.collect import collect_insights, visible_objectives
from okrflow.insights.listing import key_result_lines, live_rows
from okrflow.insights.models import ObjectiveSnapshot
from okrflow.insights.snapshots import refresh_cycle
from okrflow.insights.stored import Scope, viewer_scope
from okrflow.insights.views.common import listed_objectives, load_first
from okrflow.okrs.models import Objective
from tests.conftest import PASSWORD, World
from tests.insights.conftest import objective_with, record_weekly
from tests.insights.test_snapshots import two_teams

pytestmark = pytest.mark.django_db


def same(stored: list[Any], live: list[Any]) -> None:
    """Assert the two lists draw the same (their figures to a millionth: stored rounded)."""
    (stored_shape, stored_figures), (live_shape, live_figures) = shown(stored), shown(live)
    assert stored_shape == live_shape
    assert [f is None for f in stored_figures] == [f is None for f in live_figures]
    assert [f for f in stored_figures if f is not None] == pytest.approx(
        [f for f in live_figures if f is not None], abs=1e-5
    )


def shown(rows: list[Any]) -> tuple[list[tuple[Any, ...]], list[float | None]]:
    """What the list draws of each objective and key result: the rest, and the figures."""
    figures = [
        figure
        for row in rows
        for figure in (
            row.progress,
            row.forecast,
            *(f for kr in row.key_results for f in (kr.progress, kr.forecast)),
        )
    ]
    return [
        (
            row.objective.pk,
            row.status,
            row.outlook,
            [
                (
                    kr.key_result.pk,
                    kr.key_result.title,
                    kr.status,
                    None
                    if kr.sparkline is None
                    else (kr.sparkline.path, kr.sparkline.pace_path, kr.sparkline.last_x),
                )
                for kr in row.key_results
            ],
        )
        for row in rows
    ], figures


def grown(world: World) -> None:
    two_teams(world)
    _, (kr, _second) = objective_with(
        world,
        world.member,
        "Write the guide",
        [
            {"title": "Chapters", "start_value": 0, "target_value": 12},
            {"title": "Reviews", "start_value": 0, "target_value": 4},
        ],
    )
    record_weekly(kr, [1, 2, 4])


def test_stored_lines_are_what_a_live_computation_finds(world: World, today: Any) -> None:
    grown(world)
    refresh_cycle(world.cycle)
    insights = collect_insights(world.cycle, visible_objectives(None, world.cycle), today)
    stored = dict(
        ObjectiveSnapshot.objects.filter(cycle=world.cycle).values_list("objective_id", "lines")
    )
    assert stored == {oi.objective.pk: key_result_lines(oi) for oi in insights.objectives}
    assert any(line[3] is not None for lines in stored.values() for line in lines)


@pytest.mark.parametrize("persona", ["ceo", "member"])
def test_a_unit_list_from_stored_lines_equals_the_live_one(
    world: World, today: Any, persona: str
) -> None:
    grown(world)
    refresh = refresh_cycle(world.cycle)
    user = getattr(world, persona).user
    visible = visible_objectives(user, world.cycle)
    scope = viewer_scope(world.cycle, refresh, visible.values("pk"), user, world.company)
    stored = listed_objectives(scope, 10)
    assert len(stored) == 4
    same(stored, live_rows(load_first(scope, 10).insights))
    # A person's list: a few ids, by position.
    ids = list(visible.filter(owner_person=world.member).values_list("pk", flat=True))
    theirs = Scope(world.cycle, refresh, ids)  # type: ignore[arg-type]
    same(listed_objectives(theirs, 30), live_rows(load_first(theirs, 30).insights))


def test_snapshots_stored_without_lines_are_listed_live(
    client: Client, world: World, today: Any, settings: Any
) -> None:
    settings.OKRFLOW_INSIGHTS_LIVE_LIMIT = 0  # a large cycle: the stored rows stay as they are
    grown(world)
    refresh_cycle(world.cycle)
    ObjectiveSnapshot.objects.filter(cycle=world.cycle).update(lines=None)
    assert client.login(username=world.ceo.user.username, password=PASSWORD)
    response = client.get(f"/insights/units/{world.company.pk}/")
    assert response.status_code == 200
    assert "Chapters" in response.content.decode()
    assert 'class="ins-spark"' in response.content.decode()


def test_an_archived_key_result_leaves_the_stored_list(
    world: World, today: Any, settings: Any
) -> None:
    settings.OKRFLOW_INSIGHTS_LIVE_LIMIT = 0
    grown(world)
    refresh = refresh_cycle(world.cycle)
    objective = Objective.objects.get(title="Write the guide")
    objective.key_results.filter(title="Reviews").update(is_archived=True)
    scope = Scope(world.cycle, refresh, [objective.pk])  # type: ignore[arg-type]
    (row,) = listed_objectives(scope, 30)
    assert [kr.key_result.title for kr in row.key_results] == ["Chapters"]
