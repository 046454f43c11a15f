"""OKR cycles: a year, a quarter, a month or a custom range, nested, with a check-in rhythm."""

from __future__ import annotations

import datetime

from django.db import models
from django.utils.translation import gettext_lazy as _


class CycleKind(models.TextChoices):
    YEAR = "year", _("Year")
    QUARTER = "quarter", _("Quarter")
    MONTH = "month", _("Month")
    CUSTOM = "custom", _("Custom range")


class CycleState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ACTIVE = "active", _("Active")
    CLOSED = "closed", _("Closed")


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


class Cycle(models.Model):
    """A period in which objectives are set, tracked weekly and graded."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    kind = models.CharField(
        _("kind"), max_length=16, choices=CycleKind.choices, default=CycleKind.QUARTER
    )
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    state = models.CharField(
        _("state"), max_length=16, choices=CycleState.choices, default=CycleState.DRAFT
    )
    checkin_weekday = models.PositiveSmallIntegerField(
        _("check-in weekday"), choices=Weekday.choices, default=Weekday.FRIDAY
    )
    checkin_hour = models.PositiveSmallIntegerField(_("check-in hour"), default=17)
    time_zone = models.CharField(_("time zone"), max_length=64, default="Asia/Ho_Chi_Minh")
    # The cycle this one sits inside: a month in its quarter, a quarter in its year. Objectives
    # may align to objectives of an enclosing cycle. PROTECT: a year with quarters stays.
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        verbose_name=_("inside cycle"),
    )

    class Meta:
        verbose_name = _("cycle")
        verbose_name_plural = _("cycles")
        ordering = ["-start_date", "name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__gte=models.F("start_date")),
                name="cycle_ends_after_start",
            ),
            models.CheckConstraint(
                condition=models.Q(checkin_weekday__lte=6), name="cycle_checkin_weekday_range"
            ),
            models.CheckConstraint(
                condition=models.Q(checkin_hour__lte=23), name="cycle_checkin_hour_range"
            ),
            models.CheckConstraint(
                condition=~models.Q(parent=models.F("pk")), name="cycle_not_own_parent"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_closed(self) -> bool:
        return self.state == CycleState.CLOSED

    def contains(self, day: datetime.date) -> bool:
        """Tell whether a date lies inside the cycle."""
        return self.start_date <= day <= self.end_date
