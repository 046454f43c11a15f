"""The people directory (/people/) and a person's page (/people/<id>/)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from okrflow.okrs.actions import create_key_result
from okrflow.org.actions import create_person
from tests.conftest import PASSWORD, World, make_objective

PERSONAS = ["admin", "lead", "member", "outsider"]


def signed_in(client: Client, world: World, persona: str) -> Client:
    assert client.login(username=getattr(world, persona).user.username, password=PASSWORD)
    return client


def names(response) -> list[str]:  # type: ignore[no-untyped-def]
    return [person.full_name for person in response.context["people"]]


# ---------------------------------------------------------------- directory


@pytest.mark.parametrize(("persona", "private_count"), [(p, p != "outsider") for p in PERSONAS])
def test_directory_lists_everyone_with_objective_counts(
    client: Client, world: World, persona: str, private_count: bool
) -> None:
    make_objective(world, world.member, "Public plan")
    make_objective(world, world.member, "Private plan", is_private=True)
    response = signed_in(client, world, persona).get("/people/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "<h1>People</h1>" in page
    assert len(names(response)) == 7
    member = next(p for p in response.context["people"] if p.pk == world.member.pk)
    # A private objective is not even counted for someone who may not see it.
    assert member.objective_count == (2 if private_count else 1)
    assert f'href="/people/{world.member.pk}/"' in page
    assert f'href="/units/{world.marketing.pk}/"' in page
    assert world.lead.full_name in page  # as the member's manager


def test_directory_filters_by_unit_including_sub_units(client: Client, world: World) -> None:
    response = signed_in(client, world, "member").get(f"/people/?unit={world.marketing.pk}")
    assert set(names(response)) == {
        world.lead.full_name,
        world.member.full_name,
        world.teammate.full_name,
    }
    assert response.context["chosen_unit"] == world.marketing
    assert len(names(client.get("/people/?unit=nonsense"))) == 7


def test_directory_filters_by_text(client: Client, world: World) -> None:
    create_person(
        None, username="dang.thu", full_name="Đặng Thu Hà", password=PASSWORD, job_title="Kế toán"
    )
    signed_in(client, world, "member")
    assert names(client.get("/people/?q=đặng")) == ["Đặng Thu Hà"]
    assert names(client.get("/people/?q=KẾ TOÁN")) == ["Đặng Thu Hà"]
    assert names(client.get("/people/?q=dang.thu")) == ["Đặng Thu Hà"]
    response = client.get("/people/?q=nobody-here")
    assert names(response) == []
    assert "Nobody matches these filters." in response.content.decode()


def test_directory_is_paginated_by_fifty(client: Client, world: World) -> None:
    for index in range(55):
        create_person(None, username=f"p{index:02}", full_name=f"Zed {index:02}", password="x")
    signed_in(client, world, "member")
    first = client.get("/people/")
    assert len(names(first)) == 50
    assert 'href="?page=2"' in first.content.decode()
    second = client.get("/people/?page=2")
    assert len(names(second)) == 12
    assert "Zed 54" in names(second)
    filtered = client.get("/people/?q=Zed")
    assert len(names(filtered)) == 50
    assert 'href="?q=Zed&amp;page=2"' in filtered.content.decode()  # the filter carries over
    assert names(client.get("/people/?q=Zed&page=2")) == [
        "Zed 50",
        "Zed 51",
        "Zed 52",
        "Zed 53",
        "Zed 54",
    ]


def test_directory_needs_sign_in_and_get(client: Client, world: World) -> None:
    response = client.get("/people/")
    assert response.status_code == 302
    assert response["Location"].startswith("/sign-in/")
    assert signed_in(client, world, "outsider").post("/people/").status_code == 405


def page_queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def add_people(world: World, count: int, start: int) -> None:
    for index in range(start, start + count):
        person = create_person(
            None,
            username=f"person{index}",
            full_name=f"Person {index}",
            password=PASSWORD,
            unit=world.marketing,
            manager=world.lead,
        )
        make_objective(world, person, f"Goal {index}", is_private=index % 2 == 0)


@pytest.mark.parametrize("persona", PERSONAS)
def test_directory_query_count_does_not_grow(client: Client, world: World, persona: str) -> None:
    signed_in(client, world, persona)
    add_people(world, 2, 0)
    few = page_queries(client, f"/people/?unit={world.marketing.pk}&q=person")
    add_people(world, 10, 2)
    many = page_queries(client, f"/people/?unit={world.marketing.pk}&q=person")
    assert few == many
    assert many <= 12


# ---------------------------------------------------------------- one person


@pytest.mark.parametrize(("persona", "sees_private"), [(p, p != "outsider") for p in PERSONAS])
def test_person_page_shows_card_and_okrs(
    client: Client, world: World, persona: str, sees_private: bool
) -> None:
    make_objective(world, world.member, "Public plan")
    make_objective(world, world.member, "Private plan", is_private=True)
    response = signed_in(client, world, persona).get(f"/people/{world.member.pk}/")
    assert response.status_code == 200
    page = response.content.decode()
    assert f'<h1 id="person-heading">{world.member.full_name}</h1>' in page
    assert f'href="/units/{world.marketing.pk}/"' in page
    assert f'href="/people/{world.lead.pk}/"' in page  # manager
    assert f'href="/people/{world.teammate.pk}/"' in page  # direct report
    assert "Public plan" in page
    assert ("Private plan" in page) is sees_private


def test_all_private_objectives_show_nothing_to_an_outsider(client: Client, world: World) -> None:
    make_objective(world, world.member, "Private plan", is_private=True)
    response = signed_in(client, world, "outsider").get(f"/people/{world.member.pk}/")
    assert response.status_code == 200
    assert response.context["reports"] == []
    page = response.content.decode()
    assert "Private plan" not in page
    assert "has no objectives you can see" in page


def test_person_page_lists_key_results_owned_elsewhere(client: Client, world: World) -> None:
    goal = make_objective(world, world.marketing, "Own the SEO")
    create_key_result(None, goal, title="Rank top 3", shape="milestone", owner=world.member)
    page = signed_in(client, world, "lead").get(f"/people/{world.member.pk}/").content.decode()
    assert "Rank top 3" in page
    assert "Own the SEO" in page


@pytest.mark.parametrize(
    ("persona", "button"), [("admin", True), ("lead", True), ("member", True), ("outsider", False)]
)
def test_new_objective_button_for_self_managers_and_admins(
    client: Client, world: World, persona: str, button: bool
) -> None:
    page = signed_in(client, world, persona).get(f"/people/{world.member.pk}/").content.decode()
    assert (f"?owner=person:{world.member.pk}" in page) is button


def test_unknown_person_is_404(client: Client, world: World) -> None:
    assert signed_in(client, world, "member").get("/people/999999/").status_code == 404


def test_person_page_needs_sign_in_and_get(client: Client, world: World) -> None:
    assert client.get(f"/people/{world.member.pk}/").status_code == 302
    assert signed_in(client, world, "lead").post(f"/people/{world.member.pk}/").status_code == 405


def add_objectives(world: World, count: int, start: int) -> None:
    for index in range(start, start + count):
        make_objective(world, world.member, f"Goal {index}", is_private=index % 2 == 0, tags=["x"])
        goal = make_objective(world, world.marketing, f"Unit goal {index}")
        create_key_result(None, goal, title="Part", shape="milestone", owner=world.member)
        report = create_person(None, username=f"report{index}", full_name=f"R {index}")
        report.manager = world.member
        report.save()


@pytest.mark.parametrize("persona", PERSONAS)
def test_person_query_count_does_not_grow(client: Client, world: World, persona: str) -> None:
    signed_in(client, world, persona)
    add_objectives(world, 2, 0)
    few = page_queries(client, f"/people/{world.member.pk}/")
    add_objectives(world, 10, 2)
    many = page_queries(client, f"/people/{world.member.pk}/")
    assert few == many
    assert many <= 21
