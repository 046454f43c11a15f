"""The insights' work a task worker does: bring stored insights up to date after a change."""

from __future__ import annotations

from typing import Any

from celery import shared_task


@shared_task(name="okrflow.insights.tasks.refresh_touched_changes")
def refresh_touched_changes(changes: dict[str, Any]) -> None:
    """Recompute what committed changes touched in large cycles (`Changes.to_json`: ids only):
    one message per commit, where no Redis holds the changes waiting (and messages queued
    before the waiting list)."""
    from okrflow.insights.live_updates import Changes, refresh_touched

    touched = Changes.from_json(changes)
    if touched:
        refresh_touched(touched)


@shared_task(name="okrflow.insights.tasks.refresh_waiting_changes")
def refresh_waiting_changes() -> None:
    """Recompute what every change waiting in Redis touched, at once (`live_updates.queue_refresh`:
    many commits, one message)."""
    from okrflow.insights.live_updates import refresh_waiting

    refresh_waiting()


@shared_task(name="okrflow.insights.tasks.refresh_after_changes")
def refresh_after_changes(entry_ids: list[int]) -> None:
    """The same from audit entries' ids: what a queue filled before an upgrade still holds."""
    from okrflow.audit.models import AuditEntry
    from okrflow.insights.live_updates import Changes, refresh_touched

    changes = Changes.of(AuditEntry.objects.filter(pk__in=entry_ids).order_by("id").iterator())
    if changes:
        refresh_touched(changes)
