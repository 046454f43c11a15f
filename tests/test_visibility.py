"""Who sees which objectives: transparency by default, private ones to owner, chain and admins."""

from __future__ import annotations

import pytest

from okrflow.okrs.models import Objective
from okrflow.org.access import Access
from tests.conftest import World, make_objective


@pytest.fixture
def objectives(world: World) -> dict[str, Objective]:
    return {
        "public": make_objective(world, world.sales, "Renew maintenance contracts"),
        "member_private": make_objective(world, world.member, "My private plan", is_private=True),
        "teammate_private": make_objective(world, world.teammate, "Writer's plan", is_private=True),
        "sales_private": make_objective(world, world.sales_head, "Sales secret", is_private=True),
    }


@pytest.mark.parametrize(
    ("persona", "visible"),
    [
        ("admin", {"public", "member_private", "teammate_private", "sales_private"}),
        ("ceo", {"public", "member_private", "teammate_private", "sales_private"}),
        ("lead", {"public", "member_private", "teammate_private"}),
        ("member", {"public", "member_private", "teammate_private"}),
        ("teammate", {"public", "teammate_private"}),
        ("sales_head", {"public", "sales_private"}),
        ("outsider", {"public"}),
    ],
)
def test_visible_to(
    world: World, objectives: dict[str, Objective], persona: str, visible: set[str]
) -> None:
    user = getattr(world, persona).user
    seen = set(Objective.objects.visible_to(user).values_list("pk", flat=True))
    assert seen == {objectives[name].pk for name in visible}
    access = Access(user)
    for name, objective in objectives.items():
        assert access.can_view_objective(objective) == (name in visible), name


def test_anonymous_sees_nothing(world: World, objectives: dict[str, Objective]) -> None:
    from django.contrib.auth.models import AnonymousUser

    assert not Objective.objects.visible_to(AnonymousUser()).exists()


def test_roles(world: World) -> None:
    assert Access(world.admin.user).role == "admin"
    assert Access(world.lead.user).role == "unit_lead"
    assert Access(world.member.user).role == "member"
    assert Access(world.outsider.user).role == "member"
    assert Access(world.lead.user).led_unit_ids == {world.marketing.pk, world.content_team.pk}
