"""The insights' work a task worker does: bring stored insights up to date after a change."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="okrflow.insights.tasks.refresh_after_changes")
def refresh_after_changes(entry_ids: list[int]) -> None:
    """Recompute what the committed changes (their audit entries) touched in large cycles."""
    from okrflow.audit.models import AuditEntry
    from okrflow.insights.live_updates import refresh_touched

    entries = list(AuditEntry.objects.filter(pk__in=entry_ids).order_by("id"))
    if entries:
        refresh_touched(entries)
