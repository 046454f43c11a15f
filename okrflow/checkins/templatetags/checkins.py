"""Template tags for check-ins: the KR chart, confidence and timeliness labels."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template
from django.utils import timezone
from django.utils.translation import gettext as _

from okrflow.checkins.chart import KrChart, chart_for_key_result
from okrflow.checkins.confidence import level_of
from okrflow.checkins.scope import manages_anyone
from okrflow.okrs.models import KeyResult

register = template.Library()


@register.simple_tag
def kr_chart_data(kr: KeyResult) -> KrChart:
    """Build a key result's chart: `{% kr_chart_data kr as chart %}` (two queries)."""
    return chart_for_key_result(kr, timezone.localdate())


@register.filter
def has_team(access: Any) -> bool:
    """Tell whether the user sees a team's check-ins (see `scope.manages_anyone`)."""
    return manages_anyone(access)


@register.filter
def confidence_level(probability: Decimal | None) -> str:
    """Return "high", "medium" or "low" for a stored probability ("" when none)."""
    return level_of(probability) or ""


@register.filter
def confidence_label(level_or_probability: Any) -> str:
    """Name a confidence level (or a stored probability's level) in the user's language."""
    level = level_or_probability
    if not isinstance(level, str):
        level = level_of(level)
    return {"high": _("High"), "medium": _("Medium"), "low": _("Low")}.get(level or "", "–")


@register.filter
def timeliness_label(mark: Any) -> str:
    labels = {
        "on_time": _("On time"),
        "late": _("Late"),
        "missed": _("Missed"),
        "pending": _("Not due yet"),
        "not_due": _("Holiday week"),
    }
    return labels.get(str(mark), str(mark))


@register.filter
def get_item(mapping: Any, key: Any) -> Any:
    """Look a key up in a dict: `{{ errors|get_item:name }}`."""
    if mapping is None:
        return None
    return mapping.get(key)
