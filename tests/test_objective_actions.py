"""Objective actions: create, update, archive, align — success, permissions, bad input."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from okrflow.audit.models import AuditEntry
from okrflow.cycles.models import CycleState
from okrflow.okrs.actions import (
    align_objective,
    archive_objective,
    create_objective,
    unalign_objective,
    update_objective,
)
from okrflow.okrs.models import Alignment, Objective, ObjectiveState
from okrflow.org.models import Organisation
from tests.conftest import World, make_objective


def test_member_creates_own_objective_with_audit(world: World) -> None:
    outcome = create_objective(
        world.member.user,
        cycle=world.cycle,
        title="Understand our customers",
        owner=world.member,
        tags=["Inbound", "research"],
    )
    objective = Objective.objects.get(pk=outcome.value.pk)
    assert objective.owner_person == world.member
    assert sorted(t.name for t in objective.tags.all()) == ["inbound", "research"]
    assert objective.tags.get(name="inbound").kind == "marketing"
    entry = AuditEntry.objects.get(action="create_objective", object_id=objective.pk)
    assert entry.actor == world.member.user
    assert entry.after["title"] == "Understand our customers"


@pytest.mark.parametrize(
    ("persona", "allowed"),
    [("admin", True), ("lead", True), ("member", False), ("outsider", False)],
)
def test_who_may_create_a_unit_objective(world: World, persona: str, allowed: bool) -> None:
    actor = getattr(world, persona).user
    call = lambda: create_objective(  # noqa: E731
        actor, cycle=world.cycle, title="Own the brand-consulting SEO", owner=world.marketing
    )
    if allowed:
        assert call().value.owner_unit == world.marketing
    else:
        with pytest.raises(PermissionDenied):
            call()
        assert not Objective.objects.exists()


@pytest.mark.parametrize(
    ("persona", "allowed"),
    [("admin", True), ("lead", True), ("member", True), ("outsider", False)],
)
def test_who_may_edit_the_specialists_objective(world: World, persona: str, allowed: bool) -> None:
    objective = make_objective(world, world.member)
    actor = getattr(world, persona).user
    if allowed:
        update_objective(actor, objective, title="Know why customers choose us")
        objective.refresh_from_db()
        assert objective.title == "Know why customers choose us"
        assert objective.version == 2
    else:
        with pytest.raises(PermissionDenied):
            update_objective(actor, objective, title="Hijacked")
        objective.refresh_from_db()
        assert objective.title == "Delight loyal customers"


def test_manager_chain_reaches_two_levels_down(world: World) -> None:
    objective = make_objective(world, world.teammate)
    update_objective(world.lead.user, objective, description="Agreed in our 1:1")
    objective.refresh_from_db()
    assert objective.description == "Agreed in our 1:1"
    with pytest.raises(PermissionDenied):
        update_objective(world.sales_head.user, objective, description="Not mine")


def test_stale_edit_is_refused_and_nothing_lost(world: World) -> None:
    objective = make_objective(world, world.member)
    update_objective(world.member.user, objective, expected_version=1, title="First edit")
    with pytest.raises(ValidationError, match="Someone else changed this"):
        update_objective(world.lead.user, objective, expected_version=1, title="Second edit")
    objective.refresh_from_db()
    assert objective.title == "First edit"


@pytest.mark.parametrize("title", ["", "   ", "x" * 301])
def test_bad_title_is_refused(world: World, title: str) -> None:
    with pytest.raises(ValidationError) as error:
        create_objective(world.admin.user, cycle=world.cycle, title=title, owner=world.member)
    assert "title" in error.value.message_dict
    assert not Objective.objects.exists()


@pytest.mark.parametrize("owner", [None, "marketing", 42])
def test_objective_needs_exactly_one_owner(world: World, owner: object) -> None:
    with pytest.raises(ValidationError) as error:
        create_objective(world.admin.user, cycle=world.cycle, title="Grow", owner=owner)
    assert "owner" in error.value.message_dict
    assert not Objective.objects.exists()


def test_bad_kind_is_refused(world: World) -> None:
    with pytest.raises(ValidationError) as error:
        create_objective(
            world.admin.user, cycle=world.cycle, title="Grow", owner=world.member, kind="maybe"
        )
    assert "kind" in error.value.message_dict


def test_focus_warning_in_both_languages(world: World) -> None:
    from django.utils import translation

    for title in ("One", "Two", "Three"):
        create_objective(None, cycle=world.cycle, title=title, owner=world.member)
    outcome = create_objective(
        world.member.user, cycle=world.cycle, title="Four", owner=world.member
    )
    assert outcome.warnings == ["4 objectives: more than the 1–3 that keeps an owner focused."]
    with translation.override("vi"):
        outcome = create_objective(
            world.member.user, cycle=world.cycle, title="Five", owner=world.member
        )
    assert "5 mục tiêu" in outcome.warnings[0]


def test_enforced_focus_refuses_the_fourth_personal_objective(world: World) -> None:
    organisation = Organisation.current()
    organisation.enforce_focus = True
    organisation.save()
    for title in ("One", "Two", "Three"):
        create_objective(None, cycle=world.cycle, title=title, owner=world.member)
    with pytest.raises(ValidationError, match="4 objectives"):
        create_objective(world.member.user, cycle=world.cycle, title="Four", owner=world.member)
    assert Objective.objects.filter(owner_person=world.member).count() == 3


def test_closed_cycle_refuses_changes(world: World) -> None:
    objective = make_objective(world, world.member)
    world.cycle.state = CycleState.CLOSED
    world.cycle.save()
    with pytest.raises(ValidationError, match="closed"):
        update_objective(world.admin.user, objective, title="Rewrite history")
    with pytest.raises(ValidationError, match="closed"):
        create_objective(world.admin.user, cycle=world.cycle, title="Late", owner=world.member)


def test_archive_keeps_the_row(world: World) -> None:
    objective = make_objective(world, world.member)
    archive_objective(world.member.user, objective)
    objective.refresh_from_db()
    assert objective.state == ObjectiveState.ARCHIVED
    assert not Objective.objects.live().filter(pk=objective.pk).exists()
    with pytest.raises(PermissionDenied):
        archive_objective(world.outsider.user, make_objective(world, world.member, "Other"))


def test_align_to_parent_in_another_unit_and_extra_parent(world: World) -> None:
    company_goal = make_objective(world, world.company, "Keep our customers for years")
    sales_goal = make_objective(world, world.sales, "Renew every maintenance contract")
    mine = make_objective(world, world.member, "Make loyal customers feel seen")
    align_objective(world.member.user, mine, company_goal)
    align_objective(world.member.user, mine, sales_goal, primary=False, weight="0,5")
    links = {link.parent_id: link for link in Alignment.objects.filter(child=mine)}
    assert links[company_goal.pk].is_primary
    assert not links[sales_goal.pk].is_primary
    assert str(links[sales_goal.pk].weight) == "0.50"
    # A new primary parent demotes the old one instead of failing the constraint.
    align_objective(world.member.user, mine, sales_goal)
    assert Alignment.objects.get(child=mine, is_primary=True).parent == sales_goal
    unalign_objective(world.member.user, mine, company_goal)
    assert not Alignment.objects.filter(child=mine, parent=company_goal).exists()
    assert AuditEntry.objects.filter(action="unalign_objective").count() == 1


def test_align_to_itself_or_a_descendant_is_refused(world: World) -> None:
    top = make_objective(world, world.company, "Top")
    middle = make_objective(world, world.marketing, "Middle")
    bottom = make_objective(world, world.member, "Bottom")
    align_objective(None, middle, top)
    align_objective(None, bottom, middle)
    with pytest.raises(ValidationError, match="itself"):
        align_objective(world.admin.user, top, top)
    with pytest.raises(ValidationError, match="loop"):
        align_objective(world.admin.user, top, bottom)
    assert not Alignment.objects.filter(child=top).exists()


@pytest.mark.parametrize("weight", ["0", "-1", "abc", "NaN", "Infinity"])
def test_bad_alignment_weight_is_refused(world: World, weight: str) -> None:
    top = make_objective(world, world.company, "Top")
    mine = make_objective(world, world.member, "Mine")
    with pytest.raises(ValidationError) as error:
        align_objective(world.member.user, mine, top, primary=False, weight=weight)
    assert "weight" in error.value.message_dict
    assert not Alignment.objects.exists()


def test_cannot_align_to_a_private_objective_one_cannot_see(world: World) -> None:
    secret = make_objective(world, world.sales_head, "Secret plan", is_private=True)
    mine = make_objective(world, world.member, "Mine")
    with pytest.raises(PermissionDenied):
        align_objective(world.member.user, mine, secret)
