"""The goals a hand-off may wait for load when its form opens (/dependencies/choices/<id>/):
the objective page no longer reads a large cycle's objectives to fill a closed form."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from okrflow.dependencies import panel as panel_module
from tests.conftest import PASSWORD, World, make_objective

PERSONAS = ["admin", "lead", "member", "outsider"]


def signed_in(client: Client, world: World, persona: str) -> Client:
    assert client.login(username=getattr(world, persona).user.username, password=PASSWORD)
    return client


@pytest.mark.parametrize("persona", PERSONAS)
def test_choices_list_only_goals_the_reader_may_see(
    client: Client, world: World, persona: str
) -> None:
    mine = make_objective(world, world.marketing, "Launch the campaign")
    make_objective(world, world.sales, "Open the new channel")
    make_objective(world, world.sales_head, "Secret sales push", is_private=True)
    response = signed_in(client, world, persona).get(f"/dependencies/choices/{mine.pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Open the new channel" in html
    assert ("Secret sales push" in html) is (persona == "admin")
    assert "Launch the campaign" not in html  # not itself


def test_choices_of_an_objective_out_of_view_are_not_found(client: Client, world: World) -> None:
    secret = make_objective(world, world.sales_head, "Secret sales push", is_private=True)
    assert (
        signed_in(client, world, "member").get(f"/dependencies/choices/{secret.pk}/").status_code
        == 404
    )
    assert client.get("/dependencies/choices/999999/").status_code == 404
    assert client.post(f"/dependencies/choices/{secret.pk}/").status_code == 405
    client.logout()
    assert client.get(f"/dependencies/choices/{secret.pk}/").status_code == 302


def test_the_objective_page_does_not_read_the_choices(
    client: Client, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    mine = make_objective(world, world.marketing, "Launch the campaign")
    called: list[int] = []
    monkeypatch.setattr(panel_module, "goal_choices", lambda *args: called.append(1) or [])
    page = signed_in(client, world, "lead").get(f"/objectives/{mine.pk}/").content.decode()
    assert f'hx-get="/dependencies/choices/{mine.pk}/"' in page
    assert called == []


def test_choices_cost_the_same_queries_whatever_the_cycle_holds(
    client: Client, world: World
) -> None:
    mine = make_objective(world, world.marketing, "Launch the campaign")
    make_objective(world, world.sales, "Open the new channel")
    signed_in(client, world, "member")

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"/dependencies/choices/{mine.pk}/").status_code == 200
        return len(queries)

    few = count()
    for index in range(5):
        make_objective(world, world.sales, f"Other {index}")
    assert count() == few
