"""Invariants the database holds for check-ins, and the reminder preferences page."""

from __future__ import annotations

import datetime

import pytest
from django.db import IntegrityError, transaction
from django.test import Client
from django.utils import timezone

from okrflow.checkins.models import CheckIn, CheckinPreference, CheckInState, KeyResultCheckIn
from tests.checkins.conftest import WEEK, Krs, signed_in, submit_member_checkin
from tests.conftest import World


def refused(create) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(IntegrityError), transaction.atomic():
        create()


def test_one_check_in_per_person_and_week(world: World) -> None:
    CheckIn.objects.create(person=world.member, cycle=world.cycle, week=WEEK)
    refused(lambda: CheckIn.objects.create(person=world.member, cycle=world.cycle, week=WEEK))


def test_a_check_in_is_corrected_once_and_corrections_are_submitted(world: World, krs: Krs) -> None:
    original = submit_member_checkin(world, krs)
    fields = {"person": world.member, "cycle": world.cycle, "week": WEEK, "corrects": original}
    refused(lambda: CheckIn.objects.create(**fields))  # a draft correction
    now = timezone.now()
    CheckIn.objects.create(state=CheckInState.SUBMITTED, submitted_at=now, **fields)
    refused(
        lambda: CheckIn.objects.create(state=CheckInState.SUBMITTED, submitted_at=now, **fields)
    )


def test_submitted_means_a_submission_time(world: World) -> None:
    refused(
        lambda: CheckIn.objects.create(
            person=world.member, cycle=world.cycle, week=WEEK, state=CheckInState.SUBMITTED
        )
    )
    refused(
        lambda: CheckIn.objects.create(
            person=world.member, cycle=world.cycle, week=WEEK, submitted_at=timezone.now()
        )
    )


def test_confidence_is_a_probability(world: World, krs: Krs) -> None:
    refused(
        lambda: CheckIn.objects.create(
            person=world.member, cycle=world.cycle, week=WEEK, confidence="1.5"
        )
    )
    checkin = CheckIn.objects.create(person=world.member, cycle=world.cycle, week=WEEK)
    refused(
        lambda: KeyResultCheckIn.objects.create(
            checkin=checkin, key_result=krs.followers, confidence="-0.1"
        )
    )
    KeyResultCheckIn.objects.create(checkin=checkin, key_result=krs.followers, confidence="0.6")
    refused(lambda: KeyResultCheckIn.objects.create(checkin=checkin, key_result=krs.followers))


@pytest.mark.parametrize("persona", ["admin", "lead", "member", "outsider"])
def test_preferences_page_pauses_and_resumes(
    client: Client,
    world: World,
    frozen,
    persona: str,  # type: ignore[no-untyped-def]
) -> None:
    person = getattr(world, persona)
    signed_in(client, person)
    assert client.get("/checkins/preferences/").status_code == 200
    response = client.post("/checkins/preferences/", {"until": "2026-05-29", "action": "pause"})
    assert response.status_code == 302
    preference = CheckinPreference.objects.get(person=person)
    assert preference.reminders_paused_until == datetime.date(2026, 5, 29)
    assert "29 May 2026" in client.get("/checkins/preferences/").content.decode()
    client.post("/checkins/preferences/", {"action": "resume"})
    preference.refresh_from_db()
    assert preference.reminders_paused_until is None


def test_preferences_bad_input(client: Client, world: World, frozen) -> None:  # type: ignore[no-untyped-def]
    signed_in(client, world.member)
    for typed, message in (("", "Pick the last day"), ("2026-05-01", "Pick a day from today on")):
        response = client.post("/checkins/preferences/", {"until": typed, "action": "pause"})
        assert response.status_code == 200
        assert message in response.content.decode()
    assert not CheckinPreference.objects.exists()
    assert client.delete("/checkins/preferences/").status_code == 405
