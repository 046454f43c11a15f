"""`okrflow notifications`, reminders as notifications, and the sent-back proposals' pages."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from okrflow.notifications.actions import set_notification_preferences
from okrflow.notifications.kinds import Kind
from okrflow.notifications.models import Notification
from okrflow.okrs.actions import propose_objective, return_objective
from tests.conftest import PASSWORD, World
from tests.notifications.conftest import draft

pytestmark = pytest.mark.usefixtures("mid_may")


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("notifications", *args, stdout=out)
    return out.getvalue()


def send_back(world: World, comment: str = "Add a baseline to KR1"):  # type: ignore[no-untyped-def]
    objective = draft(world, world.member, "Know our customers")
    propose_objective(world.member.user, objective)
    return_objective(world.lead.user, objective, comment)
    return objective


def test_the_command_lists_a_persons_notifications_in_their_language(world: World) -> None:
    objective = send_back(world)
    rows = json.loads(run("specialist.marketing", "--json"))
    assert rows == [
        {
            "kind": "proposal_sent_back",
            "created": rows[0]["created"],
            "read": False,
            "text": "Head Marketing sent your objective “Know our customers” back: "
            "“Add a baseline to KR1”",
            "url": f"http://127.0.0.1:8000/objectives/{objective.pk}/#agreement",
        }
    ]
    world.lead.language = "vi"
    world.lead.save()
    (waiting,) = json.loads(run("HEAD.MARKETING", "--json"))
    assert waiting["kind"] == "proposal_waiting"
    assert "đã đề xuất" in waiting["text"]
    Notification.objects.update(read_at=waiting["created"])
    assert json.loads(run("head.marketing", "--unread", "--json")) == []
    assert "Know our customers" in run("specialist.marketing")


def test_an_unknown_username_is_a_clear_error(world: World) -> None:
    with pytest.raises(CommandError, match="No person with the username “nobody”"):
        run("nobody")


def test_check_in_reminders_are_notifications_by_the_persons_channel(
    world: World, mailoutbox: list
) -> None:
    from tests.checkins.conftest import give_emails, make_member_krs

    give_emails(world)
    make_member_krs(world)
    call_command("send-reminders", "--now", "2026-05-15T09:00", stdout=io.StringIO())
    (reminder,) = Notification.objects.filter(kind=Kind.CHECKIN_REMINDER)
    assert reminder.recipient == world.member
    assert reminder.emailed_at is not None
    assert len(mailoutbox) == 1
    # A second run changes nothing; in-app only leaves the email out.
    call_command("send-reminders", "--now", "2026-05-15T09:00", stdout=io.StringIO())
    assert Notification.objects.filter(kind=Kind.CHECKIN_REMINDER).count() == 1
    set_notification_preferences(world.member.user, world.member, {"checkin_reminder": "in_app"})
    call_command("send-reminders", "--now", "2026-05-15T18:00+07:00", stdout=io.StringIO())
    overdue = Notification.objects.get(kind=Kind.CHECKIN_REMINDER, params__reminder="overdue")
    assert overdue.recipient == world.member and overdue.emailed_at is None
    assert [m.to for m in mailoutbox] == [
        ["specialist.marketing@saoviet.example"],
        ["head.marketing@saoviet.example"],  # the manager's digest, still by email
    ]


def test_to_agree_and_my_okrs_show_a_sent_back_proposal_with_its_comment(
    client: Client, world: World
) -> None:
    objective = send_back(world, "Zqv add a baseline")
    assert client.login(username="specialist.marketing", password=PASSWORD)
    agreements = client.get(reverse("agreements")).content.decode()
    assert "Sent back to you" in agreements
    assert "Zqv add a baseline" in agreements
    mine = client.get(reverse("my_okrs"), {"cycle": world.cycle.pk}).content.decode()
    assert f'id="sent-back-{objective.pk}"' in mine
    assert "Zqv add a baseline" in mine
    # Proposed again, it is no longer sent back.
    propose_objective(world.member.user, objective)
    assert "Zqv add a baseline" not in client.get(reverse("agreements")).content.decode()
    client.logout()
    assert client.login(username="head.sales", password=PASSWORD)
    assert "Zqv add a baseline" not in client.get(reverse("agreements")).content.decode()
