"""Setting OKRs together: propose, agree, send back — and copying and moving."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from okrflow.cycles.actions import create_cycle
from okrflow.okrs.actions import (
    agree_objective,
    duplicate_objective,
    move_key_result,
    propose_objective,
    return_objective,
)
from okrflow.okrs.models import KeyResult, Objective, ObjectiveReview, ObjectiveState
from tests.conftest import World, make_objective


def draft(world: World, owner: object, title: str = "Know our customers") -> Objective:
    return make_objective(world, owner, title, state=ObjectiveState.DRAFT)


def test_member_proposes_and_lead_agrees(world: World) -> None:
    objective = draft(world, world.member)
    propose_objective(world.member.user, objective, "Please review")
    objective.refresh_from_db()
    assert objective.state == ObjectiveState.PROPOSED
    agree_objective(world.lead.user, objective, "Good")
    objective.refresh_from_db()
    assert objective.state == ObjectiveState.ACTIVE
    assert list(
        ObjectiveReview.objects.filter(objective=objective).values_list("decision", flat=True)
    ) == ["proposed", "agreed"]


def test_send_back_needs_a_comment_and_makes_a_draft(world: World) -> None:
    objective = draft(world, world.member)
    propose_objective(world.member.user, objective)
    with pytest.raises(ValidationError):
        return_objective(world.lead.user, objective, "  ")
    return_objective(world.lead.user, objective, "Add a baseline to KR1")
    objective.refresh_from_db()
    assert objective.state == ObjectiveState.DRAFT
    assert ObjectiveReview.objects.filter(
        objective=objective, decision="returned", comment="Add a baseline to KR1"
    ).exists()


@pytest.mark.parametrize(
    ("persona", "allowed"),
    [
        ("admin", True),
        ("lead", True),
        ("ceo", True),
        ("member", False),
        ("outsider", False),
        ("sales_head", False),
    ],
)
def test_who_may_agree_the_specialists_objective(world: World, persona: str, allowed: bool) -> None:
    objective = draft(world, world.member)
    propose_objective(world.member.user, objective)
    actor = getattr(world, persona).user
    if allowed:
        agree_objective(actor, objective)
        objective.refresh_from_db()
        assert objective.state == ObjectiveState.ACTIVE
    else:
        with pytest.raises(PermissionDenied):
            agree_objective(actor, objective)
        objective.refresh_from_db()
        assert objective.state == ObjectiveState.PROPOSED


def test_a_lead_cannot_agree_their_own_unit_objective(world: World) -> None:
    objective = draft(world, world.marketing, "Own the SEO")
    propose_objective(world.lead.user, objective)
    with pytest.raises(PermissionDenied):
        agree_objective(world.lead.user, objective)
    agree_objective(world.ceo.user, objective)
    objective.refresh_from_db()
    assert objective.state == ObjectiveState.ACTIVE


def test_propose_needs_a_draft_with_key_results(world: World) -> None:
    active = make_objective(world, world.member)
    with pytest.raises(ValidationError):
        propose_objective(world.member.user, active)
    from okrflow.okrs.actions import create_objective

    empty = create_objective(
        None, cycle=world.cycle, title="Empty", owner=world.member, state="draft"
    ).value
    with pytest.raises(ValidationError, match="key result"):
        propose_objective(world.member.user, empty)
    with pytest.raises(PermissionDenied):
        propose_objective(world.outsider.user, draft(world, world.member, "Other"))


def test_duplicate_into_next_cycle_shifts_due_dates(world: World) -> None:
    objective = make_objective(world, world.member, tags=["email"])
    kr = objective.key_results.get()
    kr.due_date = datetime.date(2026, 5, 15)
    kr.save()
    next_cycle = create_cycle(
        None,
        name="Q3 2026",
        start_date=datetime.date(2026, 7, 1),
        end_date=datetime.date(2026, 9, 30),
    )
    copy = duplicate_objective(world.member.user, objective, cycle=next_cycle).value
    assert copy.cycle == next_cycle
    assert copy.state == ObjectiveState.DRAFT
    assert [t.name for t in copy.tags.all()] == ["email"]
    copied_kr = copy.key_results.get()
    assert copied_kr.due_date == datetime.date(2026, 8, 14)
    assert copied_kr.current_value is None
    with pytest.raises(PermissionDenied):
        duplicate_objective(world.outsider.user, objective)


def test_move_key_result_within_cycle(world: World) -> None:
    source = make_objective(world, world.member, "Source")
    target = make_objective(world, world.member, "Target")
    kr = source.key_results.get()
    move_key_result(world.member.user, kr, target)
    kr.refresh_from_db()
    assert kr.objective == target
    with pytest.raises(ValidationError):
        move_key_result(world.member.user, kr, target)
    sales = make_objective(world, world.sales, "Sales goal")
    with pytest.raises(PermissionDenied):
        move_key_result(world.member.user, kr, sales)
    assert KeyResult.objects.get(pk=kr.pk).objective == target
