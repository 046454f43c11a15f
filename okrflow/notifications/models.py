"""A person's notifications and their choice of delivery per kind."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from okrflow.notifications.kinds import Channel, Kind


class NotificationKind(models.TextChoices):
    PROPOSAL_WAITING = Kind.PROPOSAL_WAITING.value, _("A proposal waits for you")
    PROPOSAL_AGREED = Kind.PROPOSAL_AGREED.value, _("Your proposal was agreed")
    PROPOSAL_SENT_BACK = Kind.PROPOSAL_SENT_BACK.value, _("Your proposal was sent back")
    COMMENT = Kind.COMMENT.value, _("Comments")
    MENTION = Kind.MENTION.value, _("Mentions")
    FEEDBACK = Kind.FEEDBACK.value, _("Feedback and recognition on your check-in")
    RISK_RAISED = Kind.RISK_RAISED.value, _("A risk on your key result")
    FOLLOWED_STATUS = Kind.FOLLOWED_STATUS.value, _("A key result you follow changed status")
    SOURCE_FAILED = Kind.SOURCE_FAILED.value, _("A data source failed")
    REPORT_READY = Kind.REPORT_READY.value, _("A report you asked for is ready")
    CHECKIN_REMINDER = Kind.CHECKIN_REMINDER.value, _("Check-in reminders")


class NotificationChannel(models.TextChoices):
    IN_APP = Channel.IN_APP.value, _("In the app only")
    EMAIL = Channel.EMAIL.value, _("Email at once")
    DIGEST = Channel.DIGEST.value, _("Daily email digest")
    OFF = Channel.OFF.value, _("Off")


class Notification(models.Model):
    """One thing one person should know about; made once per (recipient, kind, source key).

    The text is not stored: `params` keeps what the text needs, and the inbox and the email
    render it in the recipient's language when they are shown.
    """

    recipient = models.ForeignKey(
        "org.Person",
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("recipient"),
    )
    kind = models.CharField(_("kind"), max_length=40, choices=NotificationKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("by"),
    )
    objective = models.ForeignKey(
        "okrs.Objective",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("objective"),
    )
    key_result = models.ForeignKey(
        "okrs.KeyResult",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("key result"),
    )
    # What makes this notification the one and only: e.g. "audit:123", "comment:45".
    source_key = models.CharField(_("source"), max_length=200)
    params = models.JSONField(_("details"), default=dict, blank=True)
    url = models.CharField(_("link"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("emailed"), null=True, blank=True)
    # The channel chosen when it was made: a later change of preference does not re-route it.
    delivery = models.CharField(
        _("delivery"),
        max_length=10,
        choices=NotificationChannel.choices,
        default=NotificationChannel.IN_APP,
    )

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "kind", "source_key"], name="notification_once"
            ),
        ]
        indexes = [
            models.Index(fields=["recipient", "read_at"], name="notification_unread"),
            models.Index(fields=["recipient", "-created_at"], name="notification_inbox"),
            # The daily digest: every digest notification not yet emailed.
            models.Index(
                fields=["delivery", "created_at"],
                name="notification_digest_due",
                condition=models.Q(emailed_at__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} for {self.recipient_id} ({self.source_key})"


class NotificationPreference(models.Model):
    """How one person wants one kind of notification delivered (no row: the kind's default)."""

    person = models.ForeignKey(
        "org.Person",
        on_delete=models.CASCADE,
        related_name="notification_preferences",
        verbose_name=_("person"),
    )
    kind = models.CharField(_("kind"), max_length=40, choices=NotificationKind.choices)
    channel = models.CharField(_("delivery"), max_length=10, choices=NotificationChannel.choices)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        constraints = [
            models.UniqueConstraint(fields=["person", "kind"], name="notification_preference_once"),
        ]

    def __str__(self) -> str:
        return f"{self.person_id}: {self.kind} → {self.channel}"
