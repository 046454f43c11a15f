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
from okrflow.engine import cycle_calendar as calendar
from okrflow.org.actions import require_admin
from okrflow.org.models import Organisation


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
        errors["kind"] = _("Choose year, quarter, month or custom.")
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


def validate_nesting(
    *,
    kind: str,
    start_date: datetime.date,
    end_date: datetime.date,
    parent: Cycle | None,
    cycle_id: int | None = None,
) -> None:
    """Refuse a parent cycle the new dates or kind cannot sit inside, or one making a loop."""
    if parent is None:
        return
    if cycle_id is not None and parent.pk == cycle_id:
        raise ValidationError({"parent": _("A cycle cannot sit inside itself.")})
    if not calendar.may_nest(kind, parent.kind):
        raise ValidationError(
            {
                "parent": _("A %(kind)s cannot sit inside a %(parent_kind)s.")
                % {
                    "kind": CycleKind(kind).label.lower(),
                    "parent_kind": CycleKind(parent.kind).label.lower(),
                }
            }
        )
    if not calendar.lies_within((start_date, end_date), (parent.start_date, parent.end_date)):
        raise ValidationError(
            {
                "parent": _("The dates must lie within “%(parent)s” (%(start)s – %(end)s).")
                % {"parent": parent.name, "start": parent.start_date, "end": parent.end_date}
            }
        )
    if parent.is_closed:
        raise ValidationError(
            {"parent": _("“%(parent)s” is closed; choose an open cycle.") % {"parent": parent.name}}
        )
    parent_of = dict(Cycle.objects.values_list("pk", "parent_id"))
    if calendar.would_loop(cycle_id, parent.pk, parent_of):
        raise ValidationError(
            {
                "parent": _("“%(parent)s” already sits inside this cycle; that would make a loop.")
                % {"parent": parent.name}
            }
        )


def enclosing_cycle_ids(cycle: Cycle) -> list[int]:
    """Return the ids of the cycles holding `cycle`, the closest first (a few queries at most)."""
    found: list[int] = []
    parent_id = cycle.parent_id
    while parent_id is not None and parent_id not in found and parent_id != cycle.pk:
        found.append(parent_id)
        parent_id = Cycle.objects.filter(pk=parent_id).values_list("parent_id", flat=True).first()
    return found


def suggested_parent(kind: str, start_date: datetime.date, end_date: datetime.date) -> Cycle | None:
    """Return the closest open cycle that could hold a new cycle with these dates."""
    candidates = list(
        Cycle.objects.exclude(state=CycleState.CLOSED)
        .filter(start_date__lte=start_date, end_date__gte=end_date)
        .values_list("pk", "kind", "start_date", "end_date")
    )
    chosen = calendar.pick_parent(kind, (start_date, end_date), candidates)
    return None if chosen is None else Cycle.objects.get(pk=chosen)


@transaction.atomic
def create_cycle(
    actor: Any,
    *,
    name: str,
    start_date: datetime.date,
    end_date: datetime.date,
    kind: str = CycleKind.QUARTER,
    state: str = CycleState.DRAFT,
    parent: Cycle | None = None,
    checkin_weekday: int | None = None,
    checkin_hour: int | None = None,
    time_zone: str | None = None,
) -> Cycle:
    """Create an OKR cycle (a quarter by default), inside `parent` if given.

    The weekly check-in rhythm not given comes from the organisation's defaults.
    """
    require_admin(actor)
    organisation = Organisation.current()
    if checkin_weekday is None:
        checkin_weekday = organisation.default_checkin_weekday
    if checkin_hour is None:
        checkin_hour = organisation.default_checkin_hour
    if time_zone is None:
        time_zone = organisation.default_time_zone
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
    validate_nesting(kind=kind, start_date=start_date, end_date=end_date, parent=parent)
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
        parent=parent,
        checkin_weekday=checkin_weekday,
        checkin_hour=checkin_hour,
        time_zone=time_zone,
    )
    record_change(
        actor=actor, action="create_cycle", instance=cycle, before=None, after=snapshot(cycle)
    )
    return cycle


@transaction.atomic
def update_cycle(
    actor: Any,
    cycle: Cycle,
    *,
    name: str,
    kind: str,
    start_date: datetime.date | None,
    end_date: datetime.date | None,
    parent: Cycle | None,
    checkin_weekday: int,
    checkin_hour: int,
    time_zone: str,
) -> Cycle:
    """Change a cycle's name and check-in rhythm; its kind, dates and parent only while draft."""
    require_admin(actor)
    cycle = Cycle.objects.select_for_update().get(pk=cycle.pk)
    if cycle.is_closed:
        raise ValidationError(
            _("The cycle “%(name)s” is closed; its settings are final.") % {"name": cycle.name}
        )
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
    assert start_date is not None and end_date is not None  # checked just above
    period_changed = (kind, start_date, end_date, parent.pk if parent else None) != (
        cycle.kind,
        cycle.start_date,
        cycle.end_date,
        cycle.parent_id,
    )
    if period_changed and cycle.state != CycleState.DRAFT:
        raise ValidationError(
            _("The kind, dates and enclosing cycle can change only while the cycle is a draft.")
        )
    if period_changed:
        # An unchanged period was checked when it was set (its parent may have closed since).
        validate_nesting(
            kind=kind, start_date=start_date, end_date=end_date, parent=parent, cycle_id=cycle.pk
        )
    for child in cycle.children.all() if period_changed else ():
        if not calendar.lies_within((child.start_date, child.end_date), (start_date, end_date)):
            raise ValidationError(
                {
                    "end_date": _("“%(child)s” sits inside this cycle and would fall outside it.")
                    % {"child": child.name}
                }
            )
    if Cycle.objects.filter(name=name).exclude(pk=cycle.pk).exists():
        raise ValidationError({"name": _("A cycle named “%(name)s” exists.") % {"name": name}})
    before = snapshot(cycle)
    cycle.name = name
    cycle.kind = kind
    cycle.start_date = start_date
    cycle.end_date = end_date
    cycle.parent = parent
    cycle.checkin_weekday = checkin_weekday
    cycle.checkin_hour = checkin_hour
    cycle.time_zone = time_zone
    cycle.save()
    after = snapshot(cycle)
    if after != before:
        record_change(
            actor=actor, action="update_cycle", instance=cycle, before=before, after=after
        )
    return cycle


@transaction.atomic
def activate_cycle(actor: Any, cycle: Cycle) -> Cycle:
    """Move a draft cycle to active."""
    require_admin(actor)
    cycle = Cycle.objects.select_for_update().get(pk=cycle.pk)
    if cycle.state == CycleState.CLOSED:
        raise ValidationError(
            _("The cycle “%(name)s” is closed; it cannot be activated again.")
            % {"name": cycle.name}
        )
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
    return calendar.quarter_bounds(day)
