"""Template helpers for library pages: a key result's figures in one short phrase."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django import template
from django.utils import formats
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from okrflow.engine.numbers import format_money, format_number
from okrflow.library.labels import (
    KIND_LABELS,
    LEVEL_LABELS,
    MARKETING_LABELS,
    MARKETING_SHORT_LABELS,
)
from okrflow.okrs.models import Shape

register = template.Library()
SHAPE_ICONS = {
    "metric": "↗",
    "percentage": "%",
    "currency": "₫",
    "threshold": "≥",
    "relative": "Δ",
    "milestone": "◆",
    "recurring": "↻",
}


def language() -> str:
    return (get_language() or "vi")[:2]


def amount(kr: Any, value: Decimal | None) -> str:
    if value is None:
        return "?"
    if kr.shape == "currency":
        return format_money(Decimal(value), kr.currency or "VND", language())
    text = format_number(Decimal(value), language())
    unit = (kr.unit or "").strip()
    if unit == "%":
        return f"{text}%"
    return f"{text} {unit}".strip()


@register.simple_tag
def kr_summary(kr: Any) -> str:
    """Describe a key result's figures: "65% → 80%", "≥ 10.000 theo dõi", "+20% vs quý I"."""
    shape = kr.shape
    if shape == "milestone":
        return ""  # the shape's own name already says "done / not done"
    if shape == "recurring":
        per = _("per week") if kr.period == "week" else _("per month")
        unit = f" {kr.unit}" if kr.unit else ""
        return f"{kr.per_period}×{unit} {per}"
    if shape == "relative":
        change = kr.relative_change or Decimal(0)
        sign = "+" if change > 0 else ""
        text = f"{sign}{format_number(Decimal(change), language())}%"
        versus = _("vs")  # outside the f-string: `makemessages` does not look into them
        return f"{text} {versus} {kr.baseline_label}" if kr.baseline_label else text
    if shape == "threshold":
        symbol = "≤" if kr.direction == "at_most" else "≥"
        return f"{symbol} {amount(kr, kr.target_value)}"
    target = amount(kr, kr.target_value)
    if kr.shape == "currency" or (kr.unit or "").strip() in ("", "%"):
        return f"{amount(kr, kr.start_value)} → {target}"
    # The unit once, after the target: "0 → 100 khách hàng".
    start = "?" if kr.start_value is None else format_number(Decimal(kr.start_value), language())
    return f"{start} → {target}"


@register.filter
def shape_label(shape: str) -> str:
    return str(dict(Shape.choices).get(shape, shape))


@register.filter
def shape_icon(shape: str) -> str:
    return SHAPE_ICONS.get(shape, "•")


@register.filter
def level_label(level: str | None) -> str:
    return str(LEVEL_LABELS.get(level or "", level or ""))


@register.filter
def marketing_label(kind: str | None) -> str:
    return str(MARKETING_LABELS.get(kind or "", kind or ""))


@register.filter
def marketing_short(kind: str | None) -> str:
    """Name a marketing type in a chip: "Inbound", "Event"."""
    return str(MARKETING_SHORT_LABELS.get(kind or "", kind or ""))


@register.filter
def due(day: datetime.date | None) -> str:
    """Show a due date as each language writes a day of the month: 30/6, 30 Jun."""
    if day is None:
        return ""
    return formats.date_format(day, "MONTH_DAY_FORMAT")


@register.filter
def kind_label(kind: str) -> str:
    return str(KIND_LABELS.get(kind, kind))
