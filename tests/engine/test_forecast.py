"""Test the forecast: robust trend with its band, recurring counts, milestones, the backtest."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from okrflow.engine.backtest import open_cycle_histories, replay, synthetic_histories
from okrflow.engine.forecast import (
    ForecastSettings,
    Method,
    forecast_trend,
    naive_pace,
    theil_sen_slope,
)
from okrflow.engine.forecast_distributions import StudentT, student_t_cdf, student_t_quantile
from okrflow.engine.forecast_events import forecast_count, forecast_milestone
from okrflow.engine.progress import Period

START = date(2026, 4, 1)
DUE = date(2026, 6, 30)


def weekly(values: list[float], start: date = START) -> list[tuple[date, float]]:
    return [(start + timedelta(weeks=week), value) for week, value in enumerate(values)]


# --- Student-t ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("df", "quantile"), [(1, 3.0777), (2, 1.8856), (3, 1.6377), (5, 1.4759), (30, 1.3104)]
)
def test_student_t_quantile_matches_the_tables(df: int, quantile: float) -> None:
    assert student_t_quantile(0.9, df) == pytest.approx(quantile, abs=1e-4)
    assert student_t_cdf(quantile, df) == pytest.approx(0.9, abs=1e-5)


def test_student_t_is_symmetric() -> None:
    assert student_t_cdf(0.0, 4) == pytest.approx(0.5)
    assert student_t_cdf(-1.2, 7) == pytest.approx(1 - student_t_cdf(1.2, 7))
    assert StudentT(10, 2, 3).quantile(0.5) == pytest.approx(10)


# --- trend -------------------------------------------------------------------------------------


def test_theil_sen_ignores_one_wild_point() -> None:
    times = [0, 1, 2, 3, 4, 5]
    values = [0, 1, 2, 30, 4, 5]
    assert theil_sen_slope(times, values) == pytest.approx(1.0)


def test_a_steady_key_result_is_forecast_on_its_line() -> None:
    # 10 a week from 100: 13 weeks after the start the line reaches 230.
    points = weekly([100, 110, 120, 130, 140, 150, 160])
    forecast = forecast_trend(points, due_date=START + timedelta(weeks=13), scale=130)
    assert forecast is not None
    assert forecast.method is Method.TREND
    assert forecast.low < forecast.expected < forecast.high
    assert 215 <= forecast.expected <= 231  # damping keeps it a little under the straight line
    assert forecast.low <= 230 <= forecast.high


def test_a_mistyped_latest_value_does_not_carry_the_forecast_away() -> None:
    points = weekly([100, 112, 109, 131, 139, 152, 500])
    forecast = forecast_trend(points, due_date=START + timedelta(weeks=13), scale=130)
    naive = naive_pace(points, due_date=START + timedelta(weeks=13))
    assert forecast is not None and naive is not None
    assert forecast.expected < 260
    assert naive > 800


def test_a_stall_pulls_the_forecast_below_the_naive_pace() -> None:
    # Fast for three weeks, then nothing for four.
    points = weekly([0, 20, 40, 60, 60, 61, 60, 61])
    due = START + timedelta(weeks=13)
    forecast = forecast_trend(points, due_date=due, scale=100, planned_slope=100 / 13)
    naive = naive_pace(points, due_date=due)
    assert forecast is not None and naive is not None
    assert forecast.expected < naive - 15
    assert forecast.high < naive  # the naive pace is outside the band
    assert forecast.probability_at_least(100) < 0.5


def test_a_count_that_never_went_down_starts_from_its_latest_value() -> None:
    # Hires: one for five weeks, then the second. The second hire is a fact, not noise.
    points = weekly([1, 1, 1, 1, 1, 2])
    forecast = forecast_trend(points, due_date=START + timedelta(weeks=13), scale=3)
    assert forecast is not None
    assert forecast.expected >= 2
    assert forecast.low >= 2


def test_a_forecast_needs_two_dates() -> None:
    assert forecast_trend(weekly([5]), due_date=DUE, scale=10) is None
    assert forecast_trend([(START, 1.0), (START, 2.0)], due_date=DUE, scale=10) is None
    assert forecast_trend(weekly([1, 2]), due_date=DUE, scale=0) is None


def test_probability_of_reaching_a_value() -> None:
    forecast = forecast_trend(weekly([0, 10, 20, 30, 40]), due_date=DUE, scale=100)
    assert forecast is not None
    assert forecast.probability_at_least(forecast.expected) == pytest.approx(0.5, abs=1e-6)
    assert forecast.probability_at_least(forecast.high) == pytest.approx(0.1, abs=1e-3)
    assert forecast.probability_at_most(forecast.low) == pytest.approx(0.1, abs=1e-3)


values_strategy = st.lists(
    st.floats(min_value=-1e6, max_value=1e6, allow_nan=False), min_size=2, max_size=13
)


@settings(max_examples=150, deadline=None)
@given(values=values_strategy, scale=st.floats(min_value=0.01, max_value=1e6))
def test_the_band_always_contains_the_forecast(values: list[float], scale: float) -> None:
    forecast = forecast_trend(weekly(values), due_date=START + timedelta(weeks=14), scale=scale)
    assert forecast is not None
    assert forecast.low <= forecast.expected <= forecast.high


@settings(max_examples=150, deadline=None)
@given(values=values_strategy, scale=st.floats(min_value=0.01, max_value=1e6))
def test_the_band_widens_with_the_horizon(values: list[float], scale: float) -> None:
    points = weekly(values)
    last = points[-1][0]
    widths = []
    for weeks_ahead in (1, 4, 10):
        forecast = forecast_trend(points, due_date=last + timedelta(weeks=weeks_ahead), scale=scale)
        assert forecast is not None
        widths.append(forecast.high - forecast.low)
    assert widths[0] <= widths[1] * (1 + 1e-9) <= widths[2] * (1 + 1e-9)


# --- recurring ---------------------------------------------------------------------------------


def test_a_weekly_newsletter_sent_every_week_is_forecast_near_thirteen() -> None:
    on = START + timedelta(weeks=6)
    forecast = forecast_count(
        6, per_period=1, period=Period.WEEK, start_date=START, due_date=DUE, on=on
    )
    assert forecast.method is Method.COUNT
    assert 11 <= forecast.expected <= 13
    assert forecast.high == 13
    assert forecast.low >= 6
    assert forecast.probability_at_least(13) < 0.6


def test_a_newsletter_sent_half_the_weeks_is_forecast_near_half() -> None:
    on = START + timedelta(weeks=8)
    forecast = forecast_count(
        4, per_period=1, period=Period.WEEK, start_date=START, due_date=DUE, on=on
    )
    assert 6 <= forecast.expected <= 8
    assert forecast.probability_at_least(13) < 0.01
    assert forecast.low <= forecast.expected <= forecast.high


# --- milestones --------------------------------------------------------------------------------


def test_milestone_probability_follows_confidence_and_the_due_date() -> None:
    on = date(2026, 5, 1)

    def chance(**overrides: object) -> float:
        arguments: dict[str, object] = {
            "done": False,
            "confidence": 0.3,
            "confidence_day": on,
            "on": on,
            "due_date": DUE,
        }
        arguments.update(overrides)
        return forecast_milestone(**arguments).expected  # type: ignore[arg-type]

    assert chance() == pytest.approx(0.3)
    assert chance(done=True) == 1.0
    assert chance(on=DUE + timedelta(days=1)) == 0.0
    assert chance(confidence=None) == pytest.approx(ForecastSettings().milestone_prior)
    # A confidence given a month ago counts half towards the prior.
    assert chance(confidence_day=on - timedelta(days=30)) == pytest.approx(0.4)
    forecast = forecast_milestone(
        done=False, confidence=0.3, confidence_day=on, on=on, due_date=DUE
    )
    assert (forecast.low, forecast.high) == (0.0, 1.0)
    assert forecast.probability_at_least(1.0) == pytest.approx(0.3)


# --- backtest ----------------------------------------------------------------------------------


def test_the_synthetic_generator_is_repeatable() -> None:
    assert synthetic_histories(5, seed=3) == synthetic_histories(5, seed=3)
    assert synthetic_histories(5, seed=3) != synthetic_histories(5, seed=4)


def test_the_forecast_beats_the_naive_pace_with_a_calibrated_band() -> None:
    score = replay(synthetic_histories(150, seed=11))
    assert score.forecasts == 150 * 12
    assert 0.74 <= score.coverage <= 0.86
    assert score.forecast_mae < score.naive_mae * 0.92


def test_open_cycle_histories_forecast_the_latest_value() -> None:
    rows = [("kr", 0.0, 100.0, weekly([0, 10, 20, 30])), ("short", 0.0, 1.0, weekly([0, 1]))]
    histories = open_cycle_histories(rows)
    assert [h.key for h in histories] == ["kr"]
    assert histories[0].truth == 30
    score = replay(histories)
    assert score.forecasts == 2
