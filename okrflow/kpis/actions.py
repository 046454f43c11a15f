"""Create, edit and archive KPIs, check values in and correct them, link a key result to the
KPI it moves. Every change is one transaction with an audit row; values are append-only."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
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


def set_owner(kpi: Kpi, owner: OrgUnit | Person | None) -> None:
    """Give the KPI its owner: a unit or a person, never both."""
    if isinstance(owner, OrgUnit):
        kpi.owner_unit, kpi.owner_person = owner, None
    elif isinstance(owner, Person):
        kpi.owner_unit, kpi.owner_person = None, owner
    else:
        raise ValidationError({"owner": _("Choose a unit or a person to own the KPI.")})


def clean_fields(
    kpi: Kpi, *, name: str, unit: str, range_kind: str, minimum: Any, maximum: Any
) -> None:
    """Check and set the name, unit and healthy range; explain the first problem."""
    kpi.name = (name or "").strip()
    kpi.unit = (unit or "").strip()
    kpi.range_kind = range_kind
    if not kpi.name:
        raise ValidationError({"name": _("Name the KPI.")})
    if len(kpi.name) > 200:
        raise ValidationError({"name": _("Keep the name under 200 characters.")})
    if len(kpi.unit) > 50:
        raise ValidationError({"unit": _("Keep the unit under 50 characters.")})
    low = to_decimal(minimum, "minimum", column=Kpi._meta.get_field("minimum"))
    high = to_decimal(maximum, "maximum", column=Kpi._meta.get_field("maximum"))
    # A bound the range does not use is not kept: "at least 10" has no maximum.
    kpi.minimum = low if range_kind in (RangeKind.AT_LEAST, RangeKind.BETWEEN) else None
    kpi.maximum = high if range_kind in (RangeKind.AT_MOST, RangeKind.BETWEEN) else None
    problem = range_problem(range_kind, kpi.minimum, kpi.maximum)
    if problem:
        field = "range_kind" if problem == "unknown_kind" else "minimum"
        raise ValidationError({field: RANGE_MESSAGES[problem]()})


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
    kpi = Kpi(range_kind=range_kind)
    set_owner(kpi, owner)
    if not may_manage(actor, kpi):
        raise deny(_("You cannot add KPIs for this owner."))
    clean_fields(kpi, name=name, unit=unit, range_kind=range_kind, minimum=minimum, maximum=maximum)
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


def locked_kpi(kpi: Kpi) -> Kpi:
    """Read the KPI afresh, locked for the rest of the transaction."""
    # Only the KPI's row is locked (`of`), not its owner's.
    return (
        Kpi.objects.select_for_update(of=("self",))
        .select_related("owner_unit", "owner_person")
        .get(pk=kpi.pk)
    )


@transaction.atomic
def update_kpi(
    actor: Any,
    kpi: Kpi,
    *,
    name: str,
    range_kind: str,
    minimum: Any = None,
    maximum: Any = None,
    unit: str = "",
    owner: OrgUnit | Person | None = None,
) -> Kpi:
    """Change a KPI's name, unit, healthy range or owner (None: the owner stays).

    Who manages the KPI may change it; a new owner must be one they manage too.
    """
    kpi = locked_kpi(kpi)
    if not may_manage(actor, kpi):
        raise deny(_("You cannot change this KPI."))
    before = snapshot(kpi)
    if owner is not None:
        set_owner(kpi, owner)
        if not may_manage(actor, kpi):
            raise deny(_("You cannot give the KPI to this owner."))
    clean_fields(kpi, name=name, unit=unit, range_kind=range_kind, minimum=minimum, maximum=maximum)
    after = snapshot(kpi)
    if after == before:
        return kpi
    kpi.save()
    record_change(
        actor=actor, action="update_kpi", instance=kpi, before=before, after=after, summary=kpi.name
    )
    return kpi


@transaction.atomic
def set_kpi_archived(actor: Any, kpi: Kpi, *, archived: bool) -> Kpi:
    """Archive a KPI (it leaves the check-in screen and the panels, its history stays) or
    bring it back."""
    kpi = locked_kpi(kpi)
    if not may_manage(actor, kpi):
        raise deny(_("You cannot change this KPI."))
    if kpi.is_archived == archived:
        return kpi
    before = snapshot(kpi)
    kpi.is_archived = archived
    kpi.save(update_fields=["is_archived"])
    record_change(
        actor=actor,
        action="archive_kpi" if archived else "unarchive_kpi",
        instance=kpi,
        before=before,
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


@transaction.atomic
def correct_kpi_value(actor: Any, entry: KpiValue, *, value: Any, note: str = "") -> KpiValue:
    """Correct a mistaken value: a new value for the same day that names the one it corrects.

    The mistaken value stays in the history; only the latest version of a value is corrected.
    """
    kpi = Kpi.objects.select_related("owner_unit", "owner_person").get(pk=entry.kpi_id)
    if not may_check_in(actor, kpi):
        raise deny(_("You cannot check in this KPI."))
    if kpi.is_archived:
        raise ValidationError(_("This KPI is archived."))
    target = KpiValue.objects.select_for_update().get(pk=entry.pk)
    if KpiValue.objects.filter(corrects=target).exists():
        raise ValidationError(
            _("This value has already been corrected. Correct the latest version instead.")
        )
    number = to_decimal(value, "value", required=True, column=KpiValue._meta.get_field("value"))
    assert number is not None  # required=True: an empty value was refused above
    text = (note or "").strip()
    if len(text) > 300:
        raise ValidationError({"note": _("Keep the note under 300 characters.")})
    try:
        with transaction.atomic():
            row = KpiValue.objects.create(
                kpi=kpi,
                measured_on=target.measured_on,
                value=number,
                corrects=target,
                note=text,
                recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
            )
    except IntegrityError as error:
        raise ValidationError(
            _("Someone corrected this value a moment ago. Reload to see their version.")
        ) from error
    record_change(
        actor=actor,
        action="correct_kpi_value",
        instance=row,
        before=snapshot(target),
        after=snapshot(row),
        summary=kpi.name,
    )
    return row
