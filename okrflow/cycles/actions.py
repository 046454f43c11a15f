"""Every write to cycles goes through these actions."""

from __future__ import annotations

import datetime
import zoneinfo
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from okrflow.audit.log import record_change, snapshot
from okrflow.cycles.models import Cycle, CycleKind, CycleState
from okrflow.org.actions import require_admin


def validate_cycle_fields(
    *,
    name: str,
    kind: str,
    start_date: datetime.date | None,
    end_date: datetime.date | None,
    checkin_weekday: int,
    checkin_hour: int,
    time_zone: str,
) -> None:
    """Raise a ValidationError naming every bad field."""
    errors: dict[str, str] = {}
    if not name.strip():
        errors["name"] = _("A cycle needs a name.")
    if kind not in CycleKind.values:
        errors["kind"] = _("Choose quarter, month or custom.")
    if start_date is None:
        errors["start_date"] = _("A cycle needs a start date.")
    if end_date is None:
        errors["end_date"] = _("A cycle needs an end date.")
    if start_date and end_date and end_date < start_date:
        errors["end_date"] = _("The cycle ends before it starts.")
    if not 0 <= checkin_weekday <= 6:
        errors["checkin_weekday"] = _("Choose a weekday.")
    if not 0 <= checkin_hour <= 23:
        errors["checkin_hour"] = _("The hour must be between 0 and 23.")
    try:
        zoneinfo.ZoneInfo(time_zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        errors["time_zone"] = _("“%(zone)s” is not a time zone.") % {"zone": time_zone[:64]}
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def create_cycle(
    actor: Any,
    *,
    name: str,
    start_date: datetime.date,
    end_date: datetime.date,
    kind: str = CycleKind.QUARTER,
    state: str = CycleState.DRAFT,
    checkin_weekday: int = 4,
    checkin_hour: int = 17,
    time_zone: str = "Asia/Ho_Chi_Minh",
) -> Cycle:
    """Create an OKR cycle (a quarter by default) with its weekly check-in rhythm."""
    require_admin(actor)
    name = (name or "").strip()
    validate_cycle_fields(
        name=name,
        kind=kind,
        start_date=start_date,
        end_date=end_date,
        checkin_weekday=checkin_weekday,
        checkin_hour=checkin_hour,
        time_zone=time_zone,
    )
    if Cycle.objects.filter(name=name).exists():
        raise ValidationError({"name": _("A cycle named “%(name)s” exists.") % {"name": name}})
    if state not in CycleState.values:
        raise ValidationError({"state": _("Unknown cycle state.")})
    cycle = Cycle.objects.create(
        name=name,
        kind=kind,
        start_date=start_date,
        end_date=end_date,
        state=state,
        checkin_weekday=checkin_weekday,
        checkin_hour=checkin_hour,
        time_zone=time_zone,
    )
    record_change(
        actor=actor, action="create_cycle", instance=cycle, before=None, after=snapshot(cycle)
    )
    return cycle


@transaction.atomic
def activate_cycle(actor: Any, cycle: Cycle) -> Cycle:
    """Move a draft cycle to active."""
    require_admin(actor)
    cycle = Cycle.objects.select_for_update().get(pk=cycle.pk)
    if cycle.state != CycleState.DRAFT:
        raise ValidationError(_("Only a draft cycle can be activated."))
    before = snapshot(cycle)
    cycle.state = CycleState.ACTIVE
    cycle.save(update_fields=["state"])
    record_change(
        actor=actor, action="activate_cycle", instance=cycle, before=before, after=snapshot(cycle)
    )
    return cycle


def quarter_bounds(day: datetime.date) -> tuple[datetime.date, datetime.date]:
    """Return the first and last day of the calendar quarter containing `day`."""
    first_month = 3 * ((day.month - 1) // 3) + 1
    start = datetime.date(day.year, first_month, 1)
    if first_month == 10:
        end = datetime.date(day.year, 12, 31)
    else:
        end = datetime.date(day.year, first_month + 3, 1) - datetime.timedelta(days=1)
    return start, end
