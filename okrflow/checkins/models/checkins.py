"""Weekly check-ins: one per owner per cycle week, append-only once submitted."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from okrflow.checkins.confidence import CONFIDENCE_DIGITS, level_of
from okrflow.okrs.models import VALUE_DIGITS

CONFIDENCE_RANGE = models.Q(confidence__isnull=True) | models.Q(
    confidence__gte=0, confidence__lte=1
)


class CheckInState(models.TextChoices):
    DRAFT = "draft", _("Prepared")
    SUBMITTED = "submitted", _("Submitted")


class Pace(models.TextChoices):
    """The person's own sense of their pace this week (OKRs.vn: nhanh / bình thường / chậm)."""

    FAST = "fast", _("Fast")
    NORMAL = "normal", _("Normal")
    SLOW = "slow", _("Slow")


class CheckInQuerySet(models.QuerySet):
    def submitted(self) -> CheckInQuerySet:
        return self.filter(state=CheckInState.SUBMITTED)

    def originals(self) -> CheckInQuerySet:
        """Return the first entry of each week (the one that counts for timeliness)."""
        return self.filter(corrects__isnull=True)

    def effective(self) -> CheckInQuerySet:
        """Return the entries no correction replaced: the ones that say what is true now."""
        return self.filter(corrections__isnull=True)


class CheckIn(models.Model):
    """An owner's weekly check-in for one cycle week.

    `week` is the Monday of the cycle week in the cycle's time zone (see
    `okrflow.engine.cadence`). A draft may change until it is submitted; a submitted entry
    never changes: a correction is a new submitted entry whose `corrects` names the entry it
    replaces, so the history keeps both.
    """

    person = models.ForeignKey(
        "org.Person", on_delete=models.PROTECT, related_name="checkins", verbose_name=_("person")
    )
    # Indexed by `checkin_cycle_week`: an index of its own would only cost every check-in's
    # insert.
    cycle = models.ForeignKey(
        "cycles.Cycle",
        on_delete=models.PROTECT,
        related_name="checkins",
        verbose_name=_("cycle"),
        db_index=False,
    )
    week = models.DateField(_("week"), help_text=_("The Monday that starts the cycle week."))
    state = models.CharField(
        _("state"), max_length=16, choices=CheckInState.choices, default=CheckInState.DRAFT
    )
    corrects = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="corrections",
        verbose_name=_("corrects"),
    )
    progress = models.TextField(_("progress so far"), blank=True)
    obstacles = models.TextField(_("obstacles"), blank=True)
    solutions = models.TextField(_("solutions and next steps"), blank=True)
    # The Vietnamese practice's two questions (#16): which work is or will be late (one item a
    # line), and the person's own sense of pace.
    late_work = models.TextField(_("work that is or will be late"), blank=True)
    pace = models.CharField(_("pace"), max_length=8, choices=Pace.choices, blank=True)
    confidence = models.DecimalField(
        _("overall confidence"), null=True, blank=True, **CONFIDENCE_DIGITS
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("created by"),
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("submitted by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)

    objects = CheckInQuerySet.as_manager()

    class Meta:
        verbose_name = _("check-in")
        verbose_name_plural = _("check-ins")
        ordering = ["-week", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "cycle", "week"],
                condition=models.Q(corrects__isnull=True),
                name="checkin_one_per_person_week",
            ),
            models.UniqueConstraint(
                fields=["corrects"],
                condition=models.Q(corrects__isnull=False),
                name="checkin_corrected_once",
            ),
            models.CheckConstraint(
                condition=models.Q(state=CheckInState.DRAFT, submitted_at__isnull=True)
                | models.Q(state=CheckInState.SUBMITTED, submitted_at__isnull=False),
                name="checkin_submitted_has_time",
            ),
            models.CheckConstraint(
                condition=models.Q(corrects__isnull=True) | models.Q(state=CheckInState.SUBMITTED),
                name="checkin_correction_is_submitted",
            ),
            models.CheckConstraint(condition=CONFIDENCE_RANGE, name="checkin_confidence_range"),
            models.CheckConstraint(
                condition=models.Q(pace="") | models.Q(pace__in=Pace.values),
                name="checkin_pace_known",
            ),
            models.CheckConstraint(
                condition=~models.Q(corrects=models.F("pk")), name="checkin_not_own_correction"
            ),
        ]
        indexes = [
            # Team page, reminders and compliance read one cycle week's check-ins.
            models.Index(fields=["cycle", "week"], name="checkin_cycle_week"),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} {self.week}"

    @property
    def is_submitted(self) -> bool:
        return self.state == CheckInState.SUBMITTED

    @property
    def confidence_level(self) -> str | None:
        return level_of(self.confidence)

    @property
    def late_items(self) -> list[str]:
        """The late work, one item a line."""
        return late_items(self.late_work)


def late_items(text: str) -> list[str]:
    """Split late work into its items: one a non-empty line."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


class KeyResultCheckIn(models.Model):
    """One key result's line in a check-in: the new value and how confident the owner is."""

    checkin = models.ForeignKey(  # indexed by `checkin_line_one_per_key_result`
        CheckIn,
        on_delete=models.CASCADE,
        related_name="lines",
        verbose_name=_("check-in"),
        db_index=False,
    )
    key_result = models.ForeignKey(
        "okrs.KeyResult",
        on_delete=models.PROTECT,
        related_name="checkin_lines",
        verbose_name=_("key result"),
    )
    value = models.DecimalField(_("value"), null=True, blank=True, **VALUE_DIGITS)
    confidence = models.DecimalField(_("confidence"), null=True, blank=True, **CONFIDENCE_DIGITS)
    note = models.CharField(_("note"), max_length=500, blank=True)
    # The value history row this line wrote (or, in the demo, reused) when it was submitted.
    value_record = models.ForeignKey(
        "okrs.KeyResultValue",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded value"),
    )

    class Meta:
        verbose_name = _("key result check-in")
        verbose_name_plural = _("key result check-ins")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["checkin", "key_result"], name="checkin_line_one_per_key_result"
            ),
            models.CheckConstraint(
                condition=CONFIDENCE_RANGE, name="checkin_line_confidence_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.key_result_id}: {self.value}"

    @property
    def confidence_level(self) -> str | None:
        return level_of(self.confidence)


class FeedbackKind(models.TextChoices):
    COMMENT = "comment", _("Comment")
    RECOGNITION = "recognition", _("Recognition")


class CheckInFeedback(models.Model):
    """A comment on a check-in, or a manager's recognition (a short "well done")."""

    checkin = models.ForeignKey(
        CheckIn, on_delete=models.PROTECT, related_name="feedback", verbose_name=_("check-in")
    )
    author = models.ForeignKey(
        "org.Person", on_delete=models.PROTECT, related_name="+", verbose_name=_("author")
    )
    kind = models.CharField(
        _("kind"), max_length=16, choices=FeedbackKind.choices, default=FeedbackKind.COMMENT
    )
    body = models.TextField(_("text"))
    created_at = models.DateTimeField(_("written at"), auto_now_add=True)

    class Meta:
        verbose_name = _("check-in feedback")
        verbose_name_plural = _("check-in feedback")
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(condition=~models.Q(body=""), name="feedback_has_text"),
        ]

    def __str__(self) -> str:
        return self.body[:50]


class LateWorkInitiative(models.Model):
    """A late item of a check-in turned into an initiative: the check-in keeps what it said."""

    checkin = models.ForeignKey(
        CheckIn,
        on_delete=models.PROTECT,
        related_name="late_initiatives",
        verbose_name=_("check-in"),
    )
    item = models.CharField(_("late work"), max_length=300)
    initiative = models.OneToOneField(
        "okrs.Initiative",
        on_delete=models.PROTECT,
        related_name="late_work",
        verbose_name=_("initiative"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("late work turned into an initiative")
        verbose_name_plural = _("late work turned into initiatives")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["checkin", "item"], name="late_work_once"),
        ]

    def __str__(self) -> str:
        return self.item[:50]
