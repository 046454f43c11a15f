"""Webhook subscriptions, their deliveries and each delivery's attempts (the delivery log)."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class MessageFormat(models.TextChoices):
    JSON = "json", _("Signed JSON")
    SLACK = "slack", _("Slack message")
    TEAMS = "teams", _("Microsoft Teams message")


class Subscription(models.Model):
    """A URL that receives some events, in one format and language."""

    name = models.CharField(_("name"), max_length=100)
    url = models.URLField(_("URL"), max_length=500)
    message_format = models.CharField(
        _("format"), max_length=8, choices=MessageFormat.choices, default=MessageFormat.JSON
    )
    language = models.CharField(_("language"), max_length=8, default="vi")
    events = models.JSONField(_("events"), default=list)
    unit = models.ForeignKey(
        "org.OrgUnit",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("unit of the weekly digest"),
    )
    # Kept readable: every delivery is signed with it. Shown once, when made or replaced.
    secret = models.CharField(_("secret"), max_length=80)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("owner"),
    )
    is_paused = models.BooleanField(_("paused"), default=False)
    paused_reason = models.CharField(_("why paused"), max_length=200, blank=True)
    consecutive_failures = models.PositiveIntegerField(_("failures in a row"), default=0)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("webhook subscription")
        verbose_name_plural = _("webhook subscriptions")
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name


class DeliveryState(models.TextChoices):
    PENDING = "pending", _("Waiting")
    DELIVERED = "delivered", _("Delivered")
    FAILED = "failed", _("Gave up")


class Delivery(models.Model):
    """One event for one subscription, delivered once or retried until it gives up."""

    delivery_id = models.UUIDField(_("delivery id"), default=uuid.uuid4, unique=True)
    subscription = models.ForeignKey(
        Subscription,
        on_delete=models.CASCADE,
        related_name="deliveries",
        verbose_name=_("subscription"),
    )
    event = models.CharField(_("event"), max_length=48)
    # What makes an event unique for a subscription ("audit:12:objective.created"): the
    # dispatcher may look at one audit row twice, the database keeps one delivery.
    source_key = models.CharField(_("source"), max_length=120)
    payload = models.JSONField(_("payload"), default=dict)
    state = models.CharField(
        _("state"), max_length=12, choices=DeliveryState.choices, default=DeliveryState.PENDING
    )
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"))
    # A worker holds a delivery while it sends it; a killed worker's hold runs out.
    claimed_until = models.DateTimeField(_("claimed until"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    delivered_at = models.DateTimeField(_("delivered"), null=True, blank=True)

    class Meta:
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["subscription", "source_key"], name="webhook_delivery_once_per_source"
            ),
        ]
        indexes = [
            # The sweep reads the pending deliveries that are due.
            models.Index(fields=["state", "next_attempt_at"], name="webhook_delivery_due"),
        ]

    def __str__(self) -> str:
        return f"{self.event} → {self.subscription_id}"


class Attempt(models.Model):
    """One HTTP request of a delivery: the delivery log's line."""

    delivery = models.ForeignKey(
        Delivery, on_delete=models.CASCADE, related_name="attempt_log", verbose_name=_("delivery")
    )
    at = models.DateTimeField(_("at"))
    succeeded = models.BooleanField(_("succeeded"), default=False)
    response_code = models.PositiveIntegerField(_("response code"), null=True, blank=True)
    duration_ms = models.PositiveIntegerField(_("duration (ms)"), default=0)
    error = models.CharField(_("error"), max_length=300, blank=True)
    # The first kilobyte of the answer, no more: a receiver's page is not ours to keep.
    response_excerpt = models.CharField(_("response"), max_length=1024, blank=True)

    class Meta:
        verbose_name = _("delivery attempt")
        verbose_name_plural = _("delivery attempts")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.delivery_id} {self.response_code or self.error}"


class DispatchCursor(models.Model):
    """The last audit row whose events have been handed out for good (one row)."""

    last_audit_id = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("dispatch cursor")

    def __str__(self) -> str:
        return f"after audit #{self.last_audit_id}"
