"""Tasks anyone can enqueue, and the jobs that cron used to run (now celery beat's)."""

from __future__ import annotations

import logging

from celery import shared_task
from django.core.mail import EmailMessage
from django.utils import timezone

logger = logging.getLogger(__name__)


@shared_task(
    name="okrflow.background.tasks.send_email",
    autoretry_for=(OSError,),
    retry_backoff=60,
    max_retries=5,
)
def send_email(subject: str, body: str, to: list[str]) -> None:
    """Send one plain-text email through the configured backend."""
    EmailMessage(subject=subject, body=body, to=to).send()


@shared_task(name="okrflow.background.tasks.send_reminders")
def send_reminders() -> int:
    """Send the check-in reminders due now; each goes out once however often this runs."""
    from okrflow.checkins.reminders import send_reminders as send_due_reminders

    return len(send_due_reminders(timezone.now(), say=logger.info))


@shared_task(name="okrflow.background.tasks.refresh_insights")
def refresh_insights() -> None:
    """Refresh the stored insights of every cycle whose data changed (large cycles), in this
    process: a task worker's process must not fork workers of its own (`parallel_refresh`)."""
    import io

    from django.core.management import call_command

    call_command(
        "refresh-insights", "--if-changed", "--json", "--processes", "1", stdout=io.StringIO()
    )


@shared_task(name="okrflow.background.tasks.build_report")
def build_report(report_id: int) -> None:
    """Build a requested whole-company report file, once."""
    from okrflow.background.reports import build_requested_report

    build_requested_report(report_id)
