"""Milestones and recurring key results are forecast once per distinct set of figures (a refresh
forecasts every key result of the cycle): the shared answer equals a fresh computation."""

from __future__ import annotations

import datetime
import itertools
from decimal import Decimal

from okrflow.engine import forecast as engine
from okrflow.engine.progress import Direction, KeyResultFigures, Period, Shape
from okrflow.insights import forecasting
from okrflow.insights.sources import CheckinLine

START = datetime.date(2026, 1, 1)
DUE = datetime.date(2026, 3, 31)
ON = datetime.date(2026, 2, 12)


def line(day: datetime.date, confidence: float | None) -> CheckinLine:
    return CheckinLine(
        key_result_id=1, person_id=1, day=day, value=None, confidence=confidence, obstacle=""
    )


def fresh(
    figures: KeyResultFigures, lines: list[CheckinLine], on: datetime.date, bar: float
) -> forecasting.ProgressForecast | None:
    """`forecast_key_result` computed without the memoised answers."""
    settings = engine.ForecastSettings()
    if on >= figures.due_date:
        return None
    if figures.shape is Shape.MILESTONE:
        confidence, day = forecasting.latest_confidence(lines)
        done = figures.current is not None and figures.current >= 1
        return forecasting._forecast_milestone.__wrapped__(
            done, confidence, day, on, figures.due_date, settings
        )
    return forecasting._forecast_recurring.__wrapped__(figures, on, bar, settings)


def milestones() -> list[tuple[KeyResultFigures, list[CheckinLine]]]:
    found = []
    for current, lines in itertools.product(
        (None, Decimal(0), Decimal(1), Decimal("1.0000")),
        ([], [line(ON - datetime.timedelta(days=3), 0.8)], [line(START, 0.3), line(START, None)]),
    ):
        figures = KeyResultFigures(
            shape=Shape.MILESTONE, start_date=START, due_date=DUE, start=Decimal(0),
            target=Decimal(1), current=current,
        )  # fmt: skip
        found.append((figures, lines))
    return found


def recurring() -> list[KeyResultFigures]:
    return [
        KeyResultFigures(
            shape=Shape.RECURRING,
            start_date=START,
            due_date=DUE,
            current=current,
            direction=Direction.INCREASE,
            per_period=per_period,
            period=period,
        )
        for current, per_period, period in itertools.product(
            (None, Decimal(0), Decimal(4), Decimal("4.0000"), Decimal(30)),
            (1, 3),
            (Period.WEEK, Period.MONTH),
        )
    ]


def test_shared_forecasts_equal_fresh_ones() -> None:
    cases = [*milestones(), *((figures, []) for figures in recurring())]
    for (figures, lines), bar, on in itertools.product(cases, (1.0, 0.7), (ON, DUE)):
        shared = forecasting.forecast_key_result(figures, [], lines, on, bar)
        assert shared == fresh(figures, lines, on, bar)
        # Asked again (as for the next key result of the same figures): the same answer.
        assert forecasting.forecast_key_result(figures, [], lines, on, bar) == shared


def test_key_results_of_the_same_figures_share_one_forecast() -> None:
    figures = recurring()[4]
    twin = KeyResultFigures(**{**figures.__dict__})
    first = forecasting.forecast_key_result(figures, [], [], ON, 1.0)
    assert first is not None
    assert forecasting.forecast_key_result(twin, [], [], ON, 1.0) is first
    milestone, lines = milestones()[1]
    again = KeyResultFigures(**{**milestone.__dict__})
    answer = forecasting.forecast_key_result(milestone, [], lines, ON, 0.7)
    assert forecasting.forecast_key_result(again, [], list(lines), ON, 0.7) is answer
