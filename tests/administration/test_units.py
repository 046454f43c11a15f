"""The units page (/administration/units/): the org tree, create, rename, move, lead, archive."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from okrflow.front.forms import owner_choices
from okrflow.okrs.models import Objective
from okrflow.org.access import Access
from okrflow.org.actions import create_unit
from okrflow.org.actions_units import archive_unit, move_unit, rename_unit, unarchive_unit
from okrflow.org.models import OrgUnit
from tests.administration.support import NOT_ADMINS, assert_sent_to_sign_in, audited, sign_in
from tests.conftest import World, make_objective


def unit_urls(world: World) -> dict[str, tuple[str, str]]:
    """Every units page with the method it answers, for the permission tests."""
    unit = world.content_team.pk
    return {
        "tree": ("get", reverse("administration:units")),
        "create": ("get", reverse("administration:unit_create")),
        "create_post": ("post", reverse("administration:unit_create")),
        "edit": ("get", reverse("administration:unit_edit", args=[unit])),
        "rename": ("post", reverse("administration:unit_rename", args=[unit])),
        "move": ("post", reverse("administration:unit_move", args=[unit])),
        "lead": ("post", reverse("administration:unit_lead", args=[unit])),
        "archive": ("post", reverse("administration:unit_archive", args=[unit])),
        "unarchive": ("post", reverse("administration:unit_unarchive", args=[unit])),
    }


@pytest.mark.parametrize("persona", NOT_ADMINS)
def test_only_admins_open_or_change_units(client: Client, world: World, persona: str) -> None:
    sign_in(client, world, persona)
    for method, url in unit_urls(world).values():
        response = getattr(client, method)(url, {"name": "Hijacked", "parent": world.sales.pk})
        assert response.status_code == 403, url
    world.content_team.refresh_from_db()
    assert world.content_team.name == "Content"
    assert world.content_team.parent_id == world.marketing.pk
    assert not world.content_team.is_archived


def test_signed_out_visitors_are_sent_to_sign_in(client: Client, world: World) -> None:
    for method, url in unit_urls(world).values():
        assert_sent_to_sign_in(getattr(client, method)(url))


def test_wrong_methods_are_refused(client: Client, world: World) -> None:
    sign_in(client, world, "admin")
    urls = unit_urls(world)
    assert client.post(urls["tree"][1]).status_code == 405
    assert client.post(urls["edit"][1]).status_code == 405
    for name in ("rename", "move", "lead", "archive", "unarchive"):
        assert client.get(urls[name][1]).status_code == 405, name


def test_the_tree_shows_every_unit_nested(client: Client, world: World) -> None:
    sign_in(client, world, "admin")
    response = client.get(reverse("administration:units"))
    assert response.status_code == 200
    html = response.content.decode()
    # Content sits inside Marketing's list, which sits inside the company's.
    assert html.index("Sao Viet") < html.index("Marketing") < html.index("Content")
    assert "Lead: Head Marketing" in html


def test_the_tree_takes_the_same_queries_however_big(client: Client, world: World) -> None:
    sign_in(client, world, "admin")
    url = reverse("administration:units")
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    for index in range(6):
        team = create_unit(None, name=f"Team {index}", parent=world.sales, lead=world.sales_head)
        create_unit(None, name=f"Squad {index}", parent=team)
    with CaptureQueriesContext(connection) as big:
        response = client.get(url)
    assert response.status_code == 200
    # Session, user, person (access), the units with leads and counts, the top bar's cycles (1)
    # and unread notifications (1).
    assert len(big) == len(small) == 6


def test_admin_creates_a_unit_under_a_parent(client: Client, world: World) -> None:
    sign_in(client, world, "admin")
    page = client.get(reverse("administration:unit_create"), {"parent": world.marketing.pk})
    assert page.status_code == 200
    response = client.post(
        reverse("administration:unit_create"), {"name": "  Events  ", "parent": world.marketing.pk}
    )
    assert response.status_code == 302
    unit = OrgUnit.objects.get(name="Events")
    assert unit.parent == world.marketing
    assert unit.path == f"{world.marketing.path}{unit.pk}/"
    assert unit.depth == 2
    assert audited("create_unit", unit.pk)


@pytest.mark.parametrize(
    ("name", "message"), [("", "A unit needs a name."), ("x" * 300, "at most 200 characters")]
)
def test_bad_names_are_refused_and_nothing_is_saved(
    client: Client, world: World, name: str, message: str
) -> None:
    sign_in(client, world, "admin")
    count = OrgUnit.objects.count()
    response = client.post(
        reverse("administration:unit_create"), {"name": name, "parent": world.marketing.pk}
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    response = client.post(
        reverse("administration:unit_rename", args=[world.sales.pk]), {"name": name}
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert OrgUnit.objects.count() == count
    world.sales.refresh_from_db()
    assert world.sales.name == "Sales"


def test_an_unknown_parent_is_a_form_error(client: Client, world: World) -> None:
    sign_in(client, world, "admin")
    for parent in ("999999", "٣", "99999999999999999999999", "abc"):
        response = client.post(
            reverse("administration:unit_create"), {"name": "Events", "parent": parent}
        )
        assert response.status_code == 200
        assert "Select a valid choice" in response.content.decode()
    assert not OrgUnit.objects.filter(name="Events").exists()


def test_unknown_units_are_not_found(client: Client, world: World) -> None:
    sign_in(client, world, "admin")
    assert client.get(reverse("administration:unit_edit", args=[999999])).status_code == 404
    response = client.post(reverse("administration:unit_rename", args=[999999]), {"name": "X"})
    assert response.status_code == 404


def test_admin_renames_a_unit(client: Client, world: World) -> None:
    sign_in(client, world, "admin")
    response = client.post(
        reverse("administration:unit_rename", args=[world.sales.pk]), {"name": "Bán hàng"}
    )
    assert response.status_code == 302
    world.sales.refresh_from_db()
    assert world.sales.name == "Bán hàng"
    assert audited("rename_unit", world.sales.pk)


def test_admin_moves_a_unit_and_its_subtree(client: Client, world: World) -> None:
    sign_in(client, world, "admin")
    inner = create_unit(None, name="Copywriters", parent=world.content_team)
    response = client.post(
        reverse("administration:unit_move", args=[world.content_team.pk]),
        {"parent": world.sales.pk},
    )
    assert response.status_code == 302
    world.content_team.refresh_from_db()
    inner.refresh_from_db()
    assert world.content_team.parent == world.sales
    assert world.content_team.path == f"{world.sales.path}{world.content_team.pk}/"
    assert inner.path == f"{world.content_team.path}{inner.pk}/"
    assert (world.content_team.depth, inner.depth) == (2, 3)
    assert audited("move_unit", world.content_team.pk)


def test_moving_a_unit_under_its_own_child_is_refused(client: Client, world: World) -> None:
    sign_in(client, world, "admin")
    response = client.post(
        reverse("administration:unit_move", args=[world.marketing.pk]),
        {"parent": world.content_team.pk},
    )
    assert response.status_code == 200
    assert "which is inside it" in response.content.decode()
    world.marketing.refresh_from_db()
    assert world.marketing.parent == world.company
    assert not audited("move_unit", world.marketing.pk)


def test_moving_a_unit_under_itself_is_refused_in_vietnamese(client: Client, world: World) -> None:
    world.admin.language = "vi"
    world.admin.save()
    sign_in(client, world, "admin")
    response = client.post(
        reverse("administration:unit_move", args=[world.marketing.pk]),
        {"parent": world.marketing.pk},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html  # htmx gets the form partial only
    assert "Không thể chuyển một đơn vị vào chính nó." in html
    world.marketing.refresh_from_db()
    assert world.marketing.parent == world.company


def test_admin_chooses_and_clears_the_lead(client: Client, world: World) -> None:
    sign_in(client, world, "admin")
    url = reverse("administration:unit_lead", args=[world.content_team.pk])
    assert client.post(url, {"lead": world.teammate.pk}).status_code == 302
    world.content_team.refresh_from_db()
    assert world.content_team.lead == world.teammate
    assert audited("set_unit_lead", world.content_team.pk)
    assert client.post(url, {"lead": ""}).status_code == 302
    world.content_team.refresh_from_db()
    assert world.content_team.lead is None


def test_admin_archives_and_unarchives_a_unit(client: Client, world: World) -> None:
    sign_in(client, world, "admin")
    objective = make_objective(world, world.content_team)
    response = client.post(reverse("administration:unit_archive", args=[world.content_team.pk]))
    assert response.status_code == 302
    world.content_team.refresh_from_db()
    assert world.content_team.is_archived
    assert audited("archive_unit", world.content_team.pk)
    # Its objectives stay readable.
    assert client.get(reverse("objective_detail", args=[objective.pk])).status_code == 200
    assert Objective.objects.filter(pk=objective.pk).exists()
    response = client.post(reverse("administration:unit_unarchive", args=[world.content_team.pk]))
    assert response.status_code == 302
    world.content_team.refresh_from_db()
    assert not world.content_team.is_archived
    assert audited("unarchive_unit", world.content_team.pk)


def test_archiving_a_unit_with_active_units_inside_is_refused(client: Client, world: World) -> None:
    sign_in(client, world, "admin")
    response = client.post(reverse("administration:unit_archive", args=[world.marketing.pk]))
    assert response.status_code == 200
    assert "Archive or move the units inside" in response.content.decode()
    world.marketing.refresh_from_db()
    assert not world.marketing.is_archived


# The actions' rules, as the CLI and imports meet them too.


def test_an_archived_unit_takes_no_new_objectives(world: World) -> None:
    archive_unit(world.admin.user, world.content_team)
    world.content_team.refresh_from_db()
    with pytest.raises(ValidationError, match="archived"):
        make_objective(world, world.content_team)
    with pytest.raises(ValidationError, match="archived"):
        create_unit(world.admin.user, name="Inside", parent=world.content_team)
    codes = [code for code, _label in owner_choices(Access(world.admin.user))]
    assert f"unit:{world.content_team.pk}" not in codes
    assert f"unit:{world.marketing.pk}" in codes


def test_an_archived_unit_can_come_back_only_under_an_open_parent(world: World) -> None:
    admin = world.admin.user
    archive_unit(admin, world.content_team)
    archive_unit(admin, world.marketing)
    with pytest.raises(ValidationError, match="Unarchive “Marketing” first"):
        unarchive_unit(admin, world.content_team)
    unarchive_unit(admin, world.marketing)
    unarchive_unit(admin, world.content_team)
    world.content_team.refresh_from_db()
    assert not world.content_team.is_archived


def test_moves_are_checked(world: World) -> None:
    admin = world.admin.user
    with pytest.raises(ValidationError, match="under itself"):
        move_unit(admin, world.marketing, world.marketing)
    with pytest.raises(ValidationError, match="inside it"):
        move_unit(admin, world.company, world.content_team)
    with pytest.raises(ValidationError, match="already under"):
        move_unit(admin, world.content_team, world.marketing)
    archive_unit(admin, world.sales)
    with pytest.raises(ValidationError, match="archived"):
        move_unit(admin, world.content_team, world.sales)
    with pytest.raises(ValidationError):
        rename_unit(admin, world.sales, "   ")


def test_moving_keeps_every_path_consistent(world: World) -> None:
    admin = world.admin.user
    deep = create_unit(admin, name="Deep", parent=world.content_team)
    move_unit(admin, world.marketing, world.sales)
    for unit in OrgUnit.objects.all():
        expected = f"{unit.parent.path if unit.parent else '/'}{unit.pk}/"
        assert unit.path == expected
        assert unit.depth == expected.count("/") - 2
    deep.refresh_from_db()
    assert deep.depth == 4


def test_htmx_forms_are_sent_to_the_saved_page(client: Client, world: World) -> None:
    sign_in(client, world, "admin")
    response = client.post(
        reverse("administration:unit_create"),
        {"name": "Events", "parent": world.marketing.pk},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert response["HX-Redirect"] == reverse("administration:units")
    assert OrgUnit.objects.filter(name="Events", parent=world.marketing).exists()
