"""The webhooks' Celery tasks: dispatch events, deliver one, sweep, weekly digests."""

from __future__ import annotations

from celery import shared_task
from celery.signals import worker_ready
from django.db.models import Q
from django.utils import timezone

SWEEP_LIMIT = 1000


@shared_task(name="okrflow.webhooks.tasks.dispatch_events")
def dispatch_events() -> None:
    """Write the deliveries of new audit rows, then send those that are due."""
    from okrflow.webhooks.dispatch import dispatch_events as write_deliveries

    write_deliveries()
    enqueue_due()


@shared_task(name="okrflow.webhooks.tasks.deliver")
def deliver(delivery_id: int) -> None:
    """Deliver one webhook (a no-op when it is done or held by another worker)."""
    from okrflow.webhooks.delivery import deliver as deliver_once

    retry_in = deliver_once(delivery_id)
    if retry_in is not None:
        deliver.apply_async(args=[delivery_id], countdown=retry_in)


@shared_task(name="okrflow.webhooks.tasks.sweep_deliveries")
def sweep_deliveries() -> None:
    """Dispatch any audit rows left behind and send every due delivery no worker holds."""
    from okrflow.webhooks.dispatch import dispatch_events as write_deliveries

    write_deliveries()
    enqueue_due()


def enqueue_due() -> None:
    from okrflow.webhooks.models import Delivery, DeliveryState

    now = timezone.now()
    due = (
        Delivery.objects.filter(
            state=DeliveryState.PENDING, next_attempt_at__lte=now, subscription__is_paused=False
        )
        .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))
        .order_by("next_attempt_at", "id")
        .values_list("pk", flat=True)[:SWEEP_LIMIT]
    )
    for pk in due:
        deliver.delay(pk)


@shared_task(name="okrflow.webhooks.tasks.send_weekly_digests")
def send_weekly_digests() -> None:
    """Write last week's check-in digest for every subscription that asked for one."""
    from okrflow.webhooks.digests import write_weekly_digests

    write_weekly_digests(timezone.localdate())
    enqueue_due()


@worker_ready.connect
def sweep_on_start(sender, **kwargs) -> None:  # type: ignore[no-untyped-def]
    """A restarted worker picks up at once what a killed one left."""
    sweep_deliveries.delay()
