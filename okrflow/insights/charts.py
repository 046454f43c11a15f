"""Geometry for the server-drawn SVG charts: a key result's actual, expected and forecast lines.

The templates only place what is computed here, so the web page and the PDF report draw the
same chart. Everything is in progress units (1.0 = target), so every shape fits one scale.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from okrflow.engine import forecast as engine
from okrflow.engine.progress import KeyResultFigures, key_result_expected
from okrflow.front.templatetags.okrflow import percent, short_date
from okrflow.insights.collect import KeyResultInsight
from okrflow.insights.forecasting import planned_slope, progress_at, trend_points, value_scale

WIDTH, HEIGHT = 720, 300
LEFT, RIGHT, TOP, BOTTOM = 48, 20, 16, 34
ONE_WEEK = datetime.timedelta(days=7)


@dataclass
class Mark:
    """A point on the chart with what it stands for."""

    x: float
    y: float
    day: datetime.date
    progress: float
    label: str = ""


@dataclass
class KeyResultChart:
    """Everything the chart template draws."""

    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    right_edge: int = WIDTH - RIGHT
    top: int = TOP
    bottom_edge: int = HEIGHT - BOTTOM
    y_ticks: list[tuple[float, str]] = field(default_factory=list)
    x_ticks: list[tuple[float, str]] = field(default_factory=list)
    actual: list[Mark] = field(default_factory=list)
    actual_path: str = ""
    pace_path: str = ""
    bar_y: float | None = None
    bar_label: str = ""
    band_path: str = ""
    forecast_path: str = ""
    forecast_end: Mark | None = None
    today_x: float | None = None
    summary: str = ""


class Scale:
    """Map days and progress to SVG coordinates."""

    def __init__(self, start: datetime.date, end: datetime.date, low: float, high: float) -> None:
        self.start, self.days = start, max(1, (end - start).days)
        self.low, self.high = low, high

    def x(self, day: datetime.date) -> float:
        share = (day - self.start).days / self.days
        return round(LEFT + min(1.0, max(0.0, share)) * (WIDTH - LEFT - RIGHT), 1)

    def y(self, progress: float) -> float:
        share = (progress - self.low) / (self.high - self.low)
        return round(HEIGHT - BOTTOM - min(1.0, max(0.0, share)) * (HEIGHT - TOP - BOTTOM), 1)


def _path(points: list[tuple[float, float]]) -> str:
    return " ".join(f"{x},{y}" for x, y in points)


def cone(
    kri: KeyResultInsight, on: datetime.date
) -> list[tuple[datetime.date, float, float, float]]:
    """Return (day, expected, low, high) from the latest value to the due date, week by week."""
    forecast = kri.forecast
    if forecast is None:
        return []
    figures = kri.figures
    points = kri.progress_points
    last_day = points[-1][0] if points else figures.start_date
    last = points[-1][1] if points else 0.0
    days = []
    day = last_day + ONE_WEEK
    while day < figures.due_date:
        days.append(day)
        day += ONE_WEEK
    days.append(figures.due_date)
    steps: list[tuple[datetime.date, float, float, float]] = [(last_day, last, last, last)]
    total = max(1, (figures.due_date - last_day).days)
    source = trend_points(figures, kri.values) if forecast.method == "trend" else []
    for step in days:
        if forecast.method == "trend":
            result = engine.forecast_trend(
                source,
                due_date=step,
                scale=value_scale(figures),
                planned_slope=planned_slope(figures),
            )
            if result is None:
                continue
            ends = sorted(progress_at(figures, v) for v in (result.low, result.high))
            steps.append((step, progress_at(figures, result.expected), ends[0], ends[1]))
        else:
            share = (step - last_day).days / total
            steps.append(
                (
                    step,
                    last + share * (forecast.expected - last),
                    last + share * (forecast.low - last),
                    last + share * (forecast.high - last),
                )
            )
    # The last step is the forecast itself, so the cone ends where the numbers say.
    steps[-1] = (figures.due_date, forecast.expected, forecast.low, forecast.high)
    return steps


def build_chart(kri: KeyResultInsight, on: datetime.date) -> KeyResultChart:
    """Lay out a key result's chart: actual values, the pace line, the bar and the forecast."""
    figures = kri.figures
    points = kri.progress_points
    steps = cone(kri, on)
    seen = [p for _, p in points] + [v for s in steps for v in s[1:]] + [1.0, kri.bar]
    scale = Scale(
        figures.start_date,
        figures.due_date,
        max(-0.5, min(0.0, *seen)),
        min(2.0, max(1.1, *seen)),
    )
    chart = KeyResultChart()
    chart.y_ticks = [
        (scale.y(t / 100), f"{t}%") for t in range(0, 201, 25) if scale.low <= t / 100 <= scale.high
    ]
    chart.x_ticks = _month_ticks(scale, figures.start_date, figures.due_date)
    chart.actual = [
        Mark(scale.x(day), scale.y(progress), day, progress, short_date(day))
        for day, progress in points
    ]
    chart.actual_path = _path([(m.x, m.y) for m in chart.actual])
    chart.pace_path = _path(_pace_points(kri, scale))
    if kri.bar < 1.0:
        chart.bar_y = scale.y(kri.bar)
        chart.bar_label = percent(kri.bar)
    if steps:
        upper = [(scale.x(d), scale.y(h)) for d, _, _, h in steps]
        lower = [(scale.x(d), scale.y(lo)) for d, _, lo, _ in reversed(steps)]
        chart.band_path = _path(upper + lower)
        chart.forecast_path = _path([(scale.x(d), scale.y(e)) for d, e, _, _ in steps])
        end_day, expected, _, _ = steps[-1]
        chart.forecast_end = Mark(
            scale.x(end_day), scale.y(expected), end_day, expected, percent(expected)
        )
    if figures.start_date <= on <= figures.due_date:
        chart.today_x = scale.x(on)
    return chart


def _pace_points(kri: KeyResultInsight, scale: Scale) -> list[tuple[float, float]]:
    """Sample the pace line (to 100% of the target) every week, and on the due date."""
    figures = kri.figures
    points = []
    day = figures.start_date
    while day < figures.due_date:
        points.append((scale.x(day), scale.y(key_result_expected(figures, day))))
        day += ONE_WEEK
    points.append(
        (scale.x(figures.due_date), scale.y(key_result_expected(figures, figures.due_date)))
    )
    return points


def _month_ticks(scale: Scale, start: datetime.date, end: datetime.date) -> list[tuple[float, str]]:
    ticks = [(scale.x(start), short_date(start))]
    day = (start.replace(day=1) + datetime.timedelta(days=32)).replace(day=1)
    while day < end:
        ticks.append((scale.x(day), short_date(day)))
        day = (day + datetime.timedelta(days=32)).replace(day=1)
    end_x = scale.x(end)
    # Drop a month tick that would overlap the due date's label.
    ticks = [tick for tick in ticks if end_x - tick[0] >= 44 or tick[0] == ticks[0][0]]
    ticks.append((end_x, short_date(end)))
    return ticks


@dataclass
class Sparkline:
    """A tiny progress line for lists: where the key result went, and where it should be."""

    path: str
    pace_path: str
    last_x: float
    last_y: float
    width: int = 120
    height: int = 28


def build_sparkline(kri: KeyResultInsight, on: datetime.date) -> Sparkline | None:
    """Draw the recorded progress against the pace line, in 120 × 28."""
    return draw_sparkline(kri.figures, kri.progress_points)


def draw_sparkline(
    figures: KeyResultFigures, points: list[tuple[datetime.date, float]]
) -> Sparkline | None:
    """Draw dated progress points of a key result against its pace line, in 120 × 28."""
    if not points:
        return None
    days = max(1, (figures.due_date - figures.start_date).days)
    high = max(1.0, *(p for _, p in points))

    def xy(day: datetime.date, progress: float) -> tuple[float, float]:
        x = 2 + min(1.0, max(0.0, (day - figures.start_date).days / days)) * 116
        y = 26 - min(1.0, max(0.0, progress / high)) * 24
        return round(x, 1), round(y, 1)

    line = [xy(day, progress) for day, progress in points]
    pace = [xy(figures.start_date, 0.0), xy(figures.due_date, 1.0 / high * high)]
    return Sparkline(_path(line), _path(pace), line[-1][0], line[-1][1])
