"""Template filters that show OKR figures the way each language writes them."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template
from django.urls import get_script_prefix, reverse
from django.utils.html import format_html
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


@register.simple_tag
def kr_figures(kr: Any, row: Any) -> str:
    """A key result's figures as its shape reads them; `row` is its KeyResultReport.

    One tag rather than an included template: a page of cards draws it for every key result.
    """
    if kr.shape == "milestone":
        return kr_value(kr, kr.current_value)
    if kr.shape == "recurring":
        done = kr.current_value if kr.current_value is not None else Decimal(0)
        return _("%(done)s of %(total)s times") % {
            "done": number(done),
            "total": number(row.target),
        }
    if kr.shape == "threshold":
        bound = _("at most") if kr.direction == "at_most" else _("at least")
        current, target = kr_value(kr, kr.current_value), kr_value(kr, kr.target_value)
        return f"{current} · {bound} {target}"
    return format_html(
        "{} → <strong>{}</strong> / {}",
        kr_number(kr, kr.start_value),
        kr_number(kr, kr.current_value),
        kr_value(kr, row.target),
    )


# A placeholder id: a page of a hundred rows links each to its objective, owner and so on;
# reversing once per view name and script prefix, then putting the id in, costs a fraction of
# the `{% url %}` tag each time.
PLACEHOLDER = 987654321
_paths: dict[tuple[str, str], str] = {}


@register.filter
def path_to(pk: Any, view_name: str) -> str:
    """The path of the view `view_name` taking one id: `{{ pk|path_to:"objective_detail" }}`."""
    key = (view_name, get_script_prefix())
    pattern = _paths.get(key)
    if pattern is None:
        pattern = _paths[key] = reverse(view_name, args=[PLACEHOLDER])
    return pattern.replace(str(PLACEHOLDER), str(int(pk)))
