"""Comments, recognition, the 1:1 actions and reminder pauses: success and who is refused."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from okrflow.audit.models import AuditEntry
from okrflow.checkins.actions import (
    agree_action,
    comment_on_checkin,
    end_one_on_one,
    pause_reminders,
    recognise_checkin,
    record_checkin,
    save_meeting_notes,
)
from okrflow.checkins.models import (
    AgreedAction,
    CheckInFeedback,
    CheckinPreference,
    FeedbackKind,
    MeetingNote,
    OneOnOne,
)
from okrflow.cycles.models import CycleState
from okrflow.okrs.models import Initiative
from tests.checkins.conftest import WEEK, Krs, checkin_data, submit_member_checkin
from tests.conftest import World

NEXT_FRIDAY = datetime.date(2026, 5, 22)


@pytest.mark.parametrize(
    ("persona", "allowed"),
    [("admin", True), ("lead", True), ("member", True), ("outsider", False), ("teammate", False)],
)
def test_who_may_comment(world: World, krs: Krs, persona: str, allowed: bool) -> None:
    checkin = submit_member_checkin(world, krs)
    actor = getattr(world, persona)
    if allowed:
        comment = comment_on_checkin(actor.user, checkin, body="  Good week  ")
        assert comment.body == "Good week"
        assert comment.author == actor
        assert AuditEntry.objects.filter(action="checkin_comment").exists()
    else:
        with pytest.raises(PermissionDenied):
            comment_on_checkin(actor.user, checkin, body="Hello")
        assert not CheckInFeedback.objects.exists()


@pytest.mark.parametrize(
    ("persona", "allowed"),
    [("admin", True), ("lead", True), ("member", False), ("outsider", False)],
)
def test_only_managers_recognise(world: World, krs: Krs, persona: str, allowed: bool) -> None:
    checkin = submit_member_checkin(world, krs)
    actor = getattr(world, persona)
    if allowed:
        recognition = recognise_checkin(actor.user, checkin)
        assert recognition.kind == FeedbackKind.RECOGNITION
        assert recognition.body == "Well done!"
    else:
        with pytest.raises(PermissionDenied):
            recognise_checkin(actor.user, checkin)
        assert not CheckInFeedback.objects.exists()


def test_feedback_bad_input(world: World, krs: Krs) -> None:
    checkin = submit_member_checkin(world, krs)
    with pytest.raises(ValidationError) as caught:
        comment_on_checkin(world.lead.user, checkin, body="   ")
    assert "body" in caught.value.message_dict
    with pytest.raises(ValidationError):
        recognise_checkin(world.lead.user, checkin, body="x" * 281)
    draft = record_checkin(
        world.member.user,
        person=world.member,
        cycle=world.cycle,
        week=datetime.date(2026, 5, 4),
        data=checkin_data(krs.all, ["1", "1", "1", "1"]),
        submit=False,
    )
    with pytest.raises(ValidationError):
        recognise_checkin(world.lead.user, draft)
    world.cycle.state = CycleState.CLOSED
    world.cycle.save()
    with pytest.raises(ValidationError):
        comment_on_checkin(world.lead.user, checkin, body="Late words")
    assert not CheckInFeedback.objects.exists()


def test_system_feedback_needs_an_author(world: World, krs: Krs) -> None:
    checkin = submit_member_checkin(world, krs)
    assert comment_on_checkin(None, checkin, body="Hi", author=world.lead).author == world.lead
    with pytest.raises(ValueError):
        comment_on_checkin(None, checkin, body="Hi")


@pytest.mark.parametrize(
    ("persona", "allowed"),
    [("admin", True), ("lead", True), ("member", True), ("outsider", False)],
)
def test_who_takes_part_in_the_one_on_one(
    world: World, krs: Krs, persona: str, allowed: bool
) -> None:
    actor = getattr(world, persona).user

    def run() -> OneOnOne:
        return save_meeting_notes(
            actor,
            person=world.member,
            cycle=world.cycle,
            week=WEEK,
            notes="Talked about the budget",
            kr_notes={krs.followers.pk: "Ask sales for leads"},
        )

    if allowed:
        meeting = run()
        assert meeting.phase == "during"
        assert meeting.manager == world.lead
        assert MeetingNote.objects.get(meeting=meeting).body == "Ask sales for leads"
    else:
        with pytest.raises(PermissionDenied):
            run()
        assert not OneOnOne.objects.exists()


def test_notes_change_until_the_meeting_ends_and_empty_notes_go(world: World, krs: Krs) -> None:
    meeting = save_meeting_notes(
        world.lead.user,
        person=world.member,
        cycle=world.cycle,
        week=WEEK,
        kr_notes={krs.followers.pk: "First"},
    )
    save_meeting_notes(
        world.member.user,
        person=world.member,
        cycle=world.cycle,
        week=WEEK,
        notes="Second",
        kr_notes={krs.followers.pk: ""},
    )
    meeting.refresh_from_db()
    assert meeting.notes == "Second"
    assert not MeetingNote.objects.exists()
    with pytest.raises(PermissionDenied):
        save_meeting_notes(
            world.lead.user,
            person=world.member,
            cycle=world.cycle,
            week=WEEK,
            kr_notes={999999: "not theirs"},
        )


@pytest.mark.parametrize(
    ("persona", "allowed"),
    [("admin", True), ("lead", True), ("member", True), ("outsider", False)],
)
def test_agreed_action_becomes_an_initiative(
    world: World, krs: Krs, persona: str, allowed: bool
) -> None:
    meeting = save_meeting_notes(world.lead.user, person=world.member, cycle=world.cycle, week=WEEK)
    actor = getattr(world, persona).user
    if not allowed:
        with pytest.raises(PermissionDenied):
            agree_action(
                actor,
                meeting,
                key_result=krs.followers,
                title="Book two influencers",
                owner=world.member,
                due_date=NEXT_FRIDAY,
            )
        assert not Initiative.objects.exists()
        return
    action = agree_action(
        actor,
        meeting,
        key_result=krs.followers,
        title="Book two influencers",
        owner=world.member,
        due_date=NEXT_FRIDAY,
    )
    initiative = Initiative.objects.get(pk=action.initiative_id)
    assert (initiative.key_result, initiative.owner, initiative.due_date) == (
        krs.followers,
        world.member,
        NEXT_FRIDAY,
    )
    assert AuditEntry.objects.filter(action="agree_action").exists()


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"title": ""}, "title"),
        ({"due_date": None}, "due_date"),
        ({"due_date": datetime.date(2026, 5, 1)}, "due_date"),
        ({"owner": "outsider"}, "owner"),
    ],
)
def test_agreed_action_bad_input_saves_nothing(
    world: World, krs: Krs, fields: dict, field: str
) -> None:
    meeting = save_meeting_notes(world.lead.user, person=world.member, cycle=world.cycle, week=WEEK)
    values = {"title": "Do it", "owner": world.member, "due_date": NEXT_FRIDAY} | fields
    if values["owner"] == "outsider":
        values["owner"] = world.outsider
    with pytest.raises(ValidationError) as caught:
        agree_action(world.lead.user, meeting, key_result=krs.followers, **values)
    assert field in caught.value.message_dict
    assert not Initiative.objects.exists()
    assert not AgreedAction.objects.exists()


def test_agreed_action_refused_for_strangers_and_other_key_results(world: World, krs: Krs) -> None:
    from tests.conftest import make_objective

    meeting = save_meeting_notes(world.lead.user, person=world.member, cycle=world.cycle, week=WEEK)
    with pytest.raises(PermissionDenied):
        agree_action(
            world.outsider.user,
            meeting,
            key_result=krs.followers,
            title="x",
            owner=world.member,
            due_date=NEXT_FRIDAY,
        )
    other = make_objective(world, world.sales_head, "Sell more").key_results.get()
    with pytest.raises(PermissionDenied):
        agree_action(
            world.lead.user,
            meeting,
            key_result=other,
            title="x",
            owner=world.member,
            due_date=NEXT_FRIDAY,
        )


@pytest.mark.parametrize(
    ("persona", "allowed"),
    [("admin", True), ("lead", True), ("member", False), ("outsider", False)],
)
def test_the_manager_ends_the_one_on_one(
    world: World, krs: Krs, persona: str, allowed: bool
) -> None:
    meeting = save_meeting_notes(
        world.member.user, person=world.member, cycle=world.cycle, week=WEEK
    )
    actor = getattr(world, persona).user
    if allowed:
        ended = end_one_on_one(actor, meeting, next_checkin_on=NEXT_FRIDAY)
        assert ended.phase == "after"
        assert ended.next_checkin_on == NEXT_FRIDAY
        with pytest.raises(ValidationError):
            save_meeting_notes(
                world.member.user, person=world.member, cycle=world.cycle, week=WEEK, notes="more"
            )
    else:
        with pytest.raises(PermissionDenied):
            end_one_on_one(actor, meeting, next_checkin_on=NEXT_FRIDAY)
        meeting.refresh_from_db()
        assert meeting.ended_at is None


def test_the_next_check_in_must_be_set_and_ahead(world: World, krs: Krs) -> None:
    meeting = save_meeting_notes(world.lead.user, person=world.member, cycle=world.cycle, week=WEEK)
    for day in (None, datetime.date(2026, 5, 13)):
        with pytest.raises(ValidationError) as caught:
            end_one_on_one(world.lead.user, meeting, next_checkin_on=day)
        assert "next_checkin_on" in caught.value.message_dict


@pytest.mark.parametrize(
    ("persona", "allowed"),
    [("admin", True), ("lead", False), ("member", True), ("outsider", False)],
)
def test_who_may_pause_reminders(world: World, frozen, persona: str, allowed: bool) -> None:  # type: ignore[no-untyped-def]
    actor = getattr(world, persona).user
    until = datetime.date(2026, 5, 29)
    if allowed:
        pause_reminders(actor, world.member, until=until)
        assert CheckinPreference.objects.get(person=world.member).reminders_paused_until == until
        pause_reminders(actor, world.member, until=None)
        assert CheckinPreference.objects.get(person=world.member).reminders_paused_until is None
    else:
        with pytest.raises(PermissionDenied):
            pause_reminders(actor, world.member, until=until)
        assert not CheckinPreference.objects.exists()


def test_pause_must_be_from_today_and_within_a_year(world: World, frozen) -> None:  # type: ignore[no-untyped-def]
    for day in (datetime.date(2026, 5, 12), datetime.date(2027, 6, 1)):
        with pytest.raises(ValidationError):
            pause_reminders(world.member.user, world.member, until=day)
