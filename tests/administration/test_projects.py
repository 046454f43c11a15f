"""The projects page (/administration/projects/): list, create, edit, archive."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from okrflow.okrs.actions import create_objective
from okrflow.org.actions import create_project
from okrflow.org.actions_people import deactivate_person
from okrflow.org.actions_projects import set_project_archived, update_project
from okrflow.org.models import Project
from tests.administration.support import NOT_ADMINS, assert_sent_to_sign_in, audited, sign_in
from tests.conftest import World


@pytest.fixture
def project(world: World) -> Project:
    return create_project(
        None, name="Tết campaign", lead=world.lead, members=[world.member], unit=world.marketing
    )


def project_urls(project: Project) -> dict[str, tuple[str, str]]:
    return {
        "list": ("get", reverse("administration:projects")),
        "create": ("get", reverse("administration:project_create")),
        "create_post": ("post", reverse("administration:project_create")),
        "edit": ("get", reverse("administration:project_edit", args=[project.pk])),
        "edit_post": ("post", reverse("administration:project_edit", args=[project.pk])),
        "archive": ("post", reverse("administration:project_archive", args=[project.pk])),
        "unarchive": ("post", reverse("administration:project_unarchive", args=[project.pk])),
    }


def project_data(world: World, **changes: object) -> dict[str, object]:
    data: dict[str, object] = {
        "name": "Mid-autumn festival",
        "description": "Lanterns and mooncakes",
        "lead": world.member.pk,
        "members": [world.teammate.pk, world.lead.pk],
        "unit": world.content_team.pk,
    }
    return data | changes


@pytest.mark.parametrize("persona", NOT_ADMINS)
def test_only_admins_open_or_change_projects(
    client: Client, world: World, project: Project, persona: str
) -> None:
    sign_in(client, world, persona)
    for method, url in project_urls(project).values():
        assert getattr(client, method)(url, project_data(world)).status_code == 403, url
    project.refresh_from_db()
    assert project.name == "Tết campaign" and not project.is_archived
    assert Project.objects.count() == 1


def test_signed_out_visitors_are_sent_to_sign_in(
    client: Client, world: World, project: Project
) -> None:
    for method, url in project_urls(project).values():
        assert_sent_to_sign_in(getattr(client, method)(url))


def test_wrong_methods_are_refused(client: Client, world: World, project: Project) -> None:
    sign_in(client, world, "admin")
    urls = project_urls(project)
    assert client.post(urls["list"][1]).status_code == 405
    assert client.get(urls["archive"][1]).status_code == 405
    assert client.get(urls["unarchive"][1]).status_code == 405


def test_the_list_takes_the_same_queries_however_many_projects(
    client: Client, world: World, project: Project
) -> None:
    sign_in(client, world, "admin")
    url = reverse("administration:projects")
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    for index in range(10):
        create_project(
            None, name=f"P{index}", lead=world.ceo, members=[world.member], unit=world.sales
        )
    with CaptureQueriesContext(connection) as big:
        response = client.get(url)
    assert "P9" in response.content.decode()
    # Session, user, person (access), the projects with lead, unit and counts, the top bar's
    # cycles (1) and unread notifications (1).
    assert len(big) == len(small) == 6


def test_admin_creates_a_project(client: Client, world: World) -> None:
    sign_in(client, world, "admin")
    assert client.get(reverse("administration:project_create")).status_code == 200
    response = client.post(reverse("administration:project_create"), project_data(world))
    assert response.status_code == 302
    created = Project.objects.get(name="Mid-autumn festival")
    assert created.lead == world.member and created.unit == world.content_team
    assert set(created.members.all()) == {world.teammate, world.lead}
    assert audited("create_project", created.pk)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"name": ""}, "A project needs a name."),
        ({"name": "x" * 300}, "at most 200 characters"),
        ({"lead": ""}, "Choose the project"),
        ({"lead": "999999"}, "Select a valid choice"),
        ({"members": ["abc"]}, "Select a valid choice"),
        ({"unit": "²"}, "Select a valid choice"),
    ],
)
def test_bad_projects_are_refused_and_nothing_is_saved(
    client: Client, world: World, project: Project, changes: dict[str, object], message: str
) -> None:
    sign_in(client, world, "admin")
    response = client.post(reverse("administration:project_create"), project_data(world, **changes))
    assert response.status_code == 200
    assert message in response.content.decode()
    response = client.post(
        reverse("administration:project_edit", args=[project.pk]), project_data(world, **changes)
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert Project.objects.count() == 1
    project.refresh_from_db()
    assert project.name == "Tết campaign"


def test_admin_edits_lead_and_members(client: Client, world: World, project: Project) -> None:
    sign_in(client, world, "admin")
    assert client.get(reverse("administration:project_edit", args=[project.pk])).status_code == 200
    response = client.post(
        reverse("administration:project_edit", args=[project.pk]), project_data(world)
    )
    assert response.status_code == 302
    project.refresh_from_db()
    assert project.name == "Mid-autumn festival"
    assert project.description == "Lanterns and mooncakes"
    assert project.lead == world.member and project.unit == world.content_team
    assert set(project.members.all()) == {world.teammate, world.lead}
    assert audited("update_project", project.pk)


def test_admin_archives_and_unarchives_a_project(
    client: Client, world: World, project: Project
) -> None:
    sign_in(client, world, "admin")
    response = client.post(reverse("administration:project_archive", args=[project.pk]))
    assert response.status_code == 302
    project.refresh_from_db()
    assert project.is_archived
    assert audited("archive_project", project.pk)
    response = client.post(
        reverse("administration:project_archive", args=[project.pk]), follow=True
    )
    assert "already archived" in response.content.decode()
    assert (
        client.post(reverse("administration:project_unarchive", args=[project.pk])).status_code
        == 302
    )
    project.refresh_from_db()
    assert not project.is_archived
    assert audited("unarchive_project", project.pk)


def test_unknown_projects_are_not_found(client: Client, world: World) -> None:
    sign_in(client, world, "admin")
    assert client.get(reverse("administration:project_edit", args=[999999])).status_code == 404
    assert client.post(reverse("administration:project_archive", args=[999999])).status_code == 404


def test_an_archived_project_takes_no_new_objectives(world: World, project: Project) -> None:
    archived = set_project_archived(world.admin.user, project, archived=True)
    with pytest.raises(ValidationError, match="archived"):
        create_objective(None, cycle=world.cycle, title="Sell lanterns", owner=archived)


def test_a_deactivated_person_cannot_become_lead_or_member(world: World, project: Project) -> None:
    deactivate_person(None, world.outsider)
    world.outsider.user.refresh_from_db()
    for lead, members in ((world.outsider, []), (world.lead, [world.outsider])):
        with pytest.raises(ValidationError, match="deactivated"):
            update_project(
                world.admin.user,
                project,
                name="X",
                description="",
                lead=lead,
                members=members,
                unit=None,
            )
    project.refresh_from_db()
    assert project.name == "Tết campaign"
