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
