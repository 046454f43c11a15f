"""Everyone's check-in key results counted for a group of people by indexed lookups equal the
counts of the pass over the whole cycle (what the full refresh and the check-in pages count)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from okrflow.checkins.scope import key_result_counts
from okrflow.insights.standings import cycle_key_result_counts, people_key_result_counts
from okrflow.okrs.actions import archive_objective, create_key_result, create_objective
from okrflow.okrs.actions.sharing import add_co_owner
from okrflow.org.actions import create_project
from okrflow.org.models import Person
from tests.conftest import World

pytestmark = pytest.mark.django_db


def key_result(world: World, objective: object, owner: Person, n: int) -> object:
    return create_key_result(
        None,
        objective,
        title=f"KR {n}",
        shape="metric",
        start_value=Decimal(0),
        target_value=Decimal(100),
        owner=owner,
    ).value


def test_people_counts_equal_the_cycle_pass(world: World) -> None:
    project = create_project(
        None, name="Launch", lead=world.sales_head, members=[world.teammate], unit=world.sales
    )
    owners = [world.member, world.marketing, world.company, project, world.outsider]
    objectives = [
        create_objective(None, cycle=world.cycle, title=f"Objective {n}", owner=owner).value
        for n, owner in enumerate(owners)
    ]
    krs = []
    for n, objective in enumerate(objectives):
        krs.append(key_result(world, objective, world.teammate, n))
        krs.append(key_result(world, objective, world.member if n % 2 else world.lead, n + 10))
    # Co-owners of a key result and of a whole objective; someone tied twice counts once.
    add_co_owner(None, person=world.outsider, key_result=krs[0])
    add_co_owner(None, person=world.sales_head, objective=objectives[1])
    add_co_owner(None, person=world.admin, objective=objectives[2])
    # An archived objective's key results count for no one.
    archived = create_objective(None, cycle=world.cycle, title="Gone", owner=world.ceo).value
    key_result(world, archived, world.admin, 99)
    archive_objective(None, archived)

    people = list(Person.objects.order_by("pk").values_list("pk", flat=True))
    everyone = cycle_key_result_counts(world.cycle)
    found = people_key_result_counts(world.cycle, people)
    assert found == {pk: count for pk, count in everyone.items() if count}
    assert found == {pk: n for pk, n in key_result_counts(world.cycle, people).items() if n}
    assert found[world.teammate.pk] == len(objectives)  # owner of one KR in each
    some = [world.member.pk, world.sales_head.pk]
    assert people_key_result_counts(world.cycle, some) == {pk: found[pk] for pk in some}
    assert people_key_result_counts(world.cycle, []) == {}
