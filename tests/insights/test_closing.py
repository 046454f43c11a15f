"""Closing a cycle: hand-checked grades, frozen values, a read-only cycle, reflections, carry-over."""

from __future__ import annotations

import datetime
import io
import json
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command

from okrflow.audit.models import AuditEntry
from okrflow.cycles.actions import create_cycle
from okrflow.cycles.models import CycleState
from okrflow.insights.actions import carry_over_objective, close_cycle, save_reflection
from okrflow.insights.models import CarryOver, KeyResultGrade, ObjectiveGrade, Reflection
from okrflow.okrs.actions import (
    change_key_result_target,
    create_initiative,
    create_key_result,
    record_key_result_value,
    update_key_result,
    update_objective,
)
from okrflow.okrs.models import Objective
from tests.conftest import World
from tests.insights.conftest import objective_with

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def graded(world: World):  # type: ignore[no-untyped-def]
    """A committed and an aspirational objective with final values, as in test_grading."""
    committed, (followers, survey, newsletter) = objective_with(
        world,
        world.marketing,
        "Grow the channels",
        [
            {"title": "Followers", "start_value": 0, "target_value": 10000, "weight": 2},
            {"title": "Survey done", "shape": "milestone"},
            {
                "title": "Newsletter every week",
                "shape": "recurring",
                "per_period": 1,
                "period": "week",
            },
        ],
    )
    record_key_result_value(None, followers, value=8000)
    record_key_result_value(None, survey, value=1)
    record_key_result_value(None, newsletter, value=10)
    stretch, (open_rate,) = objective_with(
        world,
        world.member,
        "Emails people open",
        [{"title": "Open rate", "shape": "percentage", "start_value": 55, "target_value": 70}],
        kind="aspirational",
    )
    record_key_result_value(None, open_rate, value=66)
    return committed, stretch, followers, open_rate


def test_closing_scores_by_hand_and_freezes(world: World, graded) -> None:  # type: ignore[no-untyped-def]
    committed, stretch, followers, _open_rate = graded
    result = close_cycle(world.admin.user, world.cycle)
    world.cycle.refresh_from_db()
    assert world.cycle.state == CycleState.CLOSED
    # (0.80 * 2 + 1.00 + 0.76) / 4 = 0.84; committed needs 1.0.
    grade = ObjectiveGrade.objects.get(objective=committed)
    assert (grade.score, grade.band, grade.success) == (D("0.84"), "green", False)
    # (66 - 55) / 15 = 0.733 -> 0.73; aspirational succeeds at 0.7.
    stretch_grade = ObjectiveGrade.objects.get(objective=stretch)
    assert (stretch_grade.score, stretch_grade.success) == (D("0.73"), True)
    kr_grade = KeyResultGrade.objects.get(key_result=followers)
    assert (kr_grade.final_value, kr_grade.target_used, kr_grade.score) == (
        D(8000),
        D(10000),
        D("0.80"),
    )
    assert result.successes == 1 and len(result.grades) == 2
    assert AuditEntry.objects.filter(action="close_cycle", object_id=world.cycle.pk).exists()


def test_a_closed_cycle_refuses_every_change(world: World, graded) -> None:  # type: ignore[no-untyped-def]
    committed, _, followers, _ = graded
    close_cycle(None, world.cycle)
    attempts = [
        lambda: record_key_result_value(world.admin.user, followers, value=9000),
        lambda: update_objective(world.admin.user, committed, title="Changed"),
        lambda: update_key_result(world.admin.user, followers, title="Changed"),
        lambda: change_key_result_target(
            world.admin.user, followers, new_target=9000, reason="late"
        ),
        lambda: create_key_result(
            world.admin.user, committed, title="Late KR", start_value=0, target_value=1
        ),
        lambda: create_initiative(world.admin.user, followers, title="Late work"),
    ]
    for attempt in attempts:
        with pytest.raises(ValidationError, match="closed"):
            attempt()
    followers.refresh_from_db()
    committed.refresh_from_db()
    assert followers.current_value == D(8000) and committed.title == "Grow the channels"


def test_only_an_admin_closes_and_only_once(world: World, graded) -> None:  # type: ignore[no-untyped-def]
    for persona in (world.lead, world.member, world.outsider):
        with pytest.raises(PermissionDenied):
            close_cycle(persona.user, world.cycle)
    world.cycle.refresh_from_db()
    assert world.cycle.state == CycleState.ACTIVE and not ObjectiveGrade.objects.exists()
    close_cycle(world.admin.user, world.cycle)
    with pytest.raises(ValidationError, match="already closed"):
        close_cycle(world.admin.user, world.cycle)


def test_a_dry_run_grades_without_writing(world: World, graded) -> None:  # type: ignore[no-untyped-def]
    result = close_cycle(None, world.cycle, dry_run=True)
    world.cycle.refresh_from_db()
    assert result.dry_run and len(result.grades) == 2
    assert world.cycle.state == CycleState.ACTIVE
    assert not ObjectiveGrade.objects.exists() and not KeyResultGrade.objects.exists()


def test_grading_on_the_original_target(world: World, graded) -> None:  # type: ignore[no-untyped-def]
    _committed, _, followers, _ = graded
    change_key_result_target(None, followers, new_target=8000, reason="Budget cut in May")
    close_cycle(None, world.cycle, use_original_targets=True)
    grade = KeyResultGrade.objects.get(key_result=followers)
    assert (grade.target_used, grade.score) == (D(10000), D("0.80"))


def test_grading_on_the_revised_target(world: World, graded) -> None:  # type: ignore[no-untyped-def]
    _, _, followers, _ = graded
    change_key_result_target(None, followers, new_target=8000, reason="Budget cut in May")
    close_cycle(None, world.cycle)
    grade = KeyResultGrade.objects.get(key_result=followers)
    assert (grade.target_used, grade.score) == (D(8000), D("1.00"))


def test_close_cycle_command(world: World, graded) -> None:  # type: ignore[no-untyped-def]
    out = io.StringIO()
    call_command("close-cycle", "Q2 2026", "--dry-run", "--json", stdout=out)
    data = json.loads(out.getvalue())
    assert data["dry_run"] is True and data["objectives"] == 2
    assert {g["score"] for g in data["grades"]} == {"0.84", "0.73"}
    world.cycle.refresh_from_db()
    assert world.cycle.state == CycleState.ACTIVE
    out = io.StringIO()
    call_command("close-cycle", "q2 2026", stdout=out)
    assert "Closed Q2 2026: 2 objectives" in out.getvalue()
    with pytest.raises(CommandError):
        call_command("close-cycle", "Q2 2026", stdout=io.StringIO())
    with pytest.raises(CommandError, match="No cycle"):
        call_command("close-cycle", "Q9 1999", stdout=io.StringIO())


def test_reflections_are_written_by_those_who_may_edit(world: World, graded) -> None:  # type: ignore[no-untyped-def]
    _, stretch, _, _ = graded  # owned by the member
    close_cycle(None, world.cycle)
    with pytest.raises(PermissionDenied):
        save_reflection(world.teammate.user, stretch, went_well="x", went_badly="", lessons="")
    with pytest.raises(ValidationError):
        save_reflection(world.member.user, stretch, went_well=" ", went_badly="", lessons="")
    reflection = save_reflection(
        world.member.user,
        stretch,
        went_well="Subject lines tested weekly",
        went_badly="",
        lessons="Start A/B tests earlier",
    )
    assert reflection.version == 1
    save_reflection(
        world.lead.user,
        stretch,
        went_well="Edited by the lead",
        went_badly="",
        lessons="",
        expected_version=1,
    )
    with pytest.raises(ValidationError, match="Someone else"):
        save_reflection(
            world.member.user,
            stretch,
            went_well="stale",
            went_badly="",
            lessons="",
            expected_version=1,
        )
    reflection.refresh_from_db()
    assert (reflection.went_well, reflection.version) == ("Edited by the lead", 2)
    assert Reflection.objects.count() == 1


def test_carry_over_copies_what_remains(world: World, graded) -> None:  # type: ignore[no-untyped-def]
    committed, _, _followers, _ = graded
    next_cycle = create_cycle(
        None,
        name="Q3 2026",
        start_date=datetime.date(2026, 7, 1),
        end_date=datetime.date(2026, 9, 30),
    )
    with pytest.raises(ValidationError, match="Close the cycle"):
        carry_over_objective(world.lead.user, committed, cycle=next_cycle)
    close_cycle(None, world.cycle)
    with pytest.raises(PermissionDenied):
        carry_over_objective(world.member.user, committed, cycle=next_cycle)
    link = carry_over_objective(world.lead.user, committed, cycle=next_cycle)
    copy = Objective.objects.get(pk=link.copy_id)
    assert (copy.cycle, copy.title, copy.state, copy.owner_unit) == (
        next_cycle,
        "Grow the channels",
        "draft",
        world.marketing,
    )
    krs = list(copy.key_results.order_by("position"))
    # The survey is done, so only the followers (from 8,000) and the newsletter carry over.
    assert [(kr.title, kr.start_value, kr.target_value) for kr in krs] == [
        ("Followers", D(8000), D(10000)),
        ("Newsletter every week", None, None),
    ]
    assert all(next_cycle.contains(kr.due_date) for kr in krs)
    assert CarryOver.objects.get(source=committed).copy == copy
    with pytest.raises(ValidationError, match="already"):
        carry_over_objective(world.lead.user, committed, cycle=next_cycle)
