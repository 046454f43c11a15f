"""The end of a cycle: its closing, frozen grades, reflections and carried-over objectives."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from okrflow.okrs.models import VALUE_DIGITS

SCORE_DIGITS = {"max_digits": 3, "decimal_places": 2}
SCORE_RANGE = models.Q(score__gte=0) & models.Q(score__lte=1)


class Band(models.TextChoices):
    RED = "red", _("0.0–0.3: failed to make real progress")
    YELLOW = "yellow", _("0.4–0.6: progress, but short of the goal")
    GREEN = "green", _("0.7–1.0: delivered")


class CycleClosing(models.Model):
    """The moment a cycle closed: who closed it and which targets it was graded on."""

    cycle = models.OneToOneField(
        "cycles.Cycle", on_delete=models.PROTECT, related_name="closing", verbose_name=_("cycle")
    )
    closed_at = models.DateTimeField(_("closed at"), auto_now_add=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("closed by"),
    )
    use_original_targets = models.BooleanField(_("graded on the original targets"), default=False)

    class Meta:
        verbose_name = _("cycle closing")
        verbose_name_plural = _("cycle closings")

    def __str__(self) -> str:
        return str(self.cycle)


class KeyResultGrade(models.Model):
    """A key result's frozen final value and score."""

    closing = models.ForeignKey(
        CycleClosing,
        on_delete=models.PROTECT,
        related_name="key_result_grades",
        verbose_name=_("closing"),
    )
    key_result = models.OneToOneField(
        "okrs.KeyResult",
        on_delete=models.PROTECT,
        related_name="grade",
        verbose_name=_("key result"),
    )
    final_value = models.DecimalField(_("final value"), null=True, blank=True, **VALUE_DIGITS)
    target_used = models.DecimalField(_("target graded on"), null=True, blank=True, **VALUE_DIGITS)
    progress = models.DecimalField(_("progress"), max_digits=12, decimal_places=4)
    score = models.DecimalField(_("score"), **SCORE_DIGITS)
    band = models.CharField(_("band"), max_length=8, choices=Band.choices)

    class Meta:
        verbose_name = _("key result grade")
        verbose_name_plural = _("key result grades")
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(condition=SCORE_RANGE, name="kr_grade_score_range"),
        ]

    def __str__(self) -> str:
        return f"{self.key_result_id}: {self.score}"


class ObjectiveGrade(models.Model):
    """An objective's frozen score and whether its kind counts it a success."""

    closing = models.ForeignKey(
        CycleClosing,
        on_delete=models.PROTECT,
        related_name="objective_grades",
        verbose_name=_("closing"),
    )
    objective = models.OneToOneField(
        "okrs.Objective",
        on_delete=models.PROTECT,
        related_name="grade",
        verbose_name=_("objective"),
    )
    kind = models.CharField(_("kind"), max_length=16)
    score = models.DecimalField(_("score"), **SCORE_DIGITS)
    band = models.CharField(_("band"), max_length=8, choices=Band.choices)
    success = models.BooleanField(_("success"))

    class Meta:
        verbose_name = _("objective grade")
        verbose_name_plural = _("objective grades")
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(condition=SCORE_RANGE, name="objective_grade_score_range"),
        ]

    def __str__(self) -> str:
        return f"{self.objective_id}: {self.score}"


class Reflection(models.Model):
    """What went well, what did not, and what the owner learned, for one objective."""

    objective = models.OneToOneField(
        "okrs.Objective",
        on_delete=models.PROTECT,
        related_name="reflection",
        verbose_name=_("objective"),
    )
    went_well = models.TextField(_("what went well"), blank=True)
    went_badly = models.TextField(_("what did not go well"), blank=True)
    lessons = models.TextField(_("lessons for next cycle"), blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("updated by"),
    )
    version = models.PositiveIntegerField(_("version"), default=1)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("reflection")
        verbose_name_plural = _("reflections")

    def __str__(self) -> str:
        return str(self.objective_id)


class CarryOver(models.Model):
    """An unfinished objective copied into a later cycle, linked back to where it came from."""

    source = models.OneToOneField(
        "okrs.Objective",
        on_delete=models.PROTECT,
        related_name="carried_to",
        verbose_name=_("carried from"),
    )
    copy = models.OneToOneField(
        "okrs.Objective",
        on_delete=models.PROTECT,
        related_name="carried_from",
        verbose_name=_("carried into"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("carried by"),
    )
    created_at = models.DateTimeField(_("carried at"), auto_now_add=True)

    class Meta:
        verbose_name = _("carried-over objective")
        verbose_name_plural = _("carried-over objectives")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(source=models.F("copy")), name="carry_over_not_to_itself"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.source_id} → {self.copy_id}"
