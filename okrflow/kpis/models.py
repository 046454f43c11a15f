"""KPIs: health metrics owned by a unit or a person, kept in a range, checked in weekly."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from okrflow.okrs.models import VALUE_DIGITS


class RangeKind(models.TextChoices):
    AT_LEAST = "at_least", _("At least")
    AT_MOST = "at_most", _("At most")
    BETWEEN = "between", _("Between")


class Kpi(models.Model):
    """A health metric to keep in range (not a goal to reach): sessions per week, cost per lead."""

    name = models.CharField(_("name"), max_length=200)
    unit = models.CharField(_("unit"), max_length=50, blank=True)
    owner_unit = models.ForeignKey(
        "org.OrgUnit",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="kpis",
        verbose_name=_("owner (unit)"),
    )
    owner_person = models.ForeignKey(
        "org.Person",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="kpis",
        verbose_name=_("owner (person)"),
    )
    range_kind = models.CharField(_("healthy range"), max_length=16, choices=RangeKind.choices)
    minimum = models.DecimalField(_("minimum"), null=True, blank=True, **VALUE_DIGITS)
    maximum = models.DecimalField(_("maximum"), null=True, blank=True, **VALUE_DIGITS)
    is_archived = models.BooleanField(_("archived"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("KPI")
        verbose_name_plural = _("KPIs")
        ordering = ["name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(owner_unit__isnull=False, owner_person__isnull=True)
                | Q(owner_unit__isnull=True, owner_person__isnull=False),
                name="kpi_one_owner",
            ),
            models.CheckConstraint(
                condition=Q(minimum__isnull=True)
                | Q(maximum__isnull=True)
                | Q(minimum__lte=models.F("maximum")),
                name="kpi_minimum_not_above_maximum",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def owner_name(self) -> str:
        owner = self.owner_unit or self.owner_person
        return str(getattr(owner, "name", None) or getattr(owner, "full_name", ""))


class KpiValue(models.Model):
    """One checked-in value of a KPI.

    Append-only, like check-ins: a mistaken value is never changed; its correction is a new
    value whose `corrects` names it, for the same day, and the corrected one stays in the
    history (shown struck through) but no longer counts.
    """

    kpi = models.ForeignKey(Kpi, on_delete=models.CASCADE, related_name="values")
    measured_on = models.DateField(_("measured on"))
    value = models.DecimalField(_("value"), **VALUE_DIGITS)
    corrects = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="corrections",
        verbose_name=_("corrects"),
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["measured_on", "id"]
        # The KPI lists and `okrflow kpis` read each KPI's values in date order.
        indexes = [models.Index(fields=["kpi", "measured_on"], name="kpi_value_by_day")]
        constraints = [
            # A value is corrected once; a later fix corrects the correction.
            models.UniqueConstraint(
                fields=["corrects"],
                condition=Q(corrects__isnull=False),
                name="kpi_value_corrected_once",
            ),
            models.CheckConstraint(
                condition=~Q(corrects=models.F("pk")), name="kpi_value_not_own_correction"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kpi_id} {self.measured_on}: {self.value}"


class KeyResultKpi(models.Model):
    """The KPI a key result moves: the KR page shows it beside the key result."""

    key_result = models.OneToOneField(
        "okrs.KeyResult", on_delete=models.CASCADE, related_name="kpi_link"
    )
    kpi = models.ForeignKey(Kpi, on_delete=models.CASCADE, related_name="key_result_links")

    def __str__(self) -> str:
        return f"{self.key_result_id} → {self.kpi_id}"
