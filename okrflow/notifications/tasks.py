"""The notifications' Celery tasks: one email at once, and the daily digest."""

from __future__ import annotations

import logging
import smtplib

from celery import shared_task

logger = logging.getLogger(__name__)


@shared_task(
    name="okrflow.notifications.tasks.send_notification_email",
    autoretry_for=(OSError, smtplib.SMTPException),
    retry_backoff=60,
    max_retries=5,
)
def send_notification_email(notification_id: int) -> bool:
    """Email one notification in its recipient's language, once (a redelivery does nothing)."""
    from okrflow.notifications.delivery import send_notification_email as send_once

    return send_once(notification_id)


@shared_task(name="okrflow.notifications.tasks.send_daily_digests")
def send_daily_digests() -> int:
    """Send each person one email with their day's digest notifications."""
    from okrflow.notifications.delivery import send_daily_digests as send_all

    return sum(send_all().values())
