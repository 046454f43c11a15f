"""Template filters that show OKR figures the way each language writes them."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template
from django.utils.translation import get_language, gettext_noop
from django.utils.translation import gettext as _

from okrflow.engine.numbers import format_money, format_number

register = template.Library()


def language() -> str:
    return (get_language() or "vi")[:2]


@register.filter
def percent(ratio: float | None) -> str:
    """Show a 0..1 ratio as a whole percentage."""
    if ratio is None:
        return "–"
    return f"{round(ratio * 100)}%"


@register.filter
def width(ratio: float | None) -> str:
    """Return a CSS width for a 0..1 ratio, clamped."""
    if ratio is None:
        return "0%"
    return f"{max(0.0, min(1.0, ratio)) * 100:.1f}%"


@register.filter
def number(value: Decimal | None) -> str:
    """Show a number with the language's separators (10.000 / 10,000)."""
    if value is None:
        return "–"
    return format_number(Decimal(value), language())


# Marked for translation here, translated one at a time (a long list asks for one a row).
STATUS_LABELS = {
    "on_track": gettext_noop("On track"),
    "at_risk": gettext_noop("At risk"),
    "off_track": gettext_noop("Off track"),
    "done": gettext_noop("Done"),
    "no_data": gettext_noop("No data yet"),
}


@register.filter
def status_label(status: Any) -> str:
    label = STATUS_LABELS.get(str(status))
    return _(label) if label else str(status)


@register.filter
def short_date(day: Any) -> str:
    """Show a date as 15/4 in Vietnamese and 15 Apr in English (day first, as the dates are)."""
    if day is None:
        return ""
    if language() == "vi":
        return f"{day.day}/{day.month}"
    return day.strftime("%-d %b")


@register.simple_tag
def kr_value(kr: Any, value: Decimal | None) -> str:
    """Show one value of a key result with its unit, as its shape reads it."""
    if value is None:
        return "–"
    if kr.shape == "milestone":
        return _("done") if value >= 1 else _("not done")
    if kr.shape == "currency":
        return format_money(Decimal(value), kr.currency or "VND", language())
    text = format_number(Decimal(value), language())
    if kr.shape == "percentage" or kr.unit == "%":
        return f"{text}%"
    return f"{text} {kr.unit}".strip()


@register.simple_tag
def kr_number(kr: Any, value: Decimal | None) -> str:
    """Show a value of a key result without its unit, for a compact start → current / target."""
    if value is None:
        return "–"
    if kr.shape == "currency":
        return format_money(Decimal(value), kr.currency or "VND", language())
    text = format_number(Decimal(value), language())
    return f"{text}%" if kr.shape == "percentage" or kr.unit == "%" else text


@register.filter
def actor_name(user: Any) -> str:
    """Name who made a change: the person's name, else the username, else the system."""
    if user is None:
        return "okrflow"
    person = getattr(user, "person", None)
    return getattr(person, "full_name", None) or user.get_username()
