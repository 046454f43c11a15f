"""The database itself holds the invariants, on SQLite and on PostgreSQL alike."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from okrflow.cycles.models import Cycle
from okrflow.okrs.models import Alignment, KeyResult, Objective
from tests.conftest import World, make_objective


def refused(create) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(IntegrityError), transaction.atomic():
        create()


def test_objective_with_two_owners_or_none(world: World) -> None:
    refused(
        lambda: Objective.objects.create(
            cycle=world.cycle, title="Two", owner_person=world.member, owner_unit=world.marketing
        )
    )
    refused(lambda: Objective.objects.create(cycle=world.cycle, title="None"))


def test_cycle_that_ends_before_it_starts(db: None) -> None:
    refused(
        lambda: Cycle.objects.create(
            name="Bad", start_date=datetime.date(2026, 6, 30), end_date=datetime.date(2026, 4, 1)
        )
    )


def test_alignment_invariants(world: World) -> None:
    top = make_objective(world, world.company, "Top")
    mine = make_objective(world, world.member, "Mine")
    refused(lambda: Alignment.objects.create(child=top, parent=top))
    Alignment.objects.create(child=mine, parent=top, is_primary=True)
    other = make_objective(world, world.sales, "Other")
    refused(lambda: Alignment.objects.create(child=mine, parent=other, is_primary=True))
    refused(lambda: Alignment.objects.create(child=mine, parent=top, is_primary=False))
    refused(lambda: Alignment.objects.create(child=mine, parent=other, is_primary=False, weight=0))


def kr(world: World, objective: Objective, **fields) -> KeyResult:  # type: ignore[no-untyped-def]
    defaults = {"title": "KR", "owner": world.member, "due_date": world.cycle.end_date}
    return KeyResult.objects.create(objective=objective, **(defaults | fields))


def test_key_result_invariants(world: World) -> None:
    objective = make_objective(world, world.member)
    refused(lambda: kr(world, objective, shape="metric", start_value=5, target_value=5))
    refused(lambda: kr(world, objective, shape="metric", target_value=5))
    refused(lambda: kr(world, objective, shape="metric", start_value=1, target_value=5, weight=0))
    refused(lambda: kr(world, objective, shape="threshold", target_value=5, direction="increase"))
    refused(
        lambda: kr(
            world, objective, shape="metric", start_value=1, target_value=5, direction="at_most"
        )
    )
    refused(lambda: kr(world, objective, shape="recurring", per_period=0, period="week"))
    refused(lambda: kr(world, objective, shape="relative", start_value=100))
    assert kr(world, objective, shape="metric", start_value=Decimal("1.5"), target_value=5).pk
