"""Deliver one webhook: claim it, send it signed, log the attempt, retry later or give up."""

from __future__ import annotations

import datetime
import json
import time
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from okrflow.webhooks import chat, signing
from okrflow.webhooks.addresses import check_webhook_url
from okrflow.webhooks.models import (
    Attempt,
    Delivery,
    DeliveryState,
    MessageFormat,
    Subscription,
)
from okrflow.webhooks.sending import Outcome, post

USER_AGENT = "okrflow-webhooks/1"


def claim_seconds() -> int:
    """How long a worker holds a delivery: well beyond one request's connect and read timeouts."""
    return settings.WEBHOOK_TIMEOUT_SECONDS * 4 + 10


def claim(delivery_id: int) -> bool:
    """Take a due delivery for this worker; False when it is done, not due, or held by another."""
    now = timezone.now()
    return bool(
        Delivery.objects.filter(
            pk=delivery_id,
            state=DeliveryState.PENDING,
            next_attempt_at__lte=now,
            subscription__is_paused=False,
        )
        .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))
        .update(claimed_until=now + datetime.timedelta(seconds=claim_seconds()))
    )


def request_body(delivery: Delivery) -> bytes:
    """Return what is posted: the signed JSON envelope, or a Slack or Teams message."""
    subscription = delivery.subscription
    payload: dict[str, Any] = delivery.payload
    event, data, actor = payload["event"], payload.get("data", {}), payload.get("actor", "")
    if subscription.message_format == MessageFormat.SLACK:
        body: dict[str, Any] = chat.slack_body(event, data, actor, subscription.language)
    elif subscription.message_format == MessageFormat.TEAMS:
        body = chat.teams_body(event, data, actor, subscription.language)
    else:
        body = {"delivery_id": str(delivery.delivery_id), **payload}
    return json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()


def signed_headers(delivery: Delivery, body: bytes) -> dict[str, str]:
    timestamp = int(time.time())
    return {
        "Content-Type": "application/json; charset=utf-8",
        "User-Agent": USER_AGENT,
        signing.DELIVERY_HEADER: str(delivery.delivery_id),
        signing.EVENT_HEADER: delivery.event,
        signing.TIMESTAMP_HEADER: str(timestamp),
        signing.SIGNATURE_HEADER: signing.signature(delivery.subscription.secret, timestamp, body),
    }


def attempt(delivery: Delivery) -> Outcome:
    """Send the delivery once, checking its URL again (a host name may now lead elsewhere)."""
    try:
        url = check_webhook_url(delivery.subscription.url)
    except ValidationError as error:
        return Outcome(False, None, 0, "; ".join(error.messages)[:300], "")
    body = request_body(delivery)
    return post(url, body, signed_headers(delivery, body), settings.WEBHOOK_TIMEOUT_SECONDS)


def deliver(delivery_id: int) -> int | None:
    """Deliver one webhook if it is due; return the seconds until its retry, if any."""
    if not claim(delivery_id):
        return None
    delivery = Delivery.objects.select_related("subscription__owner").get(pk=delivery_id)
    outcome = attempt(delivery)
    return record_outcome(delivery, outcome)


@transaction.atomic
def record_outcome(delivery: Delivery, outcome: Outcome) -> int | None:
    now = timezone.now()
    Attempt.objects.create(
        delivery=delivery,
        at=now,
        succeeded=outcome.succeeded,
        response_code=outcome.response_code,
        duration_ms=outcome.duration_ms,
        error=outcome.error,
        response_excerpt=outcome.response_excerpt,
    )
    delivery.attempts += 1
    delivery.claimed_until = None
    retry_in: int | None = None
    if outcome.succeeded:
        delivery.state = DeliveryState.DELIVERED
        delivery.delivered_at = now
        Subscription.objects.filter(pk=delivery.subscription_id).update(consecutive_failures=0)
    else:
        delays = settings.WEBHOOK_RETRY_DELAYS
        if delivery.attempts > len(delays):
            delivery.state = DeliveryState.FAILED
        else:
            retry_in = delays[delivery.attempts - 1]
            delivery.next_attempt_at = now + datetime.timedelta(seconds=retry_in)
        count_failure(delivery.subscription)
    delivery.save(
        update_fields=["attempts", "claimed_until", "state", "delivered_at", "next_attempt_at"]
    )
    return retry_in


def count_failure(subscription: Subscription) -> None:
    """Count a failed attempt; pause the subscription after too many in a row and tell its owner."""
    Subscription.objects.filter(pk=subscription.pk).update(
        consecutive_failures=F("consecutive_failures") + 1
    )
    limit = settings.WEBHOOK_PAUSE_AFTER_FAILURES
    paused = Subscription.objects.filter(
        pk=subscription.pk, is_paused=False, consecutive_failures__gte=limit
    ).update(is_paused=True, paused_reason=f"{limit} failed attempts in a row")
    if paused:
        from okrflow.audit.log import record_change
        from okrflow.webhooks.listening import new_version

        transaction.on_commit(new_version)  # an UPDATE sends no signal: one listener fewer
        subscription.refresh_from_db()
        record_change(
            actor=None,
            action="pause_webhook_after_failures",
            instance=subscription,
            before={"is_paused": False},
            after={"is_paused": True, "consecutive_failures": subscription.consecutive_failures},
            summary=subscription.name,
        )
        tell_owner_of_pause(subscription, limit)


def tell_owner_of_pause(subscription: Subscription, failures: int) -> None:
    from okrflow.background.enqueue import queue_email
    from okrflow.checkins.reminders import base_url

    owner = subscription.owner
    if owner is None or not owner.email:
        return
    person = getattr(owner, "person", None)
    language = getattr(person, "language", "") or settings.LANGUAGE_CODE
    with translation.override(language):
        subject = _("Webhook “%(name)s” paused") % {"name": subscription.name}
        body = _(
            "The webhook “%(name)s” (%(url)s) failed %(count)s times in a row, so okrflow "
            "paused it. Check the receiver, then resume the webhook on its page:\n%(page)s"
        ) % {
            "name": subscription.name,
            "url": subscription.url,
            "count": failures,
            "page": base_url() + f"/administration/integrations/{subscription.pk}/",
        }
    queue_email(subject, body, [owner.email])
