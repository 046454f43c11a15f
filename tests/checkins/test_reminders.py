"""`okrflow send-reminders`: before, overdue, digest; once each; paused; holidays; languages."""

from __future__ import annotations

import datetime
import io

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.db import IntegrityError, transaction
from django.test import Client

from okrflow.checkins.actions import pause_reminders
from okrflow.checkins.models import ReminderKind, ReminderLog
from okrflow.cycles.actions import create_cycle
from okrflow.okrs.actions import create_key_result, create_objective
from tests.checkins.conftest import VN, Krs, give_emails, signed_in, submit_member_checkin
from tests.conftest import World

FRIDAY_MORNING = "2026-05-15T09:00"  # server time zone: Asia/Ho_Chi_Minh
FRIDAY_EVENING = "2026-05-15T18:00+07:00"


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("send-reminders", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def emails(world: World, krs: Krs) -> None:
    give_emails(world)


def test_before_the_check_in_only_owners_who_have_not_checked_in(
    world: World, emails: None, mailoutbox: list
) -> None:
    output = run("--now", FRIDAY_MORNING)
    assert "1 reminder(s) sent: 1 before, 0 overdue, 0 digest." in output
    (mail,) = mailoutbox
    assert mail.to == ["specialist.marketing@saoviet.example"]
    assert mail.subject == "Your weekly check-in is due today (Q2 2026)"
    assert "Reach 10,000 fanpage followers" in mail.body
    assert "/checkins/" in mail.body
    assert ReminderLog.objects.get().kind == ReminderKind.BEFORE


def test_running_twice_sends_each_reminder_once(
    world: World, emails: None, mailoutbox: list
) -> None:
    run("--now", FRIDAY_MORNING)
    run("--now", FRIDAY_MORNING)
    run("--now", "2026-05-15T16:59")
    assert len(mailoutbox) == 1
    run("--now", FRIDAY_EVENING)
    run("--now", FRIDAY_EVENING)
    run("--now", "2026-05-17T10:00")
    kinds = sorted(log.kind for log in ReminderLog.objects.all())
    assert kinds == ["before", "digest", "overdue"]
    assert len(mailoutbox) == 3
    recipients = sorted(m.to[0] for m in mailoutbox)
    assert recipients == [
        "head.marketing@saoviet.example",
        "specialist.marketing@saoviet.example",
        "specialist.marketing@saoviet.example",
    ]


def test_nothing_outside_the_windows(world: World, emails: None, mailoutbox: list) -> None:
    for moment in ("2026-05-14T09:00", "2026-05-19T09:00", "2026-05-13T17:30"):
        run("--now", moment)
    assert mailoutbox == []


def test_digest_lists_who_checked_in_and_what_fell_behind_in_the_managers_language(
    world: World, krs: Krs, emails: None, mailoutbox: list
) -> None:
    world.lead.language = "vi"
    world.lead.save()
    submit_member_checkin(world, krs, ["2,500", "48", "0", "5"])
    run("--now", FRIDAY_EVENING)
    (digest,) = mailoutbox  # the specialist checked in: no overdue notice
    assert digest.to == ["head.marketing@saoviet.example"]
    assert "Specialist Marketing" in digest.body
    assert "Reach 10,000 fanpage followers" in digest.body
    assert "Có rủi ro" in digest.body  # "At risk", in Vietnamese


def test_paused_people_get_nothing(world: World, krs: Krs, emails: None, mailoutbox: list) -> None:
    pause_reminders(world.member.user, world.member, until=datetime.date(2026, 5, 20))
    pause_reminders(world.lead.user, world.lead, until=datetime.date(2026, 5, 15))
    run("--now", FRIDAY_MORNING)
    run("--now", FRIDAY_EVENING)
    assert mailoutbox == []


def test_people_without_an_email_are_skipped(world: World, krs: Krs, mailoutbox: list) -> None:
    run("--now", FRIDAY_MORNING)
    assert mailoutbox == []
    assert not ReminderLog.objects.exists()


def test_dry_run_sends_and_logs_nothing(world: World, emails: None, mailoutbox: list) -> None:
    output = run("--dry-run", "--now", FRIDAY_EVENING)
    assert "would send overdue" in output
    assert "would send digest" in output
    assert "2 reminder(s) would be sent" in output
    assert mailoutbox == []
    assert not ReminderLog.objects.exists()


def test_bad_now_is_explained(world: World) -> None:
    with pytest.raises(CommandError, match="2026-05-15T09:00"):
        run("--now", "friday")


def test_the_log_holds_one_reminder_per_person_week_and_kind(world: World) -> None:
    fields = {"person": world.member, "cycle": world.cycle, "week": datetime.date(2026, 5, 11)}
    ReminderLog.objects.create(kind="before", **fields)
    ReminderLog.objects.create(kind="overdue", **fields)
    with pytest.raises(IntegrityError), transaction.atomic():
        ReminderLog.objects.create(kind="before", **fields)


def test_a_holiday_friday_moves_the_check_in_to_thursday(
    client: Client, world: World, mailoutbox: list
) -> None:
    give_emails(world)
    cycle = create_cycle(
        None,
        name="Q2 2027",
        start_date=datetime.date(2027, 4, 1),
        end_date=datetime.date(2027, 6, 30),
        state="active",
    )
    objective = create_objective(None, cycle=cycle, title="Grow", owner=world.member).value
    create_key_result(
        None,
        objective,
        title="Reach 500 leads",
        start_value=0,
        target_value=500,
        owner=world.member,
    )
    # Friday 16/4/2027 is Giỗ Tổ Hùng Vương: the check-in is due on Thursday 15/4.
    with time_machine.travel(datetime.datetime(2027, 4, 15, 9, 0, tzinfo=VN), tick=False):
        page = signed_in(client, world.member).get(f"/checkins/?cycle={cycle.pk}")
        run()
    assert page.context["week"].due == datetime.date(2027, 4, 15)
    assert "moved from" in page.content.decode()
    (mail,) = mailoutbox
    assert mail.subject == "Your weekly check-in is due today (Q2 2027)"
    assert "public holiday" in mail.body
    with time_machine.travel(datetime.datetime(2027, 4, 16, 9, 0, tzinfo=VN), tick=False):
        run()
    assert [log.kind for log in ReminderLog.objects.order_by("id")] == [
        "before",
        "overdue",
        "digest",
    ]
