"""A key result's chart: its values over time against the expected pace, as SVG geometry.

The geometry is computed here on the server; `checkins/_kr_chart.html` only draws it, so the
chart needs no JavaScript and no library. Dots carry the check-in's confidence (colour).
"""

from __future__ import annotations

import datetime
import math
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import formats, translation
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from okrflow.checkins.confidence import level_of
from okrflow.checkins.models import KeyResultCheckIn
from okrflow.engine import progress as engine
from okrflow.engine.numbers import format_number
from okrflow.okrs.measure import figures_of
from okrflow.okrs.models import KeyResult, KeyResultValue, Shape

WIDTH, HEIGHT = 520, 190
LEFT, RIGHT, TOP, BOTTOM = 56, 12, 12, 28
COMPACT = ((Decimal("1e9"), {"vi": " tỷ", "en": "B"}), (Decimal("1e6"), {"vi": " tr", "en": "M"}))


@dataclass
class Point:
    day: datetime.date
    value: Decimal
    confidence: Decimal | None = None


@dataclass
class Dot:
    x: float
    y: float
    label: str
    level: str | None


@dataclass
class Tick:
    position: float
    label: str


@dataclass
class KrChart:
    key_result: KeyResult
    actual: str = ""
    pace: str = ""
    target_line: float | None = None
    dots: list[Dot] = field(default_factory=list)
    y_ticks: list[Tick] = field(default_factory=list)
    x_ticks: list[Tick] = field(default_factory=list)
    today_x: float | None = None
    summary: str = ""
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    right: int = WIDTH - RIGHT
    top: int = TOP
    bottom: int = HEIGHT - BOTTOM

    @property
    def is_empty(self) -> bool:
        return not self.dots


def load_points(kr: KeyResult) -> list[Point]:
    """Return the key result's value history with each check-in's confidence (two queries)."""
    confidences = dict(
        KeyResultCheckIn.objects.filter(key_result=kr, value_record__isnull=False).values_list(
            "value_record_id", "confidence"
        )
    )
    return [
        Point(day, value, confidences.get(pk))
        for pk, day, value in KeyResultValue.objects.filter(key_result=kr)
        .order_by("measured_on", "id")
        .values_list("pk", "measured_on", "value")
    ]


def pace_points(kr: KeyResult, first: datetime.date) -> list[tuple[datetime.date, float]]:
    """Return the expected-pace line as (day, value) corners."""
    figures = figures_of(kr, first)
    due = max(kr.due_date, first)
    target = engine.effective_target(figures)
    if kr.shape == Shape.THRESHOLD and kr.start_value is None:
        return []
    if kr.shape in (Shape.MILESTONE, Shape.RECURRING):
        days = [first + datetime.timedelta(days=n) for n in range((due - first).days + 1)]
        values = []
        for day in days:
            expected = engine.key_result_expected(figures, day)
            values.append((day, float(expected) * float(target or 1)))
        return corners(values)
    if target is None or kr.start_value is None:
        return []
    return [(first, float(kr.start_value)), (due, float(target))]


def corners(values: list[tuple[datetime.date, float]]) -> list[tuple[datetime.date, float]]:
    """Reduce a daily step function to the points where it turns."""
    kept: list[tuple[datetime.date, float]] = []
    for index, (day, value) in enumerate(values):
        if index and value != values[index - 1][1]:
            kept.append((day, values[index - 1][1]))
        if index in (0, len(values) - 1) or (index and value != values[index - 1][1]):
            kept.append((day, value))
    return kept


def nice_range(low: float, high: float, count: int = 4) -> tuple[float, float, float]:
    """Widen [low, high] to round numbers and return it with a round tick step."""
    if high <= low:
        high = low + 1 if low == 0 else low + abs(low) * 0.1
    raw = (high - low) / count
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if raw <= m * magnitude)
    # The epsilon keeps float noise (0.3 / 0.1 = 2.9999…) from widening the range by a step.
    bottom = math.floor(low / step + 1e-9) * step
    top = math.ceil(high / step - 1e-9) * step
    return round(bottom, 10), round(top, 10), step


def value_label(kr: KeyResult, value: float | Decimal, language: str, compact: bool = False) -> str:
    if kr.shape == Shape.MILESTONE:
        return _("done") if value >= 1 else _("not done")
    number = Decimal(str(value))
    suffix = ""
    if compact:
        for size, names in COMPACT:
            if abs(number) >= size:
                number, suffix = number / size, names.get(language, names["en"])
                break
    text = format_number(number, language) + suffix
    return f"{text}%" if kr.shape == Shape.PERCENTAGE or kr.unit == "%" else text


def date_label(day: datetime.date, language: str) -> str:
    """A day of the month as the language writes it (okrflow/formats): 15/5, 15 May."""
    with translation.override(language):
        return formats.date_format(day, "MONTH_DAY_FORMAT")


def month_starts(first: datetime.date, last: datetime.date) -> list[datetime.date]:
    days = [first]
    month = datetime.date(first.year, first.month, 1)
    while True:
        month = (month + datetime.timedelta(days=32)).replace(day=1)
        if month >= last:
            return days
        if (month - days[-1]).days >= 10:
            days.append(month)


def build_chart(
    kr: KeyResult,
    points: list[Point],
    first: datetime.date,
    today: datetime.date,
) -> KrChart:
    """Lay out the chart of one key result from its cycle start to its due date."""
    language = (get_language() or "vi")[:2]
    chart = KrChart(key_result=kr)
    last = max([kr.due_date, first + datetime.timedelta(days=1), *(p.day for p in points)])
    pace = pace_points(kr, first)
    numbers = [float(p.value) for p in points] + [v for _d, v in pace]
    if kr.target_value is not None and kr.shape not in (Shape.MILESTONE, Shape.RECURRING):
        numbers.append(float(kr.target_value))
    if kr.shape == Shape.MILESTONE:
        low, high, step = -0.1, 1.1, 1.0
        tick_values = [0.0, 1.0]
    else:
        low, high, step = nice_range(min(numbers, default=0.0), max(numbers, default=1.0))
        if min(numbers, default=0.0) >= 0:
            low = max(low, 0.0)
        tick_values = frange(low, high, step)
    labels = [value_label(kr, v, language, compact=True) for v in tick_values]
    # Room on the left for the longest axis label (about 7 px a character at 12 px).
    chart.left = min(130, max(40, 7 * max(map(len, labels), default=1) + 12))

    def x(day: datetime.date) -> float:
        share = (day - first).days / max((last - first).days, 1)
        return round(chart.left + share * (chart.right - chart.left), 1)

    def y(value: float) -> float:
        share = (value - low) / (high - low)
        return round(chart.bottom - share * (chart.bottom - chart.top), 1)

    chart.pace = " ".join(f"{x(d)},{y(v)}" for d, v in pace)
    if kr.shape == Shape.THRESHOLD and kr.target_value is not None:
        chart.target_line = y(float(kr.target_value))
    chart.actual = " ".join(f"{x(p.day)},{y(float(p.value))}" for p in points)
    for point in points:
        level = level_of(point.confidence)
        label = f"{date_label(point.day, language)}: {value_label(kr, point.value, language)}"
        if level is not None:
            label += " · " + _("confidence %(level)s") % {"level": confidence_name(level)}
        chart.dots.append(Dot(x(point.day), y(float(point.value)), label, level))
    chart.y_ticks = [Tick(y(v), label) for v, label in zip(tick_values, labels, strict=True)]
    chart.x_ticks = [Tick(x(d), date_label(d, language)) for d in month_starts(first, last)]
    chart.x_ticks.append(Tick(x(kr.due_date), date_label(kr.due_date, language)))
    if first <= today <= last:
        chart.today_x = x(today)
    chart.summary = summary_text(kr, points, language)
    return chart


def frange(low: float, high: float, step: float) -> list[float]:
    count = round((high - low) / step)
    return [round(low + i * step, 10) for i in range(count + 1)]


def confidence_name(level: str) -> str:
    return {"high": _("high"), "medium": _("medium"), "low": _("low")}[level]


def summary_text(kr: KeyResult, points: list[Point], language: str) -> str:
    if not points:
        return _("No values recorded yet.")
    latest = points[-1]
    return _("%(count)d values; latest %(value)s on %(date)s.") % {
        "count": len(points),
        "value": value_label(kr, latest.value, language),
        "date": date_label(latest.day, language),
    }


def chart_for_key_result(kr: KeyResult, today: datetime.date) -> KrChart:
    """Load a key result's history and lay out its chart (two queries)."""
    return build_chart(kr, load_points(kr), kr.objective.cycle.start_date, today)
