"""Email: at once through the queue in the recipient's language, once; the daily digest."""

from __future__ import annotations

import datetime

import pytest
import time_machine

from okrflow.notifications.actions import notify, set_notification_preferences
from okrflow.notifications.delivery import send_daily_digests, send_notification_email
from okrflow.notifications.kinds import Kind
from okrflow.notifications.models import Notification
from okrflow.okrs.actions import propose_objective, return_objective
from tests.conftest import World, make_objective
from tests.notifications.conftest import MID_MAY, draft, give_emails

pytestmark = pytest.mark.usefixtures("mid_may", "eager_queue")


def test_a_sent_back_proposal_is_emailed_at_once_in_the_owners_language(
    world: World,
    django_capture_on_commit_callbacks,
    mailoutbox: list,  # type: ignore[no-untyped-def]
) -> None:
    give_emails(world)
    world.member.language = "vi"
    world.member.save()
    objective = draft(world, world.member, "Hiểu khách hàng")
    with django_capture_on_commit_callbacks(execute=True):
        propose_objective(world.member.user, objective)
    (waiting,) = mailoutbox
    assert waiting.to == ["head.marketing@saoviet.example"]
    assert "Specialist Marketing proposed “Hiểu khách hàng”" in waiting.body
    with django_capture_on_commit_callbacks(execute=True):
        return_objective(world.lead.user, objective, "Thêm mốc ban đầu")
    back = mailoutbox[1]
    assert back.to == ["specialist.marketing@saoviet.example"]
    assert "đã trả lại mục tiêu" in back.body
    assert "Thêm mốc ban đầu" in back.body
    assert f"/objectives/{objective.pk}/#agreement" in back.body
    notification = Notification.objects.get(kind=Kind.PROPOSAL_SENT_BACK)
    assert notification.emailed_at is not None


def test_an_email_goes_out_once_however_often_the_task_runs(world: World, mailoutbox: list) -> None:
    give_emails(world)
    objective = make_objective(world, world.member)
    made = notify(
        world.member,
        Kind.MENTION,
        source_key="comment:7",
        objective=objective,
        params={
            "author": "Head Marketing",
            "excerpt": "@specialist look",
            "on": objective.title,
            "comment_id": 7,
        },
    )
    assert made is not None
    assert send_notification_email(made.pk) is True
    assert send_notification_email(made.pk) is False  # a redelivered message
    (sent,) = mailoutbox
    assert (
        "Head Marketing mentioned you on “Delight loyal customers”: “@specialist look”" in sent.body
    )
    made.refresh_from_db()
    first = made.emailed_at
    send_notification_email(made.pk)
    made.refresh_from_db()
    assert made.emailed_at == first


def test_in_app_only_and_digest_send_nothing_at_once(
    world: World,
    django_capture_on_commit_callbacks,
    mailoutbox: list,  # type: ignore[no-untyped-def]
) -> None:
    give_emails(world)
    set_notification_preferences(world.lead.user, world.lead, {"proposal_waiting": "in_app"})
    objective = draft(world, world.member)
    with django_capture_on_commit_callbacks(execute=True):
        propose_objective(world.member.user, objective)
    assert mailoutbox == []
    notification = Notification.objects.get()
    assert notification.delivery == "in_app"
    assert send_notification_email(notification.pk) is False  # a stray message sends nothing
    assert mailoutbox == []


def test_the_daily_digest_gathers_a_persons_day_in_one_email(
    world: World, mailoutbox: list
) -> None:
    give_emails(world)
    objective = make_objective(world, world.member)
    for number in (1, 2, 3):
        notify(
            world.member,
            Kind.COMMENT,
            source_key=f"comment:{number}",
            objective=objective,
            params={
                "author": "Ceo",
                "excerpt": f"note {number}",
                "on": objective.title,
                "comment_id": number,
            },
        )
    notify(
        world.lead,
        Kind.COMMENT,
        source_key="comment:9",
        objective=objective,
        params={"author": "Ceo", "excerpt": "lead note", "on": objective.title, "comment_id": 9},
    )
    notify(
        world.member,
        Kind.FEEDBACK,
        source_key="audit:1",
        params={
            "author": "Ceo",
            "feedback": "comment",
            "excerpt": "in app only",
            "week": "2026-05-11",
        },
    )
    evening = MID_MAY + datetime.timedelta(hours=8)
    with time_machine.travel(evening, tick=False):
        sent = send_daily_digests()
        again = send_daily_digests()
    assert sent == {world.member.pk: 3, world.lead.pk: 1}
    assert again == {}
    assert len(mailoutbox) == 2
    member_mail = next(m for m in mailoutbox if m.to == ["specialist.marketing@saoviet.example"])
    assert member_mail.subject == "okrflow: your day, 3 notifications"
    assert next(line for line in member_mail.body.splitlines() if "note" in line).endswith(
        "“note 3”"
    )  # newest first
    assert "in app only" not in member_mail.body
    assert Notification.objects.filter(delivery="digest", emailed_at__isnull=True).count() == 0


def test_a_digest_leaves_out_what_the_person_may_no_longer_see(
    world: World, mailoutbox: list
) -> None:
    give_emails(world)
    shown = make_objective(world, world.member, "Open plan")
    hidden = make_objective(world, world.member, "Secret plan")
    for objective in (shown, hidden):
        notify(
            world.sales_head,
            Kind.COMMENT,
            source_key=f"c:{objective.pk}",
            objective=objective,
            params={
                "author": "Ceo",
                "excerpt": objective.title,
                "on": objective.title,
                "comment_id": objective.pk,
            },
        )
    type(hidden).objects.filter(pk=hidden.pk).update(is_private=True)
    with time_machine.travel(MID_MAY + datetime.timedelta(hours=1), tick=False):
        send_daily_digests()
    (digest,) = mailoutbox
    assert "Open plan" in digest.body
    assert "Secret plan" not in digest.body


def test_the_beat_schedule_runs_the_digest_daily() -> None:
    from okrflow.background.config import beat_schedule

    entry = beat_schedule["daily-notification-digests"]
    assert entry["task"] == "okrflow.notifications.tasks.send_daily_digests"
    assert entry["schedule"].hour == {17}
