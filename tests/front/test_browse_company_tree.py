"""The alignment tree (/company/): placement under parents, unaligned, privacy, loops, queries."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from okrflow.front.browse_data import AlignmentTree
from okrflow.okrs.actions import align_objective
from okrflow.okrs.models import Alignment
from tests.conftest import PASSWORD, World, make_objective

PERSONAS = ["admin", "lead", "member", "outsider"]


def signed_in(client: Client, world: World, persona: str) -> Client:
    assert client.login(username=getattr(world, persona).user.username, password=PASSWORD)
    return client


def titles(rows: list) -> list[tuple[int, str]]:
    return [(row.depth, row.report.objective.title) for row in rows]


@pytest.mark.parametrize(("persona", "sees_private"), [(p, p != "outsider") for p in PERSONAS])
def test_children_sit_under_their_parents(
    client: Client, world: World, persona: str, sees_private: bool
) -> None:
    company = make_objective(world, world.company, "Win loyal customers")
    marketing = make_objective(world, world.marketing, "Be the brand they trust")
    mine = make_objective(world, world.member, "Publish the case studies", is_private=True)
    content = make_objective(world, world.content_team, "Write for the buyers")
    align_objective(None, marketing, company)
    align_objective(None, mine, marketing)
    align_objective(None, content, marketing)
    make_objective(world, world.sales, "Close more deals")  # aligned to nothing
    response = signed_in(client, world, persona).get("/company/")
    assert response.status_code == 200
    tree: AlignmentTree = response.context["tree"]
    expected = [(0, "Win loyal customers"), (1, "Be the brand they trust")]
    expected += [(2, "Write for the buyers")]  # units come before people
    if sees_private:
        expected += [(2, "Publish the case studies")]
    assert titles(tree.company) == expected
    assert titles(tree.unaligned) == [(0, "Close more deals")]
    page = response.content.decode()
    assert "<h1>Alignment</h1>" in page
    assert "Not aligned to anything" in page
    assert ("Publish the case studies" in page) is sees_private
    # The top two levels are open; the marketing node holds children, so it is a <details>.
    assert page.count("<details open>") == 2
    assert f'href="/objectives/{company.pk}/"' in page
    assert f'href="/units/{world.marketing.pk}/"' in page


def test_a_private_parent_leaves_its_child_apart(client: Client, world: World) -> None:
    company = make_objective(world, world.company, "Win loyal customers")
    secret = make_objective(world, world.sales, "Secret sales push", is_private=True)
    align_objective(None, secret, company)
    child = make_objective(world, world.marketing, "Support the push")
    align_objective(None, child, secret)
    response = signed_in(client, world, "outsider").get("/company/")
    tree = response.context["tree"]
    assert titles(tree.company) == [(0, "Win loyal customers")]
    assert titles(tree.detached) == [(0, "Support the push")]
    assert tree.unaligned == []
    page = response.content.decode()
    assert "Aligned outside this view" in page
    assert "Secret sales push" not in page


def test_a_secondary_parent_does_not_duplicate_the_child(client: Client, world: World) -> None:
    first = make_objective(world, world.company, "First company goal")
    second = make_objective(world, world.company, "Second company goal")
    child = make_objective(world, world.marketing, "Marketing goal")
    align_objective(None, child, second)
    align_objective(None, child, first, primary=False)
    tree = signed_in(client, world, "member").get("/company/").context["tree"]
    assert titles(tree.company) == [
        (0, "First company goal"),
        (0, "Second company goal"),
        (1, "Marketing goal"),
    ]


def test_an_alignment_loop_is_shown_once(client: Client, world: World) -> None:
    one = make_objective(world, world.marketing, "Loop one")
    two = make_objective(world, world.sales, "Loop two")
    # The actions refuse loops; bad imported data could still hold one.
    Alignment.objects.create(child=one, parent=two)
    Alignment.objects.create(child=two, parent=one)
    response = signed_in(client, world, "admin").get("/company/")
    assert response.status_code == 200
    tree = response.context["tree"]
    assert sorted(title for _, title in titles(tree.detached)) == ["Loop one", "Loop two"]
    assert tree.company == [] and tree.unaligned == []
    page = response.content.decode()
    assert page.count(f'href="/objectives/{one.pk}/"') == 1


def test_empty_cycle_has_an_empty_state(client: Client, world: World) -> None:
    page = signed_in(client, world, "lead").get("/company/").content.decode()
    assert "No objectives in this cycle yet." in page


def test_anonymous_is_sent_to_sign_in(client: Client, world: World) -> None:
    response = client.get("/company/")
    assert response.status_code == 302
    assert response["Location"].startswith("/sign-in/")


def test_post_is_refused(client: Client, world: World) -> None:
    assert signed_in(client, world, "lead").post("/company/").status_code == 405


def tree_queries(client: Client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/company/").status_code == 200
    return len(queries)


def add_branch(world: World, count: int, start: int) -> None:
    company = make_objective(world, world.company, f"Company {start}")
    for index in range(start, start + count):
        unit = make_objective(world, world.marketing, f"Marketing {index}", tags=["seo"])
        align_objective(None, unit, company)
        person = make_objective(world, world.member, f"Mine {index}", is_private=index % 2 == 0)
        align_objective(None, person, unit)
        make_objective(world, world.sales, f"Unaligned {index}")


@pytest.mark.parametrize("persona", PERSONAS)
def test_query_count_does_not_grow(client: Client, world: World, persona: str) -> None:
    signed_in(client, world, persona)
    add_branch(world, 2, 0)
    few = tree_queries(client)
    add_branch(world, 10, 2)
    many = tree_queries(client)
    assert few == many
    # With the top bar's unread notifications, the hand-off lines and the strategy panel with
    # the values company objectives serve (#16: statement, values, links).
    assert many <= 18
