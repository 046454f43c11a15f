"""Key result actions: every shape, target versions, values, bad input, permissions."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from okrflow.audit.models import AuditEntry
from okrflow.okrs.actions import (
    change_key_result_target,
    create_initiative,
    create_key_result,
    record_key_result_value,
    set_initiative_done,
    update_key_result,
)
from okrflow.okrs.models import Initiative, KeyResult, KeyResultValue, TargetVersion
from tests.conftest import World, make_objective


def new_kr(world: World, objective, **fields):  # type: ignore[no-untyped-def]
    fields.setdefault("title", "A key result")
    return create_key_result(world.member.user, objective, **fields).value


@pytest.mark.parametrize(
    ("fields", "expected_target"),
    [
        (
            {"shape": "metric", "start_value": "0", "target_value": "10,000", "unit": "followers"},
            Decimal("10000"),
        ),
        (
            {"shape": "metric", "start_value": 8, "target_value": 5, "direction": "decrease"},
            Decimal("5"),
        ),
        (
            {"shape": "threshold", "target_value": "30", "direction": "at_most", "unit": "minutes"},
            Decimal("30"),
        ),
        ({"shape": "percentage", "start_value": "65", "target_value": "80"}, Decimal("80")),
        (
            {"shape": "currency", "start_value": "0", "target_value": "1500000000"},
            Decimal("1500000000"),
        ),
        (
            {
                "shape": "relative",
                "start_value": "12000",
                "relative_change": "20",
                "baseline_label": "Q1",
            },
            Decimal("14400"),
        ),
        ({"shape": "milestone"}, None),
        ({"shape": "recurring", "per_period": 1, "period": "week"}, None),
    ],
)
def test_every_shape_is_stored_natively(
    world: World, fields: dict, expected_target: Decimal | None
) -> None:
    objective = make_objective(world, world.member)
    kr = new_kr(world, objective, **fields)
    kr.refresh_from_db()
    assert kr.shape == fields["shape"]
    assert kr.target_value == expected_target
    assert kr.due_date == world.cycle.end_date
    assert kr.owner == world.member
    if kr.shape == "currency":
        assert kr.currency == "VND"
    if kr.shape == "percentage":
        assert kr.unit == "%"


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"shape": "metric", "start_value": "5", "target_value": "5"}, "target_value"),
        ({"shape": "metric", "start_value": "1", "target_value": "abc"}, "target_value"),
        ({"shape": "metric", "start_value": "NaN", "target_value": "5"}, "start_value"),
        ({"shape": "metric", "start_value": "1", "target_value": "Infinity"}, "target_value"),
        ({"shape": "metric", "start_value": "1", "target_value": "5", "weight": "0"}, "weight"),
        ({"shape": "metric", "start_value": "1", "target_value": "5", "weight": "-2"}, "weight"),
        (
            {
                "shape": "metric",
                "start_value": "1",
                "target_value": "5",
                "due_date": datetime.date(2026, 7, 1),
            },
            "due_date",
        ),
        (
            {
                "shape": "metric",
                "start_value": "1",
                "target_value": "5",
                "due_date": datetime.date(2026, 3, 31),
            },
            "due_date",
        ),
        ({"shape": "metric", "target_value": "5"}, "start_value"),
        ({"shape": "recurring", "per_period": "0", "period": "week"}, "per_period"),
        ({"shape": "recurring", "per_period": "1.5", "period": "week"}, "per_period"),
        ({"shape": "threshold", "target_value": "30", "direction": "increase"}, "direction"),
        ({"shape": "metric", "start_value": "1", "target_value": "5", "title": ""}, "title"),
    ],
)
def test_bad_key_result_input_is_refused_and_nothing_saved(
    world: World, fields: dict, field: str
) -> None:
    objective = make_objective(world, world.member)
    before = KeyResult.objects.count()
    with pytest.raises(ValidationError) as error:
        new_kr(world, objective, **fields)
    assert field in error.value.message_dict, error.value.message_dict
    assert KeyResult.objects.count() == before


def test_vietnamese_numbers_are_read_in_vietnamese(world: World) -> None:
    from django.utils import translation

    objective = make_objective(world, world.member)
    with translation.override("vi"):
        kr = new_kr(world, objective, shape="metric", start_value="1,5", target_value="10.000")
    assert kr.start_value == Decimal("1.5")
    assert kr.target_value == Decimal("10000")


def test_error_message_in_vietnamese(world: World) -> None:
    from django.utils import translation

    objective = make_objective(world, world.member)
    with translation.override("vi"), pytest.raises(ValidationError) as error:
        new_kr(world, objective, shape="metric", start_value="1", target_value="1", weight="0")
    message = " ".join(error.value.message_dict["weight"])
    assert "lớn hơn 0" in message


@pytest.mark.parametrize(
    ("persona", "allowed"),
    [("admin", True), ("lead", True), ("member", True), ("outsider", False)],
)
def test_who_may_add_a_key_result_to_the_specialists_objective(
    world: World, persona: str, allowed: bool
) -> None:
    objective = make_objective(world, world.member)
    actor = getattr(world, persona).user

    def call():  # type: ignore[no-untyped-def]
        return create_key_result(
            actor,
            objective,
            title="Publish 3 case studies",
            shape="metric",
            start_value=0,
            target_value=3,
        )

    if allowed:
        assert call().value.objective == objective
    else:
        with pytest.raises(PermissionDenied):
            call()
        assert objective.key_results.count() == 1


def test_target_change_keeps_the_old_target_with_reason(world: World) -> None:
    objective = make_objective(world, world.member)
    kr = objective.key_results.get()
    with pytest.raises(ValidationError):
        update_key_result(world.member.user, kr, target_value="99")
    with pytest.raises(ValidationError) as error:
        change_key_result_target(world.member.user, kr, new_target="90", reason="  ")
    assert "reason" in error.value.message_dict
    change_key_result_target(world.member.user, kr, new_target="90", reason="Budget was cut")
    kr.refresh_from_db()
    assert kr.target_value == Decimal("90")
    version = TargetVersion.objects.get(key_result=kr)
    assert (version.old_target, version.new_target, version.reason) == (
        Decimal("95"),
        Decimal("90"),
        "Budget was cut",
    )
    with pytest.raises(ValidationError) as error:
        change_key_result_target(world.member.user, kr, new_target="80", reason="Start equals")
    assert "new_target" in error.value.message_dict
    kr.refresh_from_db()
    assert kr.target_value == Decimal("90")


def test_values_are_appended_and_latest_wins(world: World) -> None:
    objective = make_objective(world, world.member)
    kr = objective.key_results.get()
    record_key_result_value(
        world.member.user, kr, value="85", measured_on=datetime.date(2026, 4, 10)
    )
    record_key_result_value(
        world.member.user, kr, value="88,5", measured_on=datetime.date(2026, 4, 17)
    )
    # A late entry for an earlier week is kept but does not replace the newer value.
    record_key_result_value(world.lead.user, kr, value="84", measured_on=datetime.date(2026, 4, 3))
    kr.refresh_from_db()
    assert kr.current_value == Decimal("88.5")
    assert list(kr.values.values_list("value", flat=True)) == [
        Decimal("84"),
        Decimal("85"),
        Decimal("88.5"),
    ]
    assert AuditEntry.objects.filter(action="record_key_result_value", object_id=kr.pk).count() == 3


@pytest.mark.parametrize("value", ["abc", "NaN", "-Infinity", ""])
def test_bad_value_is_refused(world: World, value: str) -> None:
    objective = make_objective(world, world.member)
    kr = objective.key_results.get()
    with pytest.raises(ValidationError):
        record_key_result_value(world.member.user, kr, value=value)
    assert not KeyResultValue.objects.exists()


def test_outsider_cannot_record_a_value(world: World) -> None:
    kr = make_objective(world, world.member).key_results.get()
    with pytest.raises(PermissionDenied):
        record_key_result_value(world.outsider.user, kr, value="90")
    with pytest.raises(PermissionDenied):
        record_key_result_value(world.sales_head.user, kr, value="90")


def test_milestone_and_recurring_values(world: World) -> None:
    objective = make_objective(world, world.member)
    milestone = new_kr(world, objective, shape="milestone", title="Hold the customer conference")
    recurring = new_kr(
        world, objective, shape="recurring", per_period=1, period="week", title="Weekly newsletter"
    )
    with pytest.raises(ValidationError):
        record_key_result_value(world.member.user, milestone, value="0.5")
    with pytest.raises(ValidationError):
        record_key_result_value(world.member.user, recurring, value="2.5")
    record_key_result_value(world.member.user, milestone, value="1")
    record_key_result_value(world.member.user, recurring, value="4")
    milestone.refresh_from_db()
    recurring.refresh_from_db()
    assert (milestone.current_value, recurring.current_value) == (Decimal("1"), Decimal("4"))


def test_initiatives_do_not_count_as_key_results(world: World) -> None:
    objective = make_objective(world, world.member)
    kr = objective.key_results.get()
    initiative = create_initiative(world.member.user, kr, title="Call 20 churned customers")
    assert objective.key_results.count() == 1
    set_initiative_done(world.member.user, initiative, True)
    initiative.refresh_from_db()
    assert initiative.is_done and initiative.done_at is not None
    with pytest.raises(PermissionDenied):
        set_initiative_done(world.outsider.user, initiative, False)
    with pytest.raises(PermissionDenied):
        create_initiative(world.outsider.user, kr, title="Sneak in")
    with pytest.raises(ValidationError):
        create_initiative(world.member.user, kr, title=" ")
    assert Initiative.objects.count() == 1
