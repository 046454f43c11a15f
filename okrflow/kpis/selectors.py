"""KPIs with their values, current value, range and warning, read in two queries."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Q, QuerySet

from okrflow.engine.kpi import in_range, is_warned
from okrflow.kpis.models import Kpi, KpiValue


@dataclass
class KpiRow:
    kpi: Kpi
    values: list[tuple[Any, Decimal]] = field(default_factory=list)  # (day, value), oldest first

    @property
    def current(self) -> Decimal | None:
        return self.values[-1][1] if self.values else None

    @property
    def in_range(self) -> bool | None:
        current = self.current
        if current is None:
            return None
        return in_range(current, self.kpi.range_kind, self.kpi.minimum, self.kpi.maximum)

    @property
    def warned(self) -> bool:
        days = [value for _, value in self.values]
        return is_warned(days, self.kpi.range_kind, self.kpi.minimum, self.kpi.maximum)


def visible_kpis(user: Any) -> QuerySet[Kpi]:
    """Every live KPI for a member of the organisation (KPIs are not private); none otherwise."""
    from okrflow.org.access import access_for

    if user is not None and not access_for(user).is_member:
        return Kpi.objects.none()
    return Kpi.objects.filter(is_archived=False)


def kpi_rows(queryset: QuerySet[Kpi]) -> list[KpiRow]:
    """Return the KPIs with their values by day (the newest value of a day counts; a corrected
    value does not)."""
    kpis = list(queryset.select_related("owner_unit", "owner_person"))
    rows = list(
        KpiValue.objects.filter(kpi__in=[k.pk for k in kpis])
        .order_by("kpi_id", "measured_on", "id")
        .values_list("id", "kpi_id", "measured_on", "value", "corrects_id")
    )
    corrected = {corrects for *_, corrects in rows if corrects is not None}
    by_day: dict[int, dict[Any, Decimal]] = defaultdict(dict)
    for pk, kpi_id, day, value, _corrects in rows:
        if pk not in corrected:
            by_day[kpi_id][day] = value
    return [KpiRow(kpi, sorted(by_day[kpi.pk].items())) for kpi in kpis]


def readable_kpis(user: Any) -> QuerySet[Kpi]:
    """Every KPI, archived too, for a member (an archived KPI keeps its page and history)."""
    from okrflow.org.access import access_for

    if user is not None and not access_for(user).is_member:
        return Kpi.objects.none()
    return Kpi.objects.all()


def kpi_history(kpi: Kpi) -> list[KpiValue]:
    """Every value of a KPI, newest day first, corrections beside what they correct."""
    values = list(
        KpiValue.objects.filter(kpi=kpi)
        .select_related("recorded_by")
        .order_by("-measured_on", "-id")
    )
    corrected = {value.corrects_id for value in values if value.corrects_id is not None}
    for value in values:
        value.is_corrected = value.pk in corrected  # type: ignore[attr-defined]
    return values


def kpis_of(
    user: Any, *, unit_ids: list[int] | None = None, person_id: int | None = None
) -> list[KpiRow]:
    """Return the KPIs owned by these units or this person (for My OKRs and unit pages)."""
    query = Q(pk__in=[])
    if unit_ids:
        query |= Q(owner_unit_id__in=unit_ids)
    if person_id:
        query |= Q(owner_person_id=person_id)
    return kpi_rows(visible_kpis(user).filter(query))
