"""Create KPIs, check their values in, link a key result to the KPI it moves (audited)."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from okrflow.action_support import deny, to_decimal
from okrflow.audit.log import record_change, snapshot
from okrflow.engine.kpi import range_problem
from okrflow.kpis.models import KeyResultKpi, Kpi, KpiValue, RangeKind
from okrflow.okrs.models import KeyResult
from okrflow.org.access import access_for
from okrflow.org.models import OrgUnit, Person


def may_manage(actor: Any, kpi: Kpi) -> bool:
    """Admins, the lead of the owning unit (or a unit above), the owner and their managers."""
    if actor is None:
        return True
    access = access_for(actor)
    if access.is_admin:
        return True
    if access.person is None:
        return False
    if kpi.owner_unit_id is not None:
        unit = kpi.owner_unit
        # The unit's materialised path ("/1/4/9/") names every unit above it.
        return unit is not None and any(f"/{pk}/" in unit.path for pk in access.led_unit_ids)
    person = kpi.owner_person
    return person is not None and (
        person.pk == access.person.pk or access.manages_person(person.pk, person.unit_id)
    )


def may_check_in(actor: Any, kpi: Kpi) -> bool:
    """Who manages the KPI, and the members of its unit (they check it in every week)."""
    if may_manage(actor, kpi):
        return True
    access = access_for(actor)
    return (
        access.person is not None
        and kpi.owner_unit_id is not None
        and access.person.unit_id == kpi.owner_unit_id
    )


RANGE_MESSAGES = {
    "unknown_kind": lambda: _("Choose at least, at most or between."),
    "minimum_missing": lambda: _("Give the lowest healthy value."),
    "maximum_missing": lambda: _("Give the highest healthy value."),
    "minimum_above_maximum": lambda: _("The lowest healthy value is above the highest."),
}


@transaction.atomic
def create_kpi(
    actor: Any,
    *,
    name: str,
    owner: OrgUnit | Person,
    range_kind: str,
    minimum: Any = None,
    maximum: Any = None,
    unit: str = "",
) -> Kpi:
    """Add a health metric with its healthy range."""
    kpi = Kpi(name=(name or "").strip(), unit=(unit or "").strip()[:50], range_kind=range_kind)
    if isinstance(owner, OrgUnit):
        kpi.owner_unit = owner
    elif isinstance(owner, Person):
        kpi.owner_person = owner
    else:
        raise ValidationError({"owner": _("Choose a unit or a person to own the KPI.")})
    if not may_manage(actor, kpi):
        raise deny(_("You cannot add KPIs for this owner."))
    if not kpi.name:
        raise ValidationError({"name": _("Name the KPI.")})
    if len(kpi.name) > 200:
        raise ValidationError({"name": _("Keep the name under 200 characters.")})
    column_min = Kpi._meta.get_field("minimum")
    low = to_decimal(minimum, "minimum", column=column_min)
    high = to_decimal(maximum, "maximum", column=Kpi._meta.get_field("maximum"))
    # A bound the range does not use is not kept: "at least 10" has no maximum.
    kpi.minimum = low if range_kind in (RangeKind.AT_LEAST, RangeKind.BETWEEN) else None
    kpi.maximum = high if range_kind in (RangeKind.AT_MOST, RangeKind.BETWEEN) else None
    problem = range_problem(range_kind, kpi.minimum, kpi.maximum)
    if problem:
        field = "range_kind" if problem == "unknown_kind" else "minimum"
        raise ValidationError({field: RANGE_MESSAGES[problem]()})
    kpi.save()
    record_change(
        actor=actor,
        action="create_kpi",
        instance=kpi,
        before=None,
        after=snapshot(kpi),
        summary=kpi.name,
    )
    return kpi


@transaction.atomic
def record_kpi_value(actor: Any, kpi: Kpi, *, value: Any, measured_on: datetime.date) -> KpiValue:
    """Check in this week's value of a KPI (appended; the newest value of a day counts)."""
    kpi = Kpi.objects.select_related("owner_unit", "owner_person").get(pk=kpi.pk)
    if not may_check_in(actor, kpi):
        raise deny(_("You cannot check in this KPI."))
    if kpi.is_archived:
        raise ValidationError(_("This KPI is archived."))
    number = to_decimal(value, "value", required=True, column=KpiValue._meta.get_field("value"))
    assert number is not None  # required=True: an empty value was refused above
    row = KpiValue.objects.create(
        kpi=kpi,
        measured_on=measured_on,
        value=number,
        recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    record_change(
        actor=actor,
        action="record_kpi_value",
        instance=row,
        before=None,
        after=snapshot(row),
        summary=kpi.name,
    )
    return row


@transaction.atomic
def link_key_result_to_kpi(actor: Any, key_result: KeyResult, kpi: Kpi | None) -> None:
    """Name the KPI a key result moves (None: no KPI)."""
    kr = KeyResult.objects.select_related("objective__owner_person", "owner").get(pk=key_result.pk)
    if actor is not None and not access_for(actor).can_update_key_result(kr):
        raise deny(_("You cannot change this key result."))
    existing = KeyResultKpi.objects.filter(key_result=kr).first()
    before = snapshot(existing) if existing else None
    if kpi is None:
        if existing is None:
            return
        record_change(
            actor=actor, action="unlink_kpi", instance=existing, before=before, after=None
        )
        existing.delete()
        return
    link = existing or KeyResultKpi(key_result=kr)
    link.kpi = kpi
    link.save()
    record_change(
        actor=actor,
        action="link_kpi",
        instance=link,
        before=before,
        after=snapshot(link),
        summary=f"{kr.title} → {kpi.name}",
    )
