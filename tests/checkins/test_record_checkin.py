"""record_checkin and correct_checkin: drafts, submit, permissions, bad input, corrections."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from okrflow.audit.models import AuditEntry
from okrflow.checkins.actions import correct_checkin, record_checkin
from okrflow.checkins.models import CheckIn, CheckInState, KeyResultCheckIn
from okrflow.cycles.models import CycleState
from okrflow.okrs.models import KeyResultValue
from tests.checkins.conftest import (
    LAST_WEEK,
    WEEK,
    Krs,
    checkin_data,
    submit_member_checkin,
)
from tests.conftest import World, make_objective


def test_submit_records_every_value_as_the_key_results_history(world: World, krs: Krs) -> None:
    checkin = submit_member_checkin(world, krs)
    checkin.refresh_from_db()
    assert checkin.state == CheckInState.SUBMITTED
    assert checkin.submitted_at is not None
    assert checkin.week == WEEK
    assert checkin.confidence == Decimal("0.90")
    assert checkin.obstacles == "The designer is on leave"
    for kr, expected in zip(krs.all, ("3000", "52", "1", "6"), strict=True):
        kr.refresh_from_db()
        assert kr.current_value == Decimal(expected)
        latest = kr.values.order_by("-id").first()
        assert latest.source == KeyResultValue.Source.CHECKIN
        assert latest.measured_on == datetime.date(2026, 5, 13)
    lines = KeyResultCheckIn.objects.filter(checkin=checkin)
    assert lines.count() == 4
    assert all(line.value_record_id and line.confidence == Decimal("0.90") for line in lines)
    assert AuditEntry.objects.filter(action="submit_checkin", object_id=checkin.pk).exists()


def test_draft_changes_until_submitted_and_records_no_value(world: World, krs: Krs) -> None:
    before = KeyResultValue.objects.count()
    draft = record_checkin(
        world.member.user,
        person=world.member,
        cycle=world.cycle,
        week=WEEK,
        data=checkin_data(krs.all, ["2,800", "", "0", ""], confidence=None),
        submit=False,
    )
    assert draft.state == CheckInState.DRAFT
    assert KeyResultValue.objects.count() == before
    again = record_checkin(
        world.member.user,
        person=world.member,
        cycle=world.cycle,
        week=WEEK,
        data=checkin_data(krs.all, ["2,900", "50", "0", "5"], confidence="medium"),
        submit=False,
    )
    assert again.pk == draft.pk
    assert draft.lines.get(key_result=krs.followers).value == Decimal("2900")
    submitted = submit_member_checkin(world, krs)
    assert submitted.pk == draft.pk
    assert CheckIn.objects.count() == 1
    assert KeyResultValue.objects.count() == before + 4


@pytest.mark.parametrize(
    ("persona", "allowed"),
    [("admin", True), ("lead", True), ("member", True), ("outsider", False), ("sales_head", False)],
)
def test_who_may_check_in_for_the_specialist(
    world: World, krs: Krs, persona: str, allowed: bool
) -> None:
    actor = getattr(world, persona).user

    def run() -> CheckIn:
        return record_checkin(
            actor,
            person=world.member,
            cycle=world.cycle,
            week=WEEK,
            data=checkin_data(krs.all, ["3000", "52", "1", "6"]),
        )

    if allowed:
        assert run().submitted_by == actor
    else:
        with pytest.raises(PermissionDenied):
            run()
        assert not CheckIn.objects.exists()


def test_member_cannot_check_in_for_their_manager(world: World, krs: Krs) -> None:
    make_objective(world, world.lead, "Lead the team")
    with pytest.raises(PermissionDenied):
        record_checkin(
            world.member.user,
            person=world.lead,
            cycle=world.cycle,
            week=WEEK,
            data=checkin_data([], []),
        )


@pytest.mark.parametrize(
    ("index", "value", "message"),
    [
        (0, "many", "is not a number"),
        (0, "NaN", "finite"),
        (1, "-5", "percentage cannot be negative"),
        (2, "2", "either done or not done"),
        (3, "1,5", "whole number"),
        (3, "-1", "whole number"),
        (0, "", "Enter this week's value"),
    ],
)
def test_a_value_of_the_wrong_type_saves_nothing(
    world: World, krs: Krs, index: int, value: str, message: str
) -> None:
    values = ["3000", "52", "1", "6"]
    values[index] = value
    before = KeyResultValue.objects.count()
    with pytest.raises(ValidationError) as caught:
        submit_member_checkin(world, krs, values)
    field = f"kr-{krs.all[index].pk}-value"
    assert message in " ".join(caught.value.message_dict[field])
    assert not CheckIn.objects.exists()
    assert KeyResultValue.objects.count() == before


def test_every_bad_field_is_named_at_once(world: World, krs: Krs) -> None:
    data = checkin_data(krs.all, ["x", "52", "3", "6"], confidence=None)
    data.progress = "p" * 5001
    with pytest.raises(ValidationError) as caught:
        record_checkin(
            world.member.user, person=world.member, cycle=world.cycle, week=WEEK, data=data
        )
    fields = set(caught.value.message_dict)
    assert {
        f"kr-{krs.followers.pk}-value",
        f"kr-{krs.hire.pk}-value",
        f"kr-{krs.open_rate.pk}-confidence",
        "confidence",
        "progress",
    } <= fields


def test_confidence_must_be_a_level_or_a_probability(world: World, krs: Krs) -> None:
    with pytest.raises(ValidationError) as caught:
        submit_member_checkin(world, krs)  # fine
        data = checkin_data(krs.all, ["1", "1", "1", "1"], confidence="sure")
        record_checkin(
            world.member.user, person=world.member, cycle=world.cycle, week=LAST_WEEK, data=data
        )
    assert "confidence" in caught.value.message_dict


def test_a_second_check_in_for_the_same_week_is_refused(world: World, krs: Krs) -> None:
    submit_member_checkin(world, krs)
    with pytest.raises(ValidationError) as caught:
        submit_member_checkin(world, krs, ["4000", "55", "1", "7"])
    assert "already submitted" in caught.value.messages[0]
    assert CheckIn.objects.count() == 1
    krs.followers.refresh_from_db()
    assert krs.followers.current_value == Decimal("3000")


@pytest.mark.parametrize("state", [CycleState.CLOSED, CycleState.DRAFT])
def test_no_check_in_on_a_closed_or_unstarted_cycle(world: World, krs: Krs, state: str) -> None:
    world.cycle.state = state
    world.cycle.save()
    with pytest.raises(ValidationError) as caught:
        submit_member_checkin(world, krs)
    assert "Q2 2026" in caught.value.messages[0]
    assert not CheckIn.objects.exists()


def test_someone_elses_key_result_is_refused_and_nothing_saved(world: World, krs: Krs) -> None:
    sales = make_objective(world, world.sales_head, "Renew contracts")
    stranger = sales.key_results.get()
    before = KeyResultValue.objects.count()
    with pytest.raises(PermissionDenied) as caught:
        record_checkin(
            world.member.user,
            person=world.member,
            cycle=world.cycle,
            week=WEEK,
            data=checkin_data([*krs.all, stranger], ["3000", "52", "1", "6", "99"]),
        )
    assert "Raise retention" in str(caught.value)
    assert not CheckIn.objects.exists()
    assert KeyResultValue.objects.count() == before


def test_the_week_must_be_a_started_week_of_the_cycle(world: World, krs: Krs) -> None:
    for week, message in (
        (datetime.date(2026, 5, 18), "not started"),
        (datetime.date(2026, 5, 12), "not part of the cycle"),
        (datetime.date(2026, 7, 6), "not part of the cycle"),
    ):
        with pytest.raises(ValidationError) as caught:
            submit_member_checkin(world, krs, week=week)
        assert message in caught.value.message_dict["week"][0]


def test_late_check_in_for_last_week(world: World, krs: Krs) -> None:
    checkin = submit_member_checkin(world, krs, week=LAST_WEEK)
    assert checkin.week == LAST_WEEK


def test_messages_follow_the_language(world: World, krs: Krs) -> None:
    with translation.override("vi"), pytest.raises(ValidationError) as caught:
        submit_member_checkin(world, krs, ["abc", "52", "1", "6"])
    assert "abc" in caught.value.message_dict[f"kr-{krs.followers.pk}-value"][0]


def test_correction_is_a_new_entry_and_the_original_stays(world: World, krs: Krs) -> None:
    original = submit_member_checkin(world, krs, ["3000", "52", "0", "6"])
    correction = correct_checkin(
        world.member.user,
        original,
        data=checkin_data(krs.all, ["3100", "52", "0", "6"], obstacles="None left"),
    )
    original.refresh_from_db()
    assert original.lines.get(key_result=krs.followers).value == Decimal("3000")
    assert original.obstacles == "The designer is on leave"
    assert correction.corrects == original
    assert correction.week == original.week
    assert correction.obstacles == "None left"
    krs.followers.refresh_from_db()
    assert krs.followers.current_value == Decimal("3100")
    # Unchanged lines reuse the recorded value; the changed one adds a corrected value.
    assert (
        correction.lines.get(key_result=krs.open_rate).value_record_id
        == original.lines.get(key_result=krs.open_rate).value_record_id
    )
    assert krs.followers.values.filter(source="checkin").count() == 2
    assert list(CheckIn.objects.effective()) == [correction]
    with pytest.raises(ValidationError):
        correct_checkin(
            world.member.user, original, data=checkin_data(krs.all, ["1", "1", "1", "1"])
        )


@pytest.mark.parametrize(
    ("persona", "allowed"),
    [("admin", True), ("lead", True), ("member", True), ("outsider", False), ("teammate", False)],
)
def test_who_may_correct(world: World, krs: Krs, persona: str, allowed: bool) -> None:
    original = submit_member_checkin(world, krs)
    actor = getattr(world, persona).user
    data = checkin_data(krs.all, ["3,050", "52", "1", "6"])
    if allowed:
        assert correct_checkin(actor, original, data=data).submitted_by == actor
    else:
        with pytest.raises(PermissionDenied):
            correct_checkin(actor, original, data=data)
        assert CheckIn.objects.count() == 1


def test_correction_needs_rights_and_an_open_cycle(world: World, krs: Krs) -> None:
    original = submit_member_checkin(world, krs)
    with pytest.raises(PermissionDenied):
        correct_checkin(world.outsider.user, original, data=checkin_data(krs.all, ["1"] * 4))
    world.cycle.state = CycleState.CLOSED
    world.cycle.save()
    with pytest.raises(ValidationError):
        correct_checkin(world.member.user, original, data=checkin_data(krs.all, ["1"] * 4))
    assert CheckIn.objects.count() == 1


def test_a_draft_cannot_be_corrected(world: World, krs: Krs) -> None:
    draft = record_checkin(
        world.member.user,
        person=world.member,
        cycle=world.cycle,
        week=WEEK,
        data=checkin_data(krs.all, ["1", "1", "1", "1"]),
        submit=False,
    )
    with pytest.raises(ValidationError):
        correct_checkin(world.member.user, draft, data=checkin_data(krs.all, ["1"] * 4))


def test_unit_lead_checks_in_on_the_units_key_results_too(world: World, krs: Krs) -> None:
    department = make_objective(world, world.marketing, "Own the SEO")
    department_kr = department.key_results.get()
    department_kr.owner = world.member
    department_kr.save()
    from okrflow.checkins.scope import key_results_for

    assert department_kr in key_results_for(world.lead, world.cycle)
    assert department_kr in key_results_for(world.member, world.cycle)
    assert department_kr not in key_results_for(world.teammate, world.cycle)
