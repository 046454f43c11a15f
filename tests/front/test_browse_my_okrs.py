"""My OKRs (/my/): own objectives, key results owned elsewhere, focus, buttons, query counts."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from okrflow.okrs.actions import create_key_result
from okrflow.okrs.models import Objective
from okrflow.org.models import Person
from tests.conftest import PASSWORD, World, make_objective

PERSONAS = ["admin", "lead", "member", "outsider"]


def signed_in(client: Client, world: World, persona: str) -> Client:
    assert client.login(username=getattr(world, persona).user.username, password=PASSWORD)
    return client


def add_key_result(objective: Objective, owner: Person, title: str) -> None:
    create_key_result(None, objective, title=title, shape="milestone", owner=owner)


@pytest.mark.parametrize("persona", PERSONAS)
def test_shows_own_objectives_only(client: Client, world: World, persona: str) -> None:
    me = getattr(world, persona)
    make_objective(world, me, "My own goal")
    make_objective(world, world.teammate, "Someone else's goal")
    response = signed_in(client, world, persona).get("/my/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "<h1>My OKRs</h1>" in page
    assert "My own goal" in page
    assert "Someone else&#x27;s goal" not in page
    assert [r.objective.title for r in response.context["reports"]] == ["My own goal"]
    assert f"/objectives/new/?owner=person:{me.pk}" in page


@pytest.mark.parametrize("persona", PERSONAS)
def test_key_results_owned_in_other_objectives(client: Client, world: World, persona: str) -> None:
    me = getattr(world, persona)
    unit_goal = make_objective(world, world.sales, "Grow the sales pipeline")
    add_key_result(unit_goal, me, "Hold the partner day")
    hidden = make_objective(world, world.sales, "Secret sales plan", is_private=True)
    add_key_result(hidden, me, "Close the secret deal")
    response = signed_in(client, world, persona).get("/my/")
    page = response.content.decode()
    assert "Hold the partner day" in page
    assert "Grow the sales pipeline" in page
    # A private objective stays out of sight even when the user owns one of its key results.
    sees_private = persona == "admin"
    assert ("Close the secret deal" in page) is sees_private
    assert ("Secret sales plan" in page) is sees_private


def test_focus_line_counts_against_the_individual_range(client: Client, world: World) -> None:
    signed_in(client, world, "member")
    page = client.get("/my/").content.decode()
    assert "0 objectives so far: the method asks for 1–3." in page
    make_objective(world, world.member, "One")
    make_objective(world, world.member, "Two")
    page = client.get("/my/").content.decode()
    assert "You hold 2 objectives, inside the 1–3 that keeps a person focused." in page
    # Each objective has a single key result: below the 3–5 the method asks for.
    assert "1 key result so far: an objective should have 3–5." in page
    make_objective(world, world.member, "Three")
    make_objective(world, world.member, "Four")
    page = client.get("/my/").content.decode()
    assert "4 objectives: more than the 1–3 that keeps an owner focused." in page


@pytest.mark.parametrize(("persona", "unit_button"), [("lead", True), ("member", False)])
def test_unit_lead_gets_a_button_for_their_unit(
    client: Client, world: World, persona: str, unit_button: bool
) -> None:
    page = signed_in(client, world, persona).get("/my/").content.decode()
    assert (f"?owner=unit:{world.marketing.pk}" in page) is unit_button
    assert (f"/units/{world.marketing.pk}/" in page) is unit_button


def test_user_without_a_person_gets_a_friendly_page(client: Client, world: World) -> None:
    get_user_model().objects.create_superuser("root", "root@example.com", PASSWORD)
    assert client.login(username="root", password=PASSWORD)
    response = client.get("/my/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert "not linked to a person" in response.content.decode()


def test_no_cycle_is_an_empty_state(client: Client, world: World) -> None:
    world.cycle.delete()
    response = signed_in(client, world, "member").get("/my/")
    assert response.status_code == 200
    assert "No cycle yet" in response.content.decode()


def test_anonymous_is_sent_to_sign_in(client: Client, world: World) -> None:
    response = client.get("/my/")
    assert response.status_code == 302
    assert response["Location"].startswith("/sign-in/")


def test_post_is_refused(client: Client, world: World) -> None:
    assert signed_in(client, world, "member").post("/my/").status_code == 405


def my_page_queries(client: Client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/my/").status_code == 200
    return len(queries)


def add_objectives(world: World, me: Person, count: int, start: int) -> None:
    for index in range(start, start + count):
        make_objective(world, me, f"Mine {index}", is_private=index % 2 == 0, tags=["seo"])
        elsewhere = make_objective(world, world.marketing, f"Marketing {index}")
        add_key_result(elsewhere, me, f"My part {index}")


@pytest.mark.parametrize("persona", PERSONAS)
def test_query_count_does_not_grow(client: Client, world: World, persona: str) -> None:
    signed_in(client, world, persona)
    me = getattr(world, persona)
    add_objectives(world, me, 2, 0)
    few = my_page_queries(client)
    add_objectives(world, me, 10, 2)
    many = my_page_queries(client)
    assert few == many
    # With the top bar's unread notifications; the objectives' and key results' ids are read
    # first by index (two queries more than a scoped subquery, which read the whole cycle).
    assert many <= 20
