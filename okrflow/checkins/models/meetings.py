"""The weekly 1:1 between a person and their manager, in four phases."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class MeetingPhase(models.TextChoices):
    """The article's four phases of a check-in meeting."""

    BEFORE = "before", _("Before: prepare")
    DURING = "during", _("During: discuss")
    END = "end", _("End: agree actions")
    AFTER = "after", _("After: follow up")


class OneOnOne(models.Model):
    """A 1:1 about one person's check-in for one cycle week.

    Before: the person prepares the check-in (a draft). During: both go through it key result
    by key result and take notes (`started_at` set). End: agreed actions become initiatives and
    the next check-in date is set (`ended_at`). After: the open actions follow the person.
    """

    person = models.ForeignKey(
        "org.Person", on_delete=models.PROTECT, related_name="one_on_ones", verbose_name=_("person")
    )
    manager = models.ForeignKey(
        "org.Person",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("manager"),
    )
    cycle = models.ForeignKey(
        "cycles.Cycle", on_delete=models.PROTECT, related_name="+", verbose_name=_("cycle")
    )
    week = models.DateField(_("week"))
    notes = models.TextField(_("notes"), blank=True)
    next_checkin_on = models.DateField(_("next check-in"), null=True, blank=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("1:1 meeting")
        verbose_name_plural = _("1:1 meetings")
        ordering = ["-week", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "cycle", "week"], name="one_on_one_per_person_week"
            ),
            models.CheckConstraint(
                condition=models.Q(ended_at__isnull=True) | models.Q(started_at__isnull=False),
                name="one_on_one_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"1:1 {self.person_id} {self.week}"

    @property
    def phase(self) -> str:
        if self.ended_at is not None:
            return MeetingPhase.AFTER
        if self.started_at is not None:
            return MeetingPhase.DURING
        return MeetingPhase.BEFORE

    @property
    def is_ended(self) -> bool:
        return self.ended_at is not None


class MeetingNote(models.Model):
    """The 1:1's note on one key result."""

    meeting = models.ForeignKey(
        OneOnOne, on_delete=models.CASCADE, related_name="kr_notes", verbose_name=_("1:1")
    )
    key_result = models.ForeignKey(
        "okrs.KeyResult", on_delete=models.PROTECT, related_name="+", verbose_name=_("key result")
    )
    body = models.TextField(_("note"))

    class Meta:
        verbose_name = _("1:1 note")
        verbose_name_plural = _("1:1 notes")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "key_result"], name="meeting_note_one_per_key_result"
            ),
        ]

    def __str__(self) -> str:
        return self.body[:50]


class AgreedAction(models.Model):
    """An action agreed at the end of a 1:1; the work itself is an initiative under a KR."""

    meeting = models.ForeignKey(
        OneOnOne, on_delete=models.PROTECT, related_name="actions", verbose_name=_("1:1")
    )
    initiative = models.OneToOneField(
        "okrs.Initiative",
        on_delete=models.PROTECT,
        related_name="agreed_in",
        verbose_name=_("initiative"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("agreed action")
        verbose_name_plural = _("agreed actions")
        ordering = ["id"]

    def __str__(self) -> str:
        return str(self.initiative_id)
