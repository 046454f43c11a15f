"""The data sources' Celery tasks: beat sweeps for due sources and hands them to workers in
batches (one message per source made the embedded filesystem broker the bottleneck: it delivers
about two messages a second; see bench/sources.py)."""

from __future__ import annotations

from celery import shared_task
from django.conf import settings
from django.utils import timezone


@shared_task(name="okrflow.datasources.tasks.run_due_sources")
def run_due_sources() -> int:
    """Hand every due pull source to the workers, a batch per task; return how many."""
    from okrflow.datasources.running import claim_due

    ids = claim_due(timezone.now())
    size = max(1, int(settings.DATA_SOURCE_BATCH))
    for start in range(0, len(ids), size):
        refresh_sources.delay(ids[start : start + size])
    return len(ids)


@shared_task(name="okrflow.datasources.tasks.refresh_sources")
def refresh_sources(source_ids: list[int]) -> int:
    """Read each source of a batch and record its value (or its failure); return how many gave one."""
    from okrflow.datasources.running import refresh_source

    results = [refresh_source(source_id) for source_id in source_ids]
    return sum(1 for result in results if result is not None and result.ok)


@shared_task(name="okrflow.datasources.tasks.refresh_source")
def refresh_source(source_id: int) -> bool | None:
    """Read one source and record its value (or its failure); True when it gave a value."""
    from okrflow.datasources.running import refresh_source as refresh

    result = refresh(source_id)
    return None if result is None else result.ok
