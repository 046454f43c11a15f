"""Followers: following needs sight of the thing; owners and co-owners follow implicitly."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from okrflow.audit.models import AuditEntry
from okrflow.okrs.actions.sharing import add_co_owner, follow, unfollow
from okrflow.okrs.models import Follower, KeyResult, Objective
from okrflow.okrs.sharing import key_result_follower_ids, objective_follower_ids
from tests.conftest import PASSWORD, World, make_objective

PERSONAS = ["admin", "lead", "member", "outsider"]


def as_(client: Client, world: World, persona: str) -> Client:
    assert client.login(username=getattr(world, persona).user.username, password=PASSWORD)
    return client


def first_kr(objective: Objective) -> KeyResult:
    return objective.key_results.select_related("objective").get()


@pytest.mark.parametrize("persona", PERSONAS)
def test_everyone_who_sees_a_public_objective_may_follow_and_unfollow_it(
    client: Client, world: World, persona: str
) -> None:
    objective = make_objective(world, world.sales_head, "Sell to five new chains")
    person = getattr(world, persona)
    as_(client, world, persona)
    response = client.post(f"/objectives/{objective.pk}/follow/")
    assert response.status_code == 302
    row = Follower.objects.get(person=person)
    row.refresh_from_db()
    assert row.objective == objective
    assert AuditEntry.objects.filter(action="follow", actor=person.user, object_id=objective.pk)
    page = client.get(f"/objectives/{objective.pk}/").content.decode()
    assert person.full_name in page and "Unfollow" in page
    assert client.post(f"/objectives/{objective.pk}/unfollow/").status_code == 302
    assert not Follower.objects.exists()
    assert AuditEntry.objects.filter(action="unfollow", actor=person.user).count() == 1


@pytest.mark.parametrize(
    ("persona", "status"), [("admin", 302), ("lead", 302), ("member", 302), ("outsider", 404)]
)
def test_following_a_private_objective_needs_sight_of_it(
    client: Client, world: World, persona: str, status: int
) -> None:
    objective = make_objective(world, world.teammate, "Private plan", is_private=True)
    kr = first_kr(objective)
    as_(client, world, persona)
    assert client.post(f"/objectives/{objective.pk}/follow/").status_code == status
    assert client.post(f"/key-results/{kr.pk}/follow/").status_code == status
    person = getattr(world, persona)
    expected = 2 if status == 302 else 0
    assert Follower.objects.filter(person=person).count() == expected
    assert AuditEntry.objects.filter(action="follow", actor=person.user).count() == expected


@pytest.mark.parametrize("persona", PERSONAS)
def test_key_result_follow_and_unfollow(client: Client, world: World, persona: str) -> None:
    objective = make_objective(world, world.sales_head, "Sell to five new chains")
    kr = first_kr(objective)
    person = getattr(world, persona)
    as_(client, world, persona)
    response = client.post(f"/key-results/{kr.pk}/follow/")
    assert response.status_code == 302 and response["Location"].endswith(f"#kr-{kr.pk}")
    assert Follower.objects.get(person=person).key_result == kr
    entry = AuditEntry.objects.get(action="follow")
    assert (entry.object_type, entry.object_id, entry.actor) == ("keyresult", kr.pk, person.user)
    client.post(f"/key-results/{kr.pk}/unfollow/")
    assert not Follower.objects.exists()


def test_following_twice_or_unfollowing_unfollowed_says_so(client: Client, world: World) -> None:
    objective = make_objective(world, world.sales_head)
    as_(client, world, "member")
    client.post(f"/objectives/{objective.pk}/follow/")
    response = client.post(f"/objectives/{objective.pk}/follow/", follow=True)
    assert "You follow this already." in response.content.decode()
    assert Follower.objects.count() == 1
    client.post(f"/objectives/{objective.pk}/unfollow/")
    response = client.post(f"/objectives/{objective.pk}/unfollow/", follow=True)
    assert "You do not follow this." in response.content.decode()
    assert AuditEntry.objects.filter(action__in=["follow", "unfollow"]).count() == 2


def test_nobody_follows_on_someone_elses_behalf(world: World) -> None:
    objective = make_objective(world, world.sales_head)
    with pytest.raises(PermissionDenied):
        follow(world.admin.user, person=world.member, objective=objective)
    assert not Follower.objects.exists()


def test_deactivated_person_cannot_follow(world: World) -> None:
    objective = make_objective(world, world.sales_head)
    world.member.user.is_active = False
    world.member.user.save()
    with pytest.raises(ValidationError, match="deactivated"):
        follow(None, person=world.member, objective=objective)
    assert not Follower.objects.exists()


def test_follow_action_refuses_what_the_person_cannot_see(world: World) -> None:
    objective = make_objective(world, world.teammate, "Private plan", is_private=True)
    with pytest.raises(ValidationError):
        follow(None, person=world.outsider, objective=objective)
    with pytest.raises(ValidationError):
        unfollow(None, person=world.outsider, objective=objective)
    assert not Follower.objects.exists()


def test_owner_and_co_owners_follow_implicitly(client: Client, world: World) -> None:
    objective = make_objective(world, world.member)
    kr = first_kr(objective)
    add_co_owner(None, person=world.teammate, objective=objective)
    add_co_owner(None, person=world.outsider, key_result=kr)
    follow(None, person=world.sales_head, objective=objective)
    follow(None, person=world.ceo, key_result=kr)
    assert objective_follower_ids(objective) == {
        world.member.pk,
        world.teammate.pk,
        world.sales_head.pk,
    }
    assert key_result_follower_ids(kr) == {
        world.member.pk,
        world.teammate.pk,
        world.sales_head.pk,
        world.outsider.pk,
        world.ceo.pk,
    }
    page = as_(client, world, "member").get(f"/objectives/{objective.pk}/").content.decode()
    assert "You follow it as its owner or co-owner." in page
    assert f'action="/objectives/{objective.pk}/follow/"' not in page


@pytest.mark.parametrize("url", ["/objectives/{o}/follow/", "/key-results/{k}/unfollow/"])
def test_follow_buttons_refuse_get(client: Client, world: World, url: str) -> None:
    objective = make_objective(world, world.sales_head)
    address = url.format(o=objective.pk, k=first_kr(objective).pk)
    assert as_(client, world, "member").get(address).status_code == 405


def test_unknown_key_result_is_404_and_anonymous_goes_to_sign_in(
    client: Client, world: World
) -> None:
    objective = make_objective(world, world.sales_head)
    assert client.post(f"/objectives/{objective.pk}/follow/").status_code == 302
    assert not Follower.objects.exists()
    assert as_(client, world, "member").post("/key-results/999999/follow/").status_code == 404
