"""The overview's pages: owner order across units, projects and people, "Show more" (htmx)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from okrflow.front import browse_data
from okrflow.front.views import overview
from okrflow.okrs.models import Objective
from okrflow.org.actions import create_project
from tests.conftest import PASSWORD, World, make_objective


def signed_in(client: Client, world: World, persona: str) -> Client:
    assert client.login(username=getattr(world, persona).user.username, password=PASSWORD)
    return client


def expected_order(world: World, persona: str) -> list[int]:
    """Every visible objective in overview order, sorted in Python from the whole cycle."""
    visible = browse_data.visible_in_cycle(getattr(world, persona).user, world.cycle)
    rows = visible.select_related("owner_unit", "owner_project", "owner_person__unit")

    def key(objective):  # type: ignore[no-untyped-def]
        if objective.owner_unit_id:
            return (0, objective.owner_unit.path, "", "", objective.position, objective.pk)
        if objective.owner_project_id:
            return (1, objective.owner_project.name, "", "", objective.position, objective.pk)
        person = objective.owner_person
        return (
            2,
            "",
            person.unit.path if person.unit else "",
            person.full_name,
            objective.position,
            objective.pk,
        )

    return [objective.pk for objective in sorted(rows, key=key)]


@pytest.fixture
def crowded(world: World) -> World:
    """Objectives of units, a project and people, some private, in an interleaved order."""
    project = create_project(None, name="Launch", lead=world.teammate)
    owners = [
        world.member,
        world.sales,
        project,
        world.teammate,
        world.marketing,
        world.lead,
        world.company,
        world.sales_head,
        world.content_team,
    ]
    for index in range(18):
        owner = owners[index % len(owners)]
        make_objective(world, owner, f"Goal {index}", is_private=index % 4 == 1)
    return world


@pytest.mark.parametrize("persona", ["admin", "lead", "member", "outsider"])
def test_pages_list_every_visible_objective_once_in_owner_order(
    client: Client, crowded: World, persona: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(overview, "OBJECTIVES_PER_PAGE", 4)  # pages straddle the segments
    signed_in(client, crowded, persona)
    shown: list[int] = []
    number = 1
    total = client.get("/").context["objective_count"]
    while True:
        response = client.get(f"/?page={number}")
        page = response.context["page"]
        shown += [report.objective.pk for report in response.context["reports"]]
        if not page.has_next():
            break
        number += 1
    expected = expected_order(crowded, persona)
    assert shown == expected
    assert total == len(expected)
    private = set(
        Objective.objects.filter(cycle=crowded.cycle, is_private=True).values_list("pk", flat=True)
    )
    assert len(private) == 5
    if persona == "admin":
        assert len(shown) == 18
    if persona == "outsider":
        assert not private & set(shown) and len(shown) == 13


def test_show_more_answers_the_next_cards_and_pager_only(
    client: Client, crowded: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(overview, "OBJECTIVES_PER_PAGE", 4)
    signed_in(client, crowded, "admin")
    first = client.get("/").content.decode()
    assert f'hx-get="?cycle={crowded.cycle.pk}&amp;page=2"' in first
    with CaptureQueriesContext(connection) as queries:
        more = client.get("/?page=2", HTTP_HX_REQUEST="true")
    html = more.content.decode()
    assert more.status_code == 200
    assert "<html" not in html and "Company OKRs" not in html  # no layout, no summary
    assert html.count('class="objective ') == 4
    assert 'class="objectives objectives-more"' in html
    assert "page=3" in html  # its own pager goes on
    assert len(queries) <= 11
    last = client.get("/?page=99", HTTP_HX_REQUEST="true").content.decode()
    assert "Show more" not in last  # the last page (out of range reads as the last one)
