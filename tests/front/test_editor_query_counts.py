"""Editor, agreement and alignment pages: their query counts do not grow with the data."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from okrflow.okrs.actions import propose_objective
from okrflow.okrs.models import ObjectiveState
from tests.conftest import PASSWORD, World, make_objective


def queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def grow(world: World, start: int, count: int) -> None:
    for index in range(start, start + count):
        draft = make_objective(world, world.teammate, f"Draft {index}", state=ObjectiveState.DRAFT)
        propose_objective(None, draft)
        make_objective(world, world.marketing, f"Unit objective {index}")


@pytest.mark.parametrize("persona", ["admin", "lead", "member"])
def test_editor_pages_have_a_flat_query_count(client: Client, world: World, persona: str) -> None:
    mine = make_objective(world, world.member, "Mine")
    assert client.login(username=getattr(world, persona).user.username, password=PASSWORD)
    urls = [
        "/objectives/new/",
        f"/objectives/{mine.pk}/edit/",
        f"/objectives/{mine.pk}/align/",
        f"/objectives/{mine.pk}/key-results/new/",
        "/agreements/",
    ]
    grow(world, 0, 2)
    few = [queries(client, url) for url in urls]
    grow(world, 2, 10)
    many = [queries(client, url) for url in urls]
    assert few == many
    assert max(many) <= 20
