"""The form behind the rules page; the action checks how the numbers fit together."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from okrflow.administration.cycle_forms import COMMON_TIME_ZONES
from okrflow.cycles.models import Weekday
from okrflow.org.models import Organisation
from okrflow.org.rules import MOST_KEY_RESULTS, MOST_OBJECTIVES, OrganisationRules

# (label, minimum field, maximum field) for the three focus ranges.
RANGES = (
    (_("Objectives per person"), "individual_objectives_min", "individual_objectives_max"),
    (_("Objectives per unit or project"), "objectives_min", "objectives_max"),
    (_("Key results per objective"), "key_results_min", "key_results_max"),
)
GAP_FIELDS = ("at_risk_gap", "off_track_gap")

__all__ = ["COMMON_TIME_ZONES", "RANGES", "RulesForm"]


def count_field(most: int) -> forms.IntegerField:
    return forms.IntegerField(
        min_value=0, max_value=most, widget=forms.NumberInput(attrs={"min": 0, "max": most})
    )


def percent_field(label: Any, help_text: Any) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        help_text=help_text,
        min_value=0,
        max_value=100,
        widget=forms.NumberInput(attrs={"min": 0, "max": 100}),
    )


class RulesForm(forms.Form):
    """Read the organisation's rules; the status gaps are shown as percentages."""

    individual_objectives_min = count_field(MOST_OBJECTIVES)
    individual_objectives_max = count_field(MOST_OBJECTIVES)
    objectives_min = count_field(MOST_OBJECTIVES)
    objectives_max = count_field(MOST_OBJECTIVES)
    key_results_min = count_field(MOST_KEY_RESULTS)
    key_results_max = count_field(MOST_KEY_RESULTS)
    teams_and_projects_need_minimum = forms.BooleanField(
        required=False,
        label=_("Also warn teams and projects that hold fewer objectives than the minimum"),
    )
    enforce_focus = forms.BooleanField(
        required=False,
        label=_("Refuse a change that goes over a maximum (otherwise only warn)"),
    )
    include_children_in_progress = forms.BooleanField(
        required=False,
        label=_("Count aligned objectives in their parent’s progress"),
    )
    at_risk_gap = percent_field(
        _("At risk when behind the expected pace by more than (%)"),
        _("Points of progress, e.g. 10: 50% done where 60% was expected."),
    )
    off_track_gap = percent_field(
        _("Off track when behind the expected pace by more than (%)"),
        _("Must be at least the at-risk gap."),
    )
    default_checkin_weekday = forms.TypedChoiceField(
        label=_("Check-in weekday"), choices=Weekday.choices, coerce=int
    )
    default_checkin_hour = forms.IntegerField(
        label=_("Check-in hour"),
        min_value=0,
        max_value=23,
        widget=forms.NumberInput(attrs={"min": 0, "max": 23}),
    )
    default_time_zone = forms.CharField(
        label=_("Time zone"),
        max_length=64,
        widget=forms.TextInput(attrs={"list": "time-zones", "autocomplete": "off"}),
    )

    @classmethod
    def initial_from(cls, organisation: Organisation) -> dict[str, Any]:
        """Return the organisation's rules as the form shows them (gaps in percent)."""
        rules = OrganisationRules.of(organisation)
        initial = {name: getattr(rules, name) for name in cls.base_fields}
        for name in GAP_FIELDS:
            initial[name] = int(getattr(rules, name) * 100)
        return initial

    def rules(self) -> OrganisationRules:
        """Return the rules entered, the gaps as shares of 1."""
        data = dict(self.cleaned_data)
        for name in GAP_FIELDS:
            data[name] = Decimal(data[name]) / 100
        return OrganisationRules(**data)

    def range_rows(self) -> list[tuple[Any, forms.BoundField, forms.BoundField]]:
        """Return each focus range as (label, minimum field, maximum field)."""
        return [(label, self[low], self[high]) for label, low, high in RANGES]
