"""Reminder preferences and the log that makes reminders idempotent."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class CheckinPreference(models.Model):
    """A person's check-in settings: reminders can pause while they are on leave."""

    person = models.OneToOneField(
        "org.Person",
        on_delete=models.CASCADE,
        related_name="checkin_preference",
        verbose_name=_("person"),
    )
    reminders_paused_until = models.DateField(
        _("reminders paused until"),
        null=True,
        blank=True,
        help_text=_("No reminder or digest is sent up to and including this day."),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("check-in preference")
        verbose_name_plural = _("check-in preferences")

    def __str__(self) -> str:
        return str(self.person_id)


class ReminderKind(models.TextChoices):
    BEFORE = "before", _("Reminder before the check-in")
    OVERDUE = "overdue", _("Overdue notice")
    DIGEST = "digest", _("Weekly digest for managers")


class ReminderLog(models.Model):
    """One reminder sent; the unique constraint makes every reminder go out at most once."""

    person = models.ForeignKey(
        "org.Person", on_delete=models.CASCADE, related_name="+", verbose_name=_("recipient")
    )
    cycle = models.ForeignKey(
        "cycles.Cycle", on_delete=models.CASCADE, related_name="+", verbose_name=_("cycle")
    )
    week = models.DateField(_("week"))
    kind = models.CharField(_("kind"), max_length=16, choices=ReminderKind.choices)
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    class Meta:
        verbose_name = _("reminder sent")
        verbose_name_plural = _("reminders sent")
        ordering = ["-sent_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "cycle", "week", "kind"], name="reminder_once_per_week_and_kind"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.person_id} {self.week}"
