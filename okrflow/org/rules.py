"""The organisation's OKR rules: focus ranges, progress roll-up, status gaps, check-in defaults.

Every change to them goes through `update_organisation_rules`.
"""

from __future__ import annotations

import zoneinfo
from dataclasses import dataclass, fields
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from okrflow.action_support import to_decimal
from okrflow.audit.log import record_change, snapshot
from okrflow.org.actions import require_admin
from okrflow.org.models import Organisation

# No owner keeps focus with more; the bound keeps a typo (50 for 5) from becoming a rule.
MOST_OBJECTIVES = 20
MOST_KEY_RESULTS = 20


@dataclass(frozen=True)
class OrganisationRules:
    """The rules an admin sets, as the organisation row stores them."""

    individual_objectives_min: int
    individual_objectives_max: int
    objectives_min: int
    objectives_max: int
    key_results_min: int
    key_results_max: int
    teams_and_projects_need_minimum: bool
    enforce_focus: bool
    include_children_in_progress: bool
    at_risk_gap: Decimal
    off_track_gap: Decimal
    default_checkin_weekday: int
    default_checkin_hour: int
    default_time_zone: str

    @classmethod
    def of(cls, organisation: Organisation) -> OrganisationRules:
        """Read the rules from the organisation row."""
        return cls(**{f.name: getattr(organisation, f.name) for f in fields(cls)})


def check_range(
    errors: dict[str, str], low_field: str, low: Any, high_field: str, high: Any, most: int
) -> None:
    """Record an error unless 0 ≤ low ≤ high ≤ most."""
    for name, value in ((low_field, low), (high_field, high)):
        if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= most:
            errors[name] = _("Enter a whole number from 0 to %(most)d.") % {"most": most}
    if low_field not in errors and high_field not in errors and low > high:
        errors[high_field] = _("The maximum must be at least the minimum.")


def validate_rules(rules: OrganisationRules) -> OrganisationRules:
    """Return the rules with the gaps as exact numbers, or raise naming every bad field."""
    errors: dict[str, str] = {}
    check_range(
        errors,
        "individual_objectives_min",
        rules.individual_objectives_min,
        "individual_objectives_max",
        rules.individual_objectives_max,
        MOST_OBJECTIVES,
    )
    check_range(
        errors,
        "objectives_min",
        rules.objectives_min,
        "objectives_max",
        rules.objectives_max,
        MOST_OBJECTIVES,
    )
    check_range(
        errors,
        "key_results_min",
        rules.key_results_min,
        "key_results_max",
        rules.key_results_max,
        MOST_KEY_RESULTS,
    )
    gaps: dict[str, Decimal] = {}
    for name in ("at_risk_gap", "off_track_gap"):
        try:
            value = to_decimal(
                getattr(rules, name),
                name,
                required=True,
                column=Organisation._meta.get_field(name),
            )
        except ValidationError as error:
            errors[name] = " ".join(error.message_dict.get(name, error.messages))
        else:
            assert value is not None
            gaps[name] = value.quantize(Decimal("0.01"))  # as stored: 0.1 and 0.10 are one rule
    if len(gaps) == 2 and gaps["at_risk_gap"] > gaps["off_track_gap"]:
        errors["off_track_gap"] = _(
            "The off-track gap must be at least the at-risk gap: off track is further behind."
        )
    if not isinstance(rules.default_checkin_weekday, int) or not (
        0 <= rules.default_checkin_weekday <= 6
    ):
        errors["default_checkin_weekday"] = _("Choose a weekday.")
    if not isinstance(rules.default_checkin_hour, int) or not 0 <= rules.default_checkin_hour <= 23:
        errors["default_checkin_hour"] = _("The hour must be between 0 and 23.")
    zone = (rules.default_time_zone or "").strip()
    try:
        zoneinfo.ZoneInfo(zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        errors["default_time_zone"] = _("“%(zone)s” is not a time zone.") % {"zone": zone[:64]}
    if errors:
        raise ValidationError(errors)
    return OrganisationRules(
        **{f.name: getattr(rules, f.name) for f in fields(OrganisationRules)}
        | gaps
        | {"default_time_zone": zone}
    )


@transaction.atomic
def update_organisation_rules(actor: Any, rules: OrganisationRules) -> Organisation:
    """Save the organisation's OKR rules after checking all of them; nothing saved on error."""
    require_admin(actor)
    checked = validate_rules(rules)
    organisation = Organisation.objects.select_for_update().get(pk=Organisation.current().pk)
    before = snapshot(organisation)
    for field in fields(OrganisationRules):
        setattr(organisation, field.name, getattr(checked, field.name))
    organisation.save()
    after = snapshot(organisation)
    if after != before:
        record_change(
            actor=actor,
            action="update_organisation_rules",
            instance=organisation,
            before=before,
            after=after,
        )
    return organisation
