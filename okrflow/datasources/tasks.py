"""The data sources' Celery tasks: beat sweeps for due sources; each is read in its own task."""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone


@shared_task(name="okrflow.datasources.tasks.run_due_sources")
def run_due_sources() -> int:
    """Hand every due pull source to a worker; return how many were handed out."""
    from okrflow.datasources.running import claim_due

    ids = claim_due(timezone.now())
    for source_id in ids:
        refresh_source.delay(source_id)
    return len(ids)


@shared_task(name="okrflow.datasources.tasks.refresh_source")
def refresh_source(source_id: int) -> bool | None:
    """Read one source and record its value (or its failure); True when it gave a value."""
    from okrflow.datasources.running import refresh_source as refresh

    result = refresh(source_id)
    return None if result is None else result.ok
