"""Org and cycle actions: who may change the organisation, and what bad input gets back."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from okrflow.audit.models import AuditEntry
from okrflow.cycles.actions import activate_cycle, create_cycle, quarter_bounds
from okrflow.cycles.models import Cycle
from okrflow.org.actions import create_person, create_project, create_unit, set_manager
from okrflow.org.models import OrgUnit, Person, Project
from okrflow.org.tree import refresh_unit_paths
from tests.conftest import World


@pytest.mark.parametrize(
    ("persona", "allowed"),
    [("admin", True), ("lead", False), ("member", False), ("outsider", False)],
)
def test_only_admins_change_the_org_tree(world: World, persona: str, allowed: bool) -> None:
    actor = getattr(world, persona).user
    if allowed:
        unit = create_unit(actor, name="Events", parent=world.marketing)
        assert unit.path == f"{world.marketing.path}{unit.pk}/"
        assert unit.depth == 2
        assert AuditEntry.objects.filter(
            action="create_unit", object_id=unit.pk, actor=actor
        ).exists()
    else:
        with pytest.raises(PermissionDenied):
            create_unit(actor, name="Events", parent=world.marketing)
        assert not OrgUnit.objects.filter(name="Events").exists()


def test_person_with_taken_username_or_no_name(world: World) -> None:
    with pytest.raises(ValidationError) as error:
        create_person(world.admin.user, username="ceo", full_name="")
    assert set(error.value.message_dict) == {"username", "full_name"}
    assert Person.objects.count() == 7


def test_manager_loop_is_refused(world: World) -> None:
    with pytest.raises(ValidationError, match="reports to them"):
        set_manager(world.admin.user, world.ceo, world.teammate)
    world.ceo.refresh_from_db()
    assert world.ceo.manager is None
    set_manager(world.admin.user, world.teammate, world.lead)
    world.teammate.refresh_from_db()
    assert world.teammate.manager == world.lead


@pytest.mark.parametrize(
    ("persona", "allowed"),
    [("admin", True), ("lead", True), ("member", False), ("outsider", False)],
)
def test_who_may_create_a_project(world: World, persona: str, allowed: bool) -> None:
    actor = getattr(world, persona).user
    if allowed:
        project = create_project(
            actor, name="Customer conference", lead=world.lead, members=[world.member]
        )
        assert list(project.members.all()) == [world.member]
    else:
        with pytest.raises(PermissionDenied):
            create_project(actor, name="Customer conference", lead=world.lead)
        assert not Project.objects.exists()


def test_cycle_bad_input(world: World) -> None:
    with pytest.raises(ValidationError) as error:
        create_cycle(
            world.admin.user,
            name="",
            start_date=datetime.date(2026, 6, 30),
            end_date=datetime.date(2026, 4, 1),
            checkin_hour=25,
            time_zone="Mars/Olympus",
        )
    assert set(error.value.message_dict) == {"name", "end_date", "checkin_hour", "time_zone"}
    assert Cycle.objects.count() == 1
    with pytest.raises(PermissionDenied):
        create_cycle(
            world.lead.user,
            name="Q3 2026",
            start_date=datetime.date(2026, 7, 1),
            end_date=datetime.date(2026, 9, 30),
        )


def test_cycle_activation(world: World) -> None:
    cycle = create_cycle(
        world.admin.user,
        name="July",
        kind="month",
        start_date=datetime.date(2026, 7, 1),
        end_date=datetime.date(2026, 7, 31),
    )
    assert (cycle.checkin_weekday, cycle.checkin_hour, cycle.time_zone) == (
        4,
        17,
        "Asia/Ho_Chi_Minh",
    )
    activate_cycle(world.admin.user, cycle)
    cycle.refresh_from_db()
    assert cycle.state == "active"
    with pytest.raises(ValidationError):
        activate_cycle(world.admin.user, cycle)


def test_quarter_bounds() -> None:
    assert quarter_bounds(datetime.date(2026, 11, 28)) == (
        datetime.date(2026, 10, 1),
        datetime.date(2026, 12, 31),
    )
    assert quarter_bounds(datetime.date(2026, 2, 28)) == (
        datetime.date(2026, 1, 1),
        datetime.date(2026, 3, 31),
    )


def test_unit_paths_follow_a_moved_unit(world: World) -> None:
    world.content_team.parent = world.sales
    world.content_team.save()
    refresh_unit_paths()
    world.content_team.refresh_from_db()
    assert world.content_team.path == f"{world.sales.path}{world.content_team.pk}/"
