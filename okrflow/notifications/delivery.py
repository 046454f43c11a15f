"""Deliver notifications by email through the task queue: at once, or in a daily digest.

Each notification is emailed at most once. The worker first claims it (`emailed_at` set by a
conditional UPDATE, so two workers given the same message cannot both win), then sends; a send
that fails gives the claim back and the task retries. The digest claims a person's waiting rows
and sends their one email in the same transaction: a failed send leaves them for the next run.
"""

from __future__ import annotations

import datetime
import logging
import smtplib
from collections.abc import Iterable

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from okrflow.notifications.actions import may_see
from okrflow.notifications.kinds import Channel
from okrflow.notifications.models import Notification
from okrflow.notifications.texts import sentence_of

logger = logging.getLogger(__name__)
# The digest's query: notifications with what their sentences read, and who gets them.
RELATED = ("recipient__user", "objective", "key_result", "actor__person")


def base_url() -> str:
    from okrflow.checkins.reminders import base_url as configured

    return configured()


def absolute(url: str) -> str:
    return base_url() + url if url.startswith("/") else url


def email_on_commit(notification: Notification) -> None:
    """Send `notification` by email from the worker once the transaction commits."""
    from okrflow.background.enqueue import enqueue_on_commit
    from okrflow.notifications.tasks import send_notification_email

    enqueue_on_commit(send_notification_email, notification.pk)


def language_of(person: object) -> str:
    return getattr(person, "language", "") or settings.LANGUAGE_CODE


def build_notification_email(notification: Notification) -> EmailMessage:
    """Write one notification's email in its recipient's language."""
    person = notification.recipient
    with translation.override(language_of(person)):
        sentence = sentence_of(notification)
        body = render_to_string(
            "notifications/email/one.txt",
            {
                "person": person,
                "sentence": sentence,
                "url": absolute(notification.url),
                "inbox_url": base_url() + "/notifications/",
                "preferences_url": base_url() + "/account/#notifications",
            },
        )
        subject = _("okrflow: %(kind)s") % {"kind": notification.get_kind_display()}
    return EmailMessage(subject=subject, body=body, to=[person.user.email])


def claim_for_email(notification_id: int) -> bool:
    """Take the notification for this send; False when it was emailed (or claimed) already."""
    return bool(
        Notification.objects.filter(pk=notification_id, emailed_at__isnull=True).update(
            emailed_at=timezone.now()
        )
    )


def send_notification_email(notification_id: int) -> bool:
    """Email one notification once; True when this call sent it."""
    notification = Notification.objects.select_related(*RELATED).filter(pk=notification_id).first()
    if notification is None or notification.emailed_at is not None:
        return False
    if notification.delivery != Channel.EMAIL:  # a stray message never emails an in-app one
        return False
    person = notification.recipient
    if not person.user.is_active or not person.user.email:
        return False
    if not may_see(person, notification.objective):  # made private since: say nothing
        return False
    if not claim_for_email(notification_id):
        return False
    try:
        build_notification_email(notification).send()
    except (OSError, smtplib.SMTPException):
        Notification.objects.filter(pk=notification_id).update(emailed_at=None)
        raise
    return True


def digest_due(now: datetime.datetime) -> Iterable[int]:
    """Return the people with digest notifications waiting (made before `now`)."""
    return (
        Notification.objects.filter(
            delivery=Channel.DIGEST, emailed_at__isnull=True, created_at__lte=now
        )
        .order_by("recipient_id")
        .values_list("recipient_id", flat=True)
        .distinct()
    )


def build_digest_email(person: object, notifications: list[Notification]) -> EmailMessage:
    """Write one person's digest in their language, newest first."""
    with translation.override(language_of(person)):
        entries = [
            {
                "sentence": sentence_of(n),
                "url": absolute(n.url),
                "at": timezone.localtime(n.created_at),
            }
            for n in notifications
        ]
        body = render_to_string(
            "notifications/email/digest.txt",
            {
                "person": person,
                "entries": entries,
                "inbox_url": base_url() + "/notifications/",
                "preferences_url": base_url() + "/account/#notifications",
            },
        )
        subject = _("okrflow: your day, %(count)d notifications") % {"count": len(entries)}
    return EmailMessage(subject=subject, body=body, to=[person.user.email])  # type: ignore[attr-defined]


def send_person_digest(person_id: int, now: datetime.datetime) -> int:
    """Send one person's digest; return how many notifications it carried (0: none sent)."""
    with transaction.atomic():
        waiting = list(
            Notification.objects.select_for_update(of=("self",), skip_locked=True)
            .select_related(*RELATED)
            .filter(
                recipient_id=person_id,
                delivery=Channel.DIGEST,
                emailed_at__isnull=True,
                created_at__lte=now,
            )
            .order_by("-created_at", "-id")
        )
        if not waiting:
            return 0
        person = waiting[0].recipient
        # Claimed whether or not they can be sent: a person without an address, or an
        # objective made private since, must not keep them waiting for ever.
        Notification.objects.filter(pk__in=[n.pk for n in waiting]).update(emailed_at=now)
        shown = [n for n in waiting if may_see(person, n.objective)]
        if not shown or not person.user.is_active or not person.user.email:
            return 0
        build_digest_email(person, shown).send()
    return len(shown)


def send_daily_digests(now: datetime.datetime | None = None) -> dict[int, int]:
    """Send every waiting digest, one email per person; return {person id: notifications}."""
    now = now or timezone.now()
    sent: dict[int, int] = {}
    for person_id in list(digest_due(now)):
        try:
            count = send_person_digest(person_id, now)
        except (OSError, smtplib.SMTPException):
            logger.exception("Could not send the digest of person %s", person_id)
            continue
        if count:
            sent[person_id] = count
    return sent
