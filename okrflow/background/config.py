"""Celery's settings, derived from okrflow's (read when Celery first needs them).

Broker: OKRFLOW_BROKER_URL (Redis in the scaled shape); without it, kombu's filesystem
transport under the data directory, which needs no server. The filesystem transport was chosen
over kombu's SQLAlchemy transport on a SQLite file because it adds no dependency and no second
SQLite writer competing for the lock with the web server; its one weakness, a message taken by
a worker that is then killed, is covered by the database: every delivery and report is a row
that the periodic sweep hands out again (see `okrflow.webhooks.tasks.sweep_deliveries`).
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

from celery.schedules import crontab
from django.conf import settings


def filesystem_folders(root: Path) -> dict[str, str]:
    """Create and name the folders of kombu's filesystem transport."""
    messages = root / "messages"
    control = root / "control"
    for folder in (messages, control):
        folder.mkdir(parents=True, exist_ok=True)
    return {
        "data_folder_in": str(messages),
        "data_folder_out": str(messages),
        "control_folder": str(control),
    }


def broker_options() -> tuple[str, dict[str, Any]]:
    """Return the broker URL and its transport options."""
    if settings.BROKER_URL:
        options: dict[str, Any] = {}
        if settings.CELERY_REDIS_KEY_PREFIX:
            options["global_keyprefix"] = settings.CELERY_REDIS_KEY_PREFIX
        # A task taken by a worker that dies goes back to the queue after this long.
        options["visibility_timeout"] = 3600
        return settings.BROKER_URL, options
    return "filesystem://", filesystem_folders(Path(settings.QUEUE_DIR))


broker_url, broker_transport_options = broker_options()
task_default_queue = settings.CELERY_TASK_DEFAULT_QUEUE
task_serializer = "json"
accept_content = ["json"]
task_ignore_result = True
# A task is acknowledged once it has run, not when it is taken: a worker killed mid-task leaves
# it for the next (each task is idempotent: it reads what is left to do from the database).
task_acks_late = True
task_reject_on_worker_lost = True
worker_prefetch_multiplier = 1
broker_connection_retry_on_startup = True
# A request that enqueues work must not hang on a broker that is down: a few quick tries, then
# the error is logged (`enqueue_on_commit`) and the sweeps pick the work up from the database.
task_publish_retry_policy = {
    "max_retries": 2,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.5,
}
timezone = settings.TIME_ZONE
enable_utc = True
worker_hijack_root_logger = False

# What cron used to run (README), now celery beat's schedule.
beat_schedule = {
    "send-reminders": {
        "task": "okrflow.background.tasks.send_reminders",
        "schedule": crontab(minute=0),
    },
    "refresh-insights": {
        "task": "okrflow.background.tasks.refresh_insights",
        "schedule": crontab(minute="*/10"),
    },
    "webhook-sweep": {
        "task": "okrflow.webhooks.tasks.sweep_deliveries",
        "schedule": timedelta(seconds=settings.WEBHOOK_SWEEP_SECONDS),
    },
    "weekly-checkin-digests": {
        "task": "okrflow.webhooks.tasks.send_weekly_digests",
        "schedule": crontab(minute=0, hour=8, day_of_week="mon"),
    },
    # Issue #13: each person's digest notifications of the day, in one email at 17:30.
    "daily-notification-digests": {
        "task": "okrflow.notifications.tasks.send_daily_digests",
        "schedule": crontab(minute=30, hour=17),
    },
    # Data sources (issue #13): each source is read when its hourly or daily turn comes.
    "data-sources": {
        "task": "okrflow.datasources.tasks.run_due_sources",
        "schedule": timedelta(seconds=settings.DATA_SOURCE_SWEEP_SECONDS),
    },
}
