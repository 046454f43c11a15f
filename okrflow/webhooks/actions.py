"""Every write to webhook subscriptions: create, edit, pause, resume, delete, send a test event."""

from __future__ import annotations

import uuid
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from okrflow.action_support import deny
from okrflow.audit.log import record_change, snapshot
from okrflow.background.enqueue import enqueue_on_commit
from okrflow.org.access import access_for
from okrflow.org.models import OrgUnit
from okrflow.webhooks import events, signing
from okrflow.webhooks.addresses import check_webhook_url
from okrflow.webhooks.models import Delivery, MessageFormat, Subscription

# The secret never goes into the audit trail.
AUDITED_FIELDS = ["name", "url", "message_format", "language", "events", "unit", "is_paused"]


def require_admin(actor: Any) -> None:
    if actor is not None and not access_for(actor).is_admin:
        raise deny(_("Only an OKR admin can manage webhooks."))


def clean_fields(changes: dict[str, Any]) -> dict[str, Any]:
    """Check every field at once; raise one ValidationError naming each problem."""
    errors: dict[str, list[str]] = {}
    clean: dict[str, Any] = {}
    name = str(changes.get("name") or "").strip()
    if not name:
        errors["name"] = [_("Give the webhook a name.")]
    elif len(name) > 100:
        errors["name"] = [_("The name is too long (at most 100 characters).")]
    clean["name"] = name
    try:
        clean["url"] = check_webhook_url(str(changes.get("url") or ""))
    except ValidationError as error:
        errors["url"] = error.messages
    message_format = changes.get("message_format") or MessageFormat.JSON
    if message_format not in MessageFormat.values:
        errors["message_format"] = [_("Choose one of the formats offered.")]
    clean["message_format"] = message_format
    language = changes.get("language") or "vi"
    if language not in ("vi", "en"):
        errors["language"] = [_("Choose Vietnamese or English.")]
    clean["language"] = language
    chosen = [str(event) for event in changes.get("events") or []]
    unknown = [event for event in chosen if event not in events.SUBSCRIBABLE]
    if unknown or not chosen:
        errors["events"] = [_("Choose at least one of the events offered.")]
    clean["events"] = [event for event in events.SUBSCRIBABLE if event in chosen]
    unit = changes.get("unit")
    if unit is not None and not isinstance(unit, OrgUnit):
        errors["unit"] = [_("Choose a unit from the list.")]
    if events.WEEKLY_DIGEST in chosen and unit is None:
        errors.setdefault("unit", []).append(_("The weekly digest needs a unit."))
    clean["unit"] = unit
    if errors:
        raise ValidationError(errors)
    return clean


def audit(
    actor: Any, action: str, subscription: Subscription, before: dict[str, Any] | None
) -> None:
    record_change(
        actor=actor,
        action=action,
        instance=subscription,
        before=before,
        after=snapshot(subscription, AUDITED_FIELDS),
        summary=subscription.name,
    )


@transaction.atomic
def create_subscription(actor: Any, **changes: Any) -> Subscription:
    """Subscribe a URL to events; the new secret is on the returned object (show it once)."""
    require_admin(actor)
    clean = clean_fields(changes)
    subscription = Subscription.objects.create(
        **clean,
        secret=signing.new_secret(),
        owner=actor if getattr(actor, "is_authenticated", False) else None,
    )
    audit(actor, "create_webhook", subscription, None)
    return subscription


@transaction.atomic
def update_subscription(actor: Any, subscription: Subscription, **changes: Any) -> Subscription:
    require_admin(actor)
    subscription = Subscription.objects.select_for_update().get(pk=subscription.pk)
    before = snapshot(subscription, AUDITED_FIELDS)
    for name, value in clean_fields(changes).items():
        setattr(subscription, name, value)
    subscription.save()
    audit(actor, "update_webhook", subscription, before)
    return subscription


@transaction.atomic
def replace_secret(actor: Any, subscription: Subscription) -> Subscription:
    """Give the subscription a new secret (shown once); the old one stops verifying at once."""
    require_admin(actor)
    subscription = Subscription.objects.select_for_update().get(pk=subscription.pk)
    subscription.secret = signing.new_secret()
    subscription.save(update_fields=["secret", "updated_at"])
    audit(actor, "replace_webhook_secret", subscription, snapshot(subscription, AUDITED_FIELDS))
    return subscription


@transaction.atomic
def pause_subscription(actor: Any, subscription: Subscription) -> Subscription:
    require_admin(actor)
    subscription = Subscription.objects.select_for_update().get(pk=subscription.pk)
    before = snapshot(subscription, AUDITED_FIELDS)
    subscription.is_paused = True
    subscription.paused_reason = _("Paused by %(name)s") % {"name": getattr(actor, "username", "")}
    subscription.save(update_fields=["is_paused", "paused_reason", "updated_at"])
    audit(actor, "pause_webhook", subscription, before)
    return subscription


@transaction.atomic
def resume_subscription(actor: Any, subscription: Subscription) -> Subscription:
    """Resume deliveries; what waited while paused goes out now."""
    from okrflow.webhooks.tasks import sweep_deliveries

    require_admin(actor)
    subscription = Subscription.objects.select_for_update().get(pk=subscription.pk)
    before = snapshot(subscription, AUDITED_FIELDS)
    subscription.is_paused = False
    subscription.paused_reason = ""
    subscription.consecutive_failures = 0
    subscription.save(
        update_fields=["is_paused", "paused_reason", "consecutive_failures", "updated_at"]
    )
    audit(actor, "resume_webhook", subscription, before)
    enqueue_on_commit(sweep_deliveries)
    return subscription


@transaction.atomic
def delete_subscription(actor: Any, subscription: Subscription) -> None:
    require_admin(actor)
    subscription = Subscription.objects.select_for_update().get(pk=subscription.pk)
    audit(actor, "delete_webhook", subscription, snapshot(subscription, AUDITED_FIELDS))
    subscription.delete()


@transaction.atomic
def send_test_event(actor: Any, subscription: Subscription) -> Delivery:
    """Queue a test delivery to the subscription's URL."""
    from okrflow.webhooks.tasks import deliver

    require_admin(actor)
    now = timezone.now()
    delivery = Delivery.objects.create(
        subscription=subscription,
        event=events.TEST,
        source_key=f"test:{uuid.uuid4()}",
        payload={
            "event": events.TEST,
            "occurred_at": now.isoformat(),
            "actor": getattr(actor, "username", ""),
            "data": {"subscription": subscription.name},
        },
        next_attempt_at=now,
    )
    record_change(
        actor=actor,
        action="send_webhook_test",
        instance=subscription,
        before=None,
        after={"delivery_id": str(delivery.delivery_id)},
        summary=subscription.name,
    )
    enqueue_on_commit(deliver, delivery.pk)
    return delivery
