"""Sources read on schedule by a real Celery worker, handed out by a real beat process."""

from __future__ import annotations

from decimal import Decimal

from django.utils import timezone

from okrflow.datasources.actions import save_data_source
from okrflow.datasources.models import DataSource
from okrflow.okrs.models import KeyResult, KeyResultValue
from tests.datasources.conftest import WebServer
from tests.webhooks.conftest import Queue, embedded_queue, wait_for  # noqa: F401


def test_beat_hands_due_sources_to_the_worker_which_records_them(
    embedded_queue: Queue,  # noqa: F811
    kr: KeyResult,
    web: WebServer,
) -> None:
    good = save_data_source(
        None, kr, kind="json", schedule="hourly", url=web.answer("/n", '{"n": 321}'), json_path="n"
    ).source
    embedded_queue.env["OKRFLOW_SOURCES_SWEEP_SECONDS"] = "1"
    embedded_queue.start("worker")
    embedded_queue.start("beat")
    wait_for(
        lambda: KeyResultValue.objects.filter(key_result=kr, data_source=good).exists(),
        "the worker to record the source's value",
    )
    good.refresh_from_db()
    assert good.last_value == Decimal(321)
    # Its next turn is an hour away: beat does not hand it out again meanwhile.
    assert good.next_run_at is not None and good.next_run_at > timezone.now()
    assert KeyResultValue.objects.filter(key_result=kr).count() == 1
    assert DataSource.objects.filter(pk=good.pk, failing_since__isnull=True).exists()
