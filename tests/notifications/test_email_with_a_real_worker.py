"""A real Celery worker emails a notification once, in the recipient's language."""

from __future__ import annotations

from pathlib import Path

from okrflow.notifications.kinds import Kind
from okrflow.notifications.models import Notification
from okrflow.notifications.tasks import send_notification_email
from okrflow.okrs.actions import propose_objective
from tests.conftest import World
from tests.notifications.conftest import draft, give_emails
from tests.webhooks.conftest import Queue, wait_for


def test_the_worker_emails_a_waiting_proposal_once(
    redis_queue: Queue, world: World, tmp_path: Path
) -> None:
    give_emails(world)
    world.lead.language = "vi"
    world.lead.save()
    redis_queue.start("worker")
    objective = draft(world, world.member, "Hiểu khách hàng")
    propose_objective(world.member.user, objective)  # commits: the worker is told
    notification = Notification.objects.get(kind=Kind.PROPOSAL_WAITING)

    def emailed() -> bool:
        notification.refresh_from_db()
        return notification.emailed_at is not None

    wait_for(emailed, "the worker to email the notification")

    # emailed_at is claimed before the send, and the file may be half written when it
    # appears: wait for the whole message.
    def whole_message() -> str:
        text = "".join(path.read_text() for path in (tmp_path / "emails").glob("*.log"))
        return text if "To: head.marketing@saoviet.example" in text else ""

    text = wait_for(whole_message, "the email")
    assert "To: head.marketing@saoviet.example" in text
    first = notification.emailed_at
    assert send_notification_email(notification.pk) is False  # a redelivered message
    notification.refresh_from_db()
    assert notification.emailed_at == first
    text = "".join(path.read_text() for path in (tmp_path / "emails").glob("*.log"))
    assert text.count("To: head.marketing@saoviet.example") == 1
