"""List endpoints cost the same number of queries for a few rows or many (no N+1)."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from okrflow.checkins.actions import record_checkin
from okrflow.checkins.actions.inputs import CheckInInput, LineInput
from okrflow.okrs.actions import align_objective, create_initiative, record_key_result_value
from tests.api.conftest import api_for
from tests.conftest import World, make_objective

LISTS = (
    "/objectives",
    "/key-results",
    "/checkins",
    "/people",
    "/units",
    "/cycles",
)


def grow(world: World, count: int, first_week: int = 0) -> None:
    """Add `count` objectives with a tag, a parent, a value, an initiative and a check-in week."""
    parent = make_objective(world, world.company, "Company goal")
    for number in range(count):
        objective = make_objective(world, world.member, f"Objective {number}", tags=["content"])
        align_objective(None, objective, parent)
        kr = objective.key_results.get()
        record_key_result_value(None, kr, value=Decimal(81 + number % 10))
        create_initiative(None, kr, title=f"Work {number}")
        record_checkin(
            None,
            person=world.member,
            cycle=world.cycle,
            week=datetime.date(2026, 4, 6) + datetime.timedelta(weeks=first_week + number),
            data=CheckInInput(
                lines={kr.pk: LineInput(value=Decimal(82), confidence="high")}, confidence="high"
            ),
        )


def queries_for(world: World, path: str) -> int:
    api = api_for(world.lead)
    with CaptureQueriesContext(connection) as captured:
        response = api.get(path)
    assert response.status_code == 200, response.content
    return len(captured)


@pytest.mark.parametrize("path", LISTS)
def test_a_list_costs_the_same_for_two_rows_or_eight(world: World, path: str) -> None:
    grow(world, 2)
    few = queries_for(world, path)
    grow(world, 6, first_week=2)
    many = queries_for(world, path)
    assert many == few, f"{path}: {few} queries for a few rows, {many} for more"
