"""A large cycle's alignment tree is drawn three levels deep; deeper branches are one click away."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from okrflow.front import tree_scope
from okrflow.okrs.actions import align_objective
from okrflow.okrs.models import Objective
from tests.conftest import PASSWORD, World, make_objective


def chain(world: World) -> list[Objective]:
    """Company → Marketing → head → specialist → writer: five levels of alignment."""
    levels = [
        make_objective(world, world.company, "Level 0"),
        make_objective(world, world.marketing, "Level 1"),
        make_objective(world, world.lead, "Level 2"),
        make_objective(world, world.member, "Level 3"),
        make_objective(world, world.teammate, "Level 4"),
    ]
    for child, parent in zip(levels[1:], levels, strict=False):
        align_objective(None, child, parent)
    return levels


def test_small_cycle_is_drawn_whole(client: Client, world: World) -> None:
    chain(world)
    assert client.login(username="head.marketing", password=PASSWORD)
    page = client.get("/company/").content.decode()
    assert all(f"Level {n}" in page for n in range(5))
    assert "more aligned" not in page


def test_large_cycle_is_cut_at_three_levels(
    client: Client, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(tree_scope, "TREE_LIMIT", 3)
    levels = chain(world)
    make_objective(world, world.sales, "Loose objective")
    assert client.login(username="head.marketing", password=PASSWORD)
    page = client.get("/company/").content.decode()
    assert all(f"Level {n}" in page for n in range(3))
    assert "Level 3" not in page and "Level 4" not in page
    assert f'href="/objectives/{levels[2].pk}/">1 more aligned' in page
    assert "Loose objective" in page
    assert "This cycle has 6 objectives" in page

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/company/").status_code == 200
        return len(queries)

    few = count()
    for index in range(6):
        extra = make_objective(world, world.teammate, f"Deep {index}")
        align_objective(None, extra, levels[4])
    assert count() == few
