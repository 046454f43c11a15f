"""The objective page and its buttons, for the four personas."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from okrflow.audit.models import AuditEntry
from okrflow.okrs.actions import (
    align_objective,
    create_initiative,
    create_key_result,
    propose_objective,
)
from okrflow.okrs.models import Objective, ObjectiveState
from tests.conftest import PASSWORD, World, make_objective

PERSONAS = ["admin", "lead", "member", "outsider"]


def as_(client: Client, world: World, persona: str) -> Client:
    assert client.login(username=getattr(world, persona).user.username, password=PASSWORD)
    return client


@pytest.mark.parametrize(
    ("persona", "edits"), [("admin", True), ("lead", True), ("member", True), ("outsider", False)]
)
def test_page_shows_krs_parents_and_edit_controls(
    client: Client, world: World, persona: str, edits: bool
) -> None:
    parent = make_objective(world, world.marketing, "Own the SEO")
    objective = make_objective(world, world.member, "Know our customers", tags=["research"])
    align_objective(None, objective, parent)
    page = as_(client, world, persona).get(f"/objectives/{objective.pk}/").content.decode()
    assert "Know our customers" in page
    assert "Raise retention from 80% to 95%" in page
    assert "Own the SEO" in page
    assert "#research" in page
    assert ("/edit/" in page) is edits
    assert "created the objective" in page  # the change history tells the creation
    assert "create_objective" not in page


@pytest.mark.parametrize(
    ("persona", "status"), [("admin", 200), ("lead", 200), ("member", 200), ("outsider", 404)]
)
def test_private_objective_is_404_for_those_who_may_not_see_it(
    client: Client, world: World, persona: str, status: int
) -> None:
    objective = make_objective(world, world.member, "Private plan", is_private=True)
    assert as_(client, world, persona).get(f"/objectives/{objective.pk}/").status_code == status


def test_unknown_objective_and_anonymous(client: Client, world: World) -> None:
    assert client.get("/objectives/1/").status_code == 302
    assert as_(client, world, "member").get("/objectives/999999/").status_code == 404


def test_objective_page_query_count_is_flat(client: Client, world: World) -> None:
    objective = make_objective(world, world.member)
    as_(client, world, "member")

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"/objectives/{objective.pk}/").status_code == 200
        return len(queries)

    def add(index: int) -> None:
        kr = create_key_result(
            None,
            objective,
            title=f"KR {index}",
            shape="metric",
            start_value=0,
            target_value=10,
            owner=world.member,
        ).value
        create_initiative(None, kr, title=f"Work {index}")
        child = make_objective(world, world.teammate, f"Child {index}")
        align_objective(None, child, objective)

    add(0)  # one of each first: a part of the page read only when it has rows counts once
    few = count()
    for index in range(1, 5):
        add(index)
    assert count() == few


@pytest.mark.parametrize("url", ["propose", "agree", "return", "archive", "duplicate"])
def test_buttons_refuse_get(client: Client, world: World, url: str) -> None:
    objective = make_objective(world, world.member)
    assert as_(client, world, "member").get(f"/objectives/{objective.pk}/{url}/").status_code == 405


def test_propose_then_agree_through_the_pages(client: Client, world: World) -> None:
    objective = make_objective(world, world.member, state=ObjectiveState.DRAFT)
    as_(client, world, "member").post(f"/objectives/{objective.pk}/propose/")
    objective.refresh_from_db()
    assert objective.state == ObjectiveState.PROPOSED
    lead = Client()
    as_(lead, world, "lead")
    assert objective.title in lead.get("/agreements/").content.decode()
    response = lead.post(f"/objectives/{objective.pk}/return/", {"comment": ""})
    assert response.status_code == 302
    objective.refresh_from_db()
    assert objective.state == ObjectiveState.PROPOSED  # refused: a comment is required
    lead.post(f"/objectives/{objective.pk}/agree/", {"comment": "Agreed in our 1:1"})
    objective.refresh_from_db()
    assert objective.state == ObjectiveState.ACTIVE


@pytest.mark.parametrize(("persona", "status"), [("outsider", 403), ("member", 403)])
def test_others_cannot_agree(client: Client, world: World, persona: str, status: int) -> None:
    objective = make_objective(world, world.member, state=ObjectiveState.DRAFT)
    propose_objective(None, objective)
    assert (
        as_(client, world, persona).post(f"/objectives/{objective.pk}/agree/").status_code == status
    )
    objective.refresh_from_db()
    assert objective.state == ObjectiveState.PROPOSED


def test_archive_and_duplicate(client: Client, world: World) -> None:
    objective = make_objective(world, world.member)
    as_(client, world, "member")
    response = client.post(f"/objectives/{objective.pk}/duplicate/", {"cycle": str(world.cycle.pk)})
    copy = Objective.objects.exclude(pk=objective.pk).get()
    assert response["Location"] == f"/objectives/{copy.pk}/"
    assert copy.state == ObjectiveState.DRAFT
    client.post(f"/objectives/{objective.pk}/archive/")
    objective.refresh_from_db()
    assert objective.state == ObjectiveState.ARCHIVED
    assert AuditEntry.objects.filter(action="archive_objective", actor=world.member.user).exists()
    outsider = Client()
    as_(outsider, world, "outsider")
    assert outsider.post(f"/objectives/{copy.pk}/archive/").status_code == 403


def test_not_found_and_not_allowed_pages_are_friendly(
    client: Client, world: World, settings
) -> None:  # type: ignore[no-untyped-def]
    settings.DEBUG = False
    objective = make_objective(world, world.member)
    as_(client, world, "outsider")
    response = client.get("/objectives/999999/")
    assert response.status_code == 404
    assert "Not found" in response.content.decode()
    response = client.post(f"/objectives/{objective.pk}/archive/")
    assert response.status_code == 403
    assert "You cannot change this objective." in response.content.decode()


@pytest.mark.parametrize("persona", [*PERSONAS, "teammate", "sales_head"])
def test_children_listed_are_those_the_reader_may_see(
    client: Client, world: World, persona: str
) -> None:
    """The children are read by the parent index and private ones judged in Python: the page
    lists exactly the live children `visible_to` lets the reader see."""
    from okrflow.okrs.actions import archive_objective
    from okrflow.org.actions import create_project

    parent = make_objective(world, world.company, "Grow the company")
    project = create_project(None, name="Launch", lead=world.teammate)
    owners = [
        world.member,
        world.teammate,
        world.marketing,
        world.content_team,
        world.sales,
        world.sales_head,
        project,
    ]
    children = []
    for index, owner in enumerate(owners):
        for private in (False, True):
            child = make_objective(world, owner, f"Child {index}{'p' if private else ''}")
            if private:
                Objective.objects.filter(pk=child.pk).update(is_private=True)
            align_objective(None, child, parent)
            children.append(child)
    archived = make_objective(world, world.member, "Child archived")
    align_objective(None, archived, parent)
    archive_objective(None, archived)
    reader = getattr(world, persona)
    response = as_(client, world, persona).get(f"/objectives/{parent.pk}/")
    shown = {link.child_id for link in response.context["children"]}
    expected = set(
        Objective.objects.visible_to(reader.user)
        .live()
        .filter(pk__in=[c.pk for c in children])
        .values_list("pk", flat=True)
    )
    assert shown == expected
    assert 0 < len(expected) <= len(children)
    if persona == "admin":
        assert len(shown) == len(children)
    assert "Child archived" not in response.content.decode()


@pytest.mark.parametrize(("persona", "queries"), [("admin", 21), ("lead", 25), ("member", 25)])
def test_objective_page_queries_are_pinned(
    client: Client, world: World, persona: str, queries: int
) -> None:
    """The objective is read once with its visibility; the children by the parent index; the
    other cycles from the top bar's list."""
    parent = make_objective(world, world.marketing, "Own the SEO")
    objective = make_objective(world, world.member, "Know our customers", tags=["research"])
    align_objective(None, objective, parent)
    child = make_objective(world, world.teammate, "Write the posts", is_private=True)
    align_objective(None, child, objective)
    as_(client, world, persona).get(f"/objectives/{objective.pk}/")
    with CaptureQueriesContext(connection) as captured:
        assert client.get(f"/objectives/{objective.pk}/").status_code == 200
    assert len(captured) == queries
