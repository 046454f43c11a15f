"""The form behind the cycle pages: create a cycle, or edit one (its period only while draft)."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from okrflow.cycles.models import Cycle, CycleKind, CycleState, Weekday
from okrflow.engine import cycle_calendar as calendar

# A few zones offered as suggestions; any IANA zone is accepted.
COMMON_TIME_ZONES = (
    "Asia/Ho_Chi_Minh",
    "Asia/Bangkok",
    "Asia/Singapore",
    "Asia/Tokyo",
    "Australia/Sydney",
    "Europe/London",
    "Europe/Berlin",
    "America/New_York",
    "America/Los_Angeles",
    "UTC",
)
PERIOD_FIELDS = ("kind", "start_date", "end_date", "parent")


def parent_choices(exclude: Cycle | None = None) -> list[tuple[str, str]]:
    """List the open cycles a cycle may sit inside (not itself nor anything inside it), and
    the cycle's current parent even if it has closed since."""
    current_parent = exclude.parent_id if exclude is not None else None
    cycles = list(
        Cycle.objects.filter(~Q(state=CycleState.CLOSED) | Q(pk=current_parent))
        .only("pk", "name", "kind", "parent_id")
        .order_by("start_date", "name")
    )
    below: set[int] = set()
    if exclude is not None:
        below = {exclude.pk}
        grew = True
        while grew:  # a cycle tree is a handful of levels deep
            grew = False
            for cycle in cycles:
                if cycle.parent_id in below and cycle.pk not in below:
                    below.add(cycle.pk)
                    grew = True
    choices = [("", str(_("— none: a top-level cycle —")))]
    for cycle in cycles:
        if cycle.pk not in below:
            choices.append((str(cycle.pk), f"{cycle.name} · {CycleKind(cycle.kind).label}"))
    return choices


class CycleForm(forms.Form):
    """Read a cycle's fields; the action checks how they fit together."""

    name = forms.CharField(label=_("Cycle name"), max_length=100)
    kind = forms.ChoiceField(label=_("Kind"), choices=CycleKind.choices)
    start_date = forms.DateField(
        label=_("Start date"), widget=forms.DateInput(attrs={"type": "date"})
    )
    end_date = forms.DateField(label=_("End date"), widget=forms.DateInput(attrs={"type": "date"}))
    parent = forms.TypedChoiceField(
        label=_("Inside cycle"), coerce=int, empty_value=None, required=False
    )
    checkin_weekday = forms.TypedChoiceField(
        label=_("Check-in weekday"), choices=Weekday.choices, coerce=int
    )
    checkin_hour = forms.IntegerField(label=_("Check-in hour"), min_value=0, max_value=23)
    time_zone = forms.CharField(
        label=_("Time zone"),
        max_length=64,
        widget=forms.TextInput(attrs={"list": "time-zones", "autocomplete": "off"}),
    )

    def __init__(self, *args: Any, cycle: Cycle | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["parent"].choices = parent_choices(exclude=cycle)  # type: ignore[attr-defined]
        if cycle is not None and cycle.state != CycleState.DRAFT:
            # Objectives are already set against this period: it stays as it is.
            for name in PERIOD_FIELDS:
                self.fields[name].disabled = True

    def chosen_parent(self) -> Cycle | None:
        """Return the parent cycle chosen, if any (it exists: it came from the choices)."""
        parent_id = self.cleaned_data.get("parent")
        return None if parent_id is None else Cycle.objects.filter(pk=parent_id).first()

    def action_fields(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "name": data["name"],
            "kind": data["kind"],
            "start_date": data["start_date"],
            "end_date": data["end_date"],
            "parent": self.chosen_parent(),
            "checkin_weekday": data["checkin_weekday"],
            "checkin_hour": data["checkin_hour"],
            "time_zone": data["time_zone"].strip(),
        }


class SuggestForm(forms.Form):
    """The kind and any day of the period, from which the page fills in a new cycle."""

    kind = forms.ChoiceField(label=_("Kind"), choices=CycleKind.choices)
    day = forms.DateField(
        label=_("A day in the period"), widget=forms.DateInput(attrs={"type": "date"})
    )


def suggested_fields(
    kind: str, day: datetime.date, language: str, parent: Cycle | None
) -> dict[str, Any]:
    """Return the initial values for a new cycle of `kind` holding `day`."""
    bounds = calendar.calendar_bounds(kind, day) or (day, day + datetime.timedelta(days=27))
    return {
        "kind": kind,
        "name": calendar.suggested_name(kind, day, language),
        "start_date": bounds[0],
        "end_date": bounds[1],
        "parent": parent.pk if parent else "",
    }
