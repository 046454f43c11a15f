"""Alignment across nested cycles: a month objective may serve its quarter's (or year's)
objective, never one of an unrelated cycle; pages and progress follow such links."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from okrflow.audit.models import AuditEntry
from okrflow.cycles.actions import create_cycle
from okrflow.cycles.models import Cycle, CycleKind
from okrflow.okrs.actions import (
    align_objective,
    create_key_result,
    create_objective,
    record_key_result_value,
)
from okrflow.okrs.actions.copying import duplicate_objective
from okrflow.okrs.measure import load_objectives, measure_objectives
from okrflow.okrs.models import Alignment, Objective
from okrflow.org.models import Organisation, Person
from tests.conftest import PASSWORD, World, make_objective

MID_MAY = datetime.datetime(2026, 5, 15, 10, tzinfo=datetime.UTC)


def signed_in(client: Client, world: World, persona: str) -> Client:
    assert client.login(username=getattr(world, persona).user.username, password=PASSWORD)
    return client


def may(world: World) -> Cycle:
    return create_cycle(
        None,
        name="May 2026",
        kind=CycleKind.MONTH,
        start_date=datetime.date(2026, 5, 1),
        end_date=datetime.date(2026, 5, 31),
        parent=world.cycle,
    )


def third_quarter() -> Cycle:
    return create_cycle(
        None,
        name="Q3 2026",
        start_date=datetime.date(2026, 7, 1),
        end_date=datetime.date(2026, 9, 30),
    )


def objective_in(cycle: Cycle, owner: object, title: str) -> Objective:
    objective = create_objective(None, cycle=cycle, title=title, owner=owner).value
    create_key_result(
        None,
        objective,
        title="Publish 10 posts",
        shape="metric",
        start_value=Decimal("0"),
        target_value=Decimal("10"),
        owner=owner if isinstance(owner, Person) else Person.objects.get(user__username="ceo"),
    )
    return objective


@pytest.fixture
def month_and_quarter(world: World) -> tuple[Objective, Objective]:
    quarter_objective = make_objective(world, world.marketing, "Grow organic traffic")
    month_objective = objective_in(may(world), world.member, "Ship the May blog series")
    return month_objective, quarter_objective


def test_a_month_objective_aligns_to_its_quarter_objective_from_the_page(
    client: Client, world: World, month_and_quarter: tuple[Objective, Objective]
) -> None:
    month_objective, quarter_objective = month_and_quarter
    signed_in(client, world, "member")
    url = reverse("objective_align", args=[month_objective.pk])
    page = client.get(url, {"q": "organic"})
    assert [o.pk for group in page.context["results"] for o in group.objectives] == [
        quarter_objective.pk
    ]
    assert "Q2 2026" in page.content.decode()  # the candidate is labelled with its cycle
    response = client.post(url, {"parent": quarter_objective.pk, "primary": "1", "weight": "2"})
    assert response.status_code == 302
    link = Alignment.objects.get(child=month_objective)
    assert (link.parent_id, link.weight) == (quarter_objective.pk, Decimal("2"))
    assert AuditEntry.objects.filter(action="align_objective", object_id=link.pk).count() == 1


def test_the_picker_offers_this_cycle_first_then_the_cycles_around_it(
    client: Client, world: World, month_and_quarter: tuple[Objective, Objective]
) -> None:
    month_objective, quarter_objective = month_and_quarter
    sibling = objective_in(month_objective.cycle, world.marketing, "May campaign")
    unrelated = objective_in(third_quarter(), world.marketing, "Q3 campaign")
    signed_in(client, world, "admin")
    page = client.get(reverse("objective_align", args=[month_objective.pk]))
    offered = [o.pk for group in page.context["results"] for o in group.objectives]
    assert offered[0] == sibling.pk
    assert quarter_objective.pk in offered
    assert unrelated.pk not in offered


def test_an_objective_of_an_unrelated_cycle_is_refused(
    client: Client, world: World, month_and_quarter: tuple[Objective, Objective]
) -> None:
    month_objective, _quarter_objective = month_and_quarter
    unrelated = objective_in(third_quarter(), world.marketing, "Q3 campaign")
    signed_in(client, world, "admin")
    response = client.post(
        reverse("objective_align", args=[month_objective.pk]),
        {"parent": unrelated.pk, "primary": "1", "weight": "1"},
    )
    assert response.status_code == 200
    assert "which does not hold" in response.context["error"]
    assert not Alignment.objects.filter(child=month_objective).exists()


def test_a_quarter_objective_cannot_serve_a_month_objective(
    world: World, month_and_quarter: tuple[Objective, Objective]
) -> None:
    month_objective, quarter_objective = month_and_quarter
    with pytest.raises(ValidationError, match="which does not hold"):
        align_objective(None, quarter_objective, month_objective)


def test_a_quarter_objective_aligns_to_its_year_objective(world: World) -> None:
    year = create_cycle(
        None,
        name="2027",
        kind=CycleKind.YEAR,
        start_date=datetime.date(2027, 1, 1),
        end_date=datetime.date(2027, 12, 31),
    )
    quarter = create_cycle(
        None,
        name="Q1 2027",
        start_date=datetime.date(2027, 1, 1),
        end_date=datetime.date(2027, 3, 31),
        parent=year,
    )
    month = create_cycle(
        None,
        name="January 2027",
        kind=CycleKind.MONTH,
        start_date=datetime.date(2027, 1, 1),
        end_date=datetime.date(2027, 1, 31),
        parent=quarter,
    )
    year_objective = objective_in(year, world.company, "Become the reference brand")
    quarter_objective = objective_in(quarter, world.marketing, "Launch the brand book")
    month_objective = objective_in(month, world.member, "Draft the brand book")
    align_objective(None, quarter_objective, year_objective)
    align_objective(None, month_objective, year_objective, primary=False)
    assert set(Alignment.objects.values_list("child_id", "parent_id")) == {
        (quarter_objective.pk, year_objective.pk),
        (month_objective.pk, year_objective.pk),
    }


def test_pages_show_a_parent_in_another_cycle(
    client: Client, world: World, month_and_quarter: tuple[Objective, Objective]
) -> None:
    month_objective, quarter_objective = month_and_quarter
    align_objective(None, month_objective, quarter_objective)
    signed_in(client, world, "admin")
    child_page = client.get(reverse("objective_detail", args=[month_objective.pk]))
    assert child_page.status_code == 200
    assert [link.parent_id for link in child_page.context["report"].parent_links] == [
        quarter_objective.pk
    ]
    assert "Grow organic traffic" in child_page.content.decode()
    parent_page = client.get(reverse("objective_detail", args=[quarter_objective.pk]))
    assert [link.child_id for link in parent_page.context["children"]] == [month_objective.pk]
    assert "May 2026" in parent_page.content.decode()
    for cycle in (month_objective.cycle, world.cycle):
        tree = client.get(reverse("company_tree"), {"cycle": cycle.pk})
        assert tree.status_code == 200
    month_tree = client.get(reverse("company_tree"), {"cycle": month_objective.cycle_id})
    detached = [row.report.objective.pk for row in month_tree.context["tree"].detached]
    assert month_objective.pk in detached  # drawn under "aligned outside this view"


@pytest.mark.parametrize("roll_up", [False, True])
def test_a_month_child_counts_in_its_quarter_parent_progress_when_asked(
    world: World, month_and_quarter: tuple[Objective, Objective], roll_up: bool
) -> None:
    Organisation.objects.update(include_children_in_progress=roll_up)
    month_objective, quarter_objective = month_and_quarter
    align_objective(None, month_objective, quarter_objective)
    with time_machine.travel(MID_MAY, tick=False):
        record_key_result_value(None, month_objective.key_results.get(), value="10")
        loaded = load_objectives(Objective.objects.filter(cycle=world.cycle))
        reports = measure_objectives(loaded, MID_MAY.date(), Organisation.current())
    quarter = next(r for r in reports if r.objective.pk == quarter_objective.pk)
    # Its own key result has no value yet (0%); the month child is done (100%).
    assert quarter.progress == (0.5 if roll_up else 0.0)
    assert [r.objective.pk for r in reports] == [quarter_objective.pk]


def test_a_copy_into_the_next_month_keeps_its_quarter_parent(
    world: World, month_and_quarter: tuple[Objective, Objective]
) -> None:
    month_objective, quarter_objective = month_and_quarter
    align_objective(None, month_objective, quarter_objective)
    june = create_cycle(
        None,
        name="June 2026",
        kind=CycleKind.MONTH,
        start_date=datetime.date(2026, 6, 1),
        end_date=datetime.date(2026, 6, 30),
        parent=world.cycle,
    )
    copy = duplicate_objective(None, month_objective, cycle=june).value
    assert list(Alignment.objects.filter(child=copy).values_list("parent_id", flat=True)) == [
        quarter_objective.pk
    ]
