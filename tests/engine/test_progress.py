"""Test the pure progress, pace and status maths of key results and objectives."""

from __future__ import annotations

import math
from collections.abc import Hashable
from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from okrflow.engine.progress import (
    Direction,
    KeyResultFigures,
    ObjectiveNode,
    Period,
    Shape,
    Status,
    StatusThresholds,
    effective_target,
    expected_progress,
    figure_problems,
    key_result_expected,
    key_result_progress,
    key_result_status,
    objective_has_data,
    objective_progress,
    occurrences_expected_by,
    raw_key_result_progress,
    relative_target,
    required_occurrences,
    roll_up_progress,
    status_for_gap,
)

Q1_START = date(2025, 1, 1)
Q1_DUE = date(2025, 3, 31)
Q3_START = date(2025, 7, 1)
Q3_DUE = date(2025, 9, 30)
D = Decimal


def make_kr(shape: Shape = Shape.METRIC, **figures: object) -> KeyResultFigures:
    """Build Q1 key result figures with the given overrides."""
    defaults: dict[str, object] = {"start_date": Q1_START, "due_date": Q1_DUE}
    return KeyResultFigures(shape=shape, **{**defaults, **figures})  # type: ignore[arg-type]


def churn_kr(current: Decimal | None) -> KeyResultFigures:
    """Build "reduce churn from 8% to 5%"."""
    return make_kr(
        Shape.PERCENTAGE, start=D(8), target=D(5), current=current, direction=Direction.DECREASE
    )


def response_time_kr(current: Decimal, start: Decimal | None = None) -> KeyResultFigures:
    """Build "response time at most 30 minutes"."""
    return make_kr(
        Shape.THRESHOLD, start=start, target=D(30), current=current, direction=Direction.AT_MOST
    )


def newsletter_kr(
    current: Decimal | None, start_date: date = Q1_START, due_date: date = Q1_DUE
) -> KeyResultFigures:
    """Build "send the newsletter every week"."""
    return make_kr(
        Shape.RECURRING,
        start_date=start_date,
        due_date=due_date,
        current=current,
        per_period=1,
        period=Period.WEEK,
    )


def press_kr(current: Decimal | None) -> KeyResultFigures:
    """Build "appear in the press once a month"."""
    return make_kr(Shape.RECURRING, current=current, per_period=1, period=Period.MONTH)


# --- per-shape progress ----------------------------------------------------------------------


def test_metric_progress_is_share_of_distance_travelled() -> None:
    kr = make_kr(start=D(100), target=D(200), current=D(150))
    assert key_result_progress(kr) == pytest.approx(0.5)


def test_currency_progress_uses_the_same_linear_maths() -> None:
    kr = make_kr(Shape.CURRENCY, start=D("10000.00"), target=D("50000.00"), current=D("20000.00"))
    assert key_result_progress(kr) == pytest.approx(0.25)


def test_decrease_from_eight_to_five_percent() -> None:
    assert key_result_progress(churn_kr(D(8))) == 0.0
    assert key_result_progress(churn_kr(D("6.5"))) == pytest.approx(0.5)
    assert key_result_progress(churn_kr(D(5))) == 1.0


def test_decrease_that_overshoots_is_clamped_but_raw_shows_it() -> None:
    assert key_result_progress(churn_kr(D(2))) == 1.0
    assert raw_key_result_progress(churn_kr(D(2))) == pytest.approx(2.0)


def test_decrease_that_goes_the_wrong_way_is_negative_raw_and_zero_clamped() -> None:
    assert raw_key_result_progress(churn_kr(D(11))) == pytest.approx(-1.0)
    assert key_result_progress(churn_kr(D(11))) == 0.0


def test_no_check_in_yet_means_no_progress() -> None:
    assert key_result_progress(churn_kr(None)) == 0.0
    assert raw_key_result_progress(churn_kr(None)) == 0.0


def test_relative_target_adds_the_percentage_to_the_baseline() -> None:
    assert relative_target(D(1000), D(20)) == D(1200)
    assert relative_target(D(1000), D(-10)) == D(900)
    assert relative_target(D(1000), D("12.5")) == D("1125")


def test_relative_plus_twenty_percent_on_last_quarter_visits() -> None:
    kr = make_kr(Shape.RELATIVE, start=D(1000), relative_change=D(20), current=D(1100))
    assert effective_target(kr) == D(1200)
    assert key_result_progress(kr) == pytest.approx(0.5)
    assert key_result_progress(replace(kr, current=D(1200))) == 1.0


def test_relative_decrease_derives_a_lower_target() -> None:
    kr = make_kr(
        Shape.RELATIVE,
        start=D(1000),
        relative_change=D(-10),
        current=D(950),
        direction=Direction.DECREASE,
    )
    assert effective_target(kr) == D(900)
    assert key_result_progress(kr) == pytest.approx(0.5)


def test_relative_explicit_target_wins_over_the_change() -> None:
    kr = make_kr(Shape.RELATIVE, start=D(1000), target=D(1500), relative_change=D(20))
    assert effective_target(kr) == D(1500)


def test_relative_without_change_or_target_has_no_target() -> None:
    assert effective_target(make_kr(Shape.RELATIVE, start=D(1000), current=D(5))) is None
    assert key_result_progress(make_kr(Shape.RELATIVE, start=D(1000), current=D(5))) == 0.0


def test_at_most_response_time_is_done_once_under_target() -> None:
    assert key_result_progress(response_time_kr(D(30))) == 1.0
    assert key_result_progress(response_time_kr(D(25))) == 1.0


def test_at_most_without_start_uses_target_over_current() -> None:
    assert key_result_progress(response_time_kr(D(60))) == pytest.approx(0.5)
    assert key_result_progress(response_time_kr(D(40))) == pytest.approx(0.75)


def test_at_most_with_start_is_linear_from_start() -> None:
    kr = response_time_kr(D(45), start=D(60))
    assert key_result_progress(kr) == pytest.approx(0.5)


def test_at_most_with_negative_target_and_no_start_has_no_progress() -> None:
    # target / current would be 2.5 here: a ratio of two negatives is no measure of progress.
    kr = make_kr(Shape.THRESHOLD, target=D(-5), current=D(-2), direction=Direction.AT_MOST)
    assert key_result_progress(kr) == 0.0


def test_at_least_is_done_once_the_target_is_reached() -> None:
    kr = make_kr(Shape.THRESHOLD, target=D(99), current=D("99.5"), direction=Direction.AT_LEAST)
    assert key_result_progress(kr) == 1.0
    # A threshold is met or not: exceeding it is not over-achievement.
    assert raw_key_result_progress(kr) == 1.0


def test_at_least_with_start_is_linear_from_start() -> None:
    kr = make_kr(
        Shape.THRESHOLD, start=D(90), target=D(99), current=D(93), direction=Direction.AT_LEAST
    )
    assert key_result_progress(kr) == pytest.approx(1 / 3)


def test_at_least_without_start_uses_current_over_target() -> None:
    kr = make_kr(Shape.THRESHOLD, target=D(40), current=D(10), direction=Direction.AT_LEAST)
    assert key_result_progress(kr) == pytest.approx(0.25)


def test_at_least_with_start_above_target_falls_back_to_ratio() -> None:
    kr = make_kr(
        Shape.THRESHOLD, start=D(50), target=D(40), current=D(30), direction=Direction.AT_LEAST
    )
    assert key_result_progress(kr) == pytest.approx(0.75)


def test_at_least_zero_while_below_it_without_start_has_no_progress() -> None:
    kr = make_kr(Shape.THRESHOLD, target=D(0), current=D(-5), direction=Direction.AT_LEAST)
    assert key_result_progress(kr) == 0.0
    assert key_result_progress(replace(kr, current=D(0))) == 1.0


def test_threshold_with_linear_direction_has_no_progress() -> None:
    kr = make_kr(Shape.THRESHOLD, target=D(40), current=D(30), direction=Direction.INCREASE)
    assert key_result_progress(kr) == 0.0


def test_milestone_is_all_or_nothing() -> None:
    assert key_result_progress(make_kr(Shape.MILESTONE, current=D(0))) == 0.0
    assert key_result_progress(make_kr(Shape.MILESTONE, current=D(1))) == 1.0
    assert key_result_progress(make_kr(Shape.MILESTONE)) == 0.0
    assert key_result_progress(make_kr(Shape.MILESTONE, current=D("0.5"))) == 0.0
    assert effective_target(make_kr(Shape.MILESTONE)) == D(1)


def test_weekly_newsletter_in_a_thirteen_week_quarter() -> None:
    assert required_occurrences(1, Period.WEEK, Q1_START, Q1_DUE) == 13
    assert key_result_progress(newsletter_kr(D(13))) == 1.0
    assert key_result_progress(newsletter_kr(D(6))) == pytest.approx(6 / 13)
    assert effective_target(newsletter_kr(D(0))) == D(13)


@pytest.mark.parametrize(
    ("start", "due"),
    [
        (date(2025, 1, 1), date(2025, 3, 31)),
        (date(2024, 1, 1), date(2024, 3, 31)),
        (date(2025, 4, 1), date(2025, 6, 30)),
        (date(2025, 7, 1), date(2025, 9, 30)),
        (date(2025, 10, 1), date(2025, 12, 31)),
    ],
)
def test_every_calendar_quarter_has_thirteen_weeks(start: date, due: date) -> None:
    assert required_occurrences(1, Period.WEEK, start, due) == 13
    assert required_occurrences(2, Period.WEEK, start, due) == 26


def test_partial_week_rounds_up() -> None:
    assert required_occurrences(1, Period.WEEK, date(2025, 1, 1), date(2025, 1, 16)) == 3


def test_zero_length_window_still_needs_one_occurrence() -> None:
    assert required_occurrences(1, Period.WEEK, Q1_START, Q1_START) == 1
    assert required_occurrences(2, Period.MONTH, Q1_START, Q1_START) == 2


def test_monthly_press_appearance_in_a_quarter() -> None:
    assert required_occurrences(1, Period.MONTH, Q1_START, Q1_DUE) == 3
    assert key_result_progress(press_kr(D(2))) == pytest.approx(2 / 3)


def test_months_touched_counts_partial_months() -> None:
    assert required_occurrences(1, Period.MONTH, date(2025, 1, 20), date(2025, 3, 5)) == 3
    assert required_occurrences(1, Period.MONTH, date(2024, 12, 1), date(2025, 1, 31)) == 2


def test_recurring_over_achievement_shows_in_raw_only() -> None:
    assert raw_key_result_progress(press_kr(D(6))) == pytest.approx(2.0)
    assert key_result_progress(press_kr(D(6))) == 1.0


def test_recurring_without_recurrence_has_no_progress_or_target() -> None:
    kr = make_kr(Shape.RECURRING, current=D(4), period=Period.WEEK)
    assert key_result_progress(kr) == 0.0
    assert effective_target(kr) is None


def test_recurrence_helpers_reject_per_period_below_one() -> None:
    with pytest.raises(ValueError, match="per_period"):
        required_occurrences(0, Period.WEEK, Q1_START, Q1_DUE)
    with pytest.raises(ValueError, match="per_period"):
        occurrences_expected_by(0, Period.MONTH, Q1_START, Q1_DUE, Q1_DUE)


def test_non_finite_values_never_raise_and_give_no_progress() -> None:
    for value in (D("NaN"), D("Infinity"), D("-Infinity"), D("sNaN")):
        kr = make_kr(start=D(0), target=D(10), current=value)
        assert key_result_progress(kr) == 0.0
        assert figure_problems(kr) == ["not_finite"]


def test_start_equals_target_gives_no_progress_instead_of_dividing_by_zero() -> None:
    assert key_result_progress(make_kr(start=D(5), target=D(5), current=D(7))) == 0.0


def test_absurd_magnitudes_do_not_raise() -> None:
    kr = make_kr(start=D("-9E+999999"), target=D("9E+999999"), current=D("9E+999999"))
    assert 0.0 <= key_result_progress(kr) <= 1.0
    tiny = make_kr(start=D(0), target=D("1E-999999"), current=D("9E+999999"))
    assert key_result_progress(tiny) == 1.0
    assert raw_key_result_progress(tiny) == math.inf


# --- recurrence pacing -----------------------------------------------------------------------


def test_weekly_occurrences_count_fully_elapsed_weeks() -> None:
    def expected(on: date) -> int:
        return occurrences_expected_by(1, Period.WEEK, Q1_START, Q1_DUE, on)

    assert expected(Q1_START) == 0
    assert expected(Q1_START + timedelta(days=6)) == 0
    assert expected(Q1_START + timedelta(days=7)) == 1
    assert expected(Q1_START + timedelta(days=28)) == 4
    assert expected(Q1_DUE - timedelta(days=1)) == 12
    assert expected(Q1_DUE) == 13
    assert expected(Q1_DUE + timedelta(days=30)) == 13
    assert expected(Q1_START - timedelta(days=30)) == 0


def test_monthly_occurrences_count_fully_elapsed_months() -> None:
    def expected(on: date) -> int:
        return occurrences_expected_by(2, Period.MONTH, Q1_START, Q1_DUE, on)

    assert expected(date(2025, 1, 31)) == 0
    assert expected(date(2025, 2, 1)) == 2
    assert expected(date(2025, 3, 30)) == 4
    assert expected(Q1_DUE) == 6


def test_recurring_pace_is_a_staircase() -> None:
    kr = newsletter_kr(D(0))
    assert key_result_expected(kr, Q1_START + timedelta(days=13)) == pytest.approx(1 / 13)
    assert key_result_expected(kr, Q1_START + timedelta(days=14)) == pytest.approx(2 / 13)


def test_milestone_pace_is_a_single_step_at_the_due_date() -> None:
    kr = make_kr(Shape.MILESTONE, current=D(0))
    assert key_result_expected(kr, Q1_START) == 0.0
    assert key_result_expected(kr, Q1_DUE - timedelta(days=1)) == 0.0
    assert key_result_expected(kr, Q1_DUE) == 1.0
    assert key_result_expected(kr, Q1_DUE + timedelta(days=5)) == 1.0


def test_recurring_without_recurrence_falls_back_to_time_pace() -> None:
    kr = make_kr(Shape.RECURRING, current=D(1))
    on = date(2025, 2, 15)
    assert key_result_expected(kr, on) == expected_progress(Q1_START, Q1_DUE, on)


# --- expected progress -----------------------------------------------------------------------


def test_expected_progress_is_linear_by_days() -> None:
    start, due = date(2025, 1, 1), date(2025, 1, 11)
    assert expected_progress(start, due, date(2024, 12, 1)) == 0.0
    assert expected_progress(start, due, start) == 0.0
    assert expected_progress(start, due, date(2025, 1, 6)) == pytest.approx(0.5)
    assert expected_progress(start, due, due) == 1.0
    assert expected_progress(start, due, date(2025, 2, 1)) == 1.0


def test_expected_progress_of_a_one_day_window() -> None:
    assert expected_progress(Q1_START, Q1_START, Q1_START - timedelta(days=1)) == 0.0
    assert expected_progress(Q1_START, Q1_START, Q1_START) == 1.0


def test_expected_progress_treats_due_before_start_as_zero_length() -> None:
    assert expected_progress(Q1_DUE, Q1_START, Q1_START) == 0.0
    assert expected_progress(Q1_DUE, Q1_START, Q1_DUE) == 1.0


# --- status ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("progress", "expected", "status"),
    [
        (1.0, 0.2, Status.DONE),
        (1.3, 1.0, Status.DONE),
        (0.5, 0.5, Status.ON_TRACK),
        (0.9, 0.5, Status.ON_TRACK),
        (0.4, 0.5, Status.ON_TRACK),  # exactly 10 points behind is not "more than"
        (0.7, 0.8, Status.ON_TRACK),  # 10 points, although the float gap is 0.10000000000000009
        (0.39, 0.5, Status.AT_RISK),
        (0.25, 0.5, Status.AT_RISK),  # exactly 25 points behind is not "more than"
        (0.29, 0.54, Status.AT_RISK),  # 25 points, although the float gap is 0.25000000000000006
        (0.24, 0.5, Status.OFF_TRACK),
        (0.0, 1.0, Status.OFF_TRACK),
    ],
)
def test_status_for_gap_committed(progress: float, expected: float, status: Status) -> None:
    assert status_for_gap(progress, expected) is status


def test_aspirational_bar_scales_the_pace_line() -> None:
    assert status_for_gap(0.35, 0.5) is Status.AT_RISK
    assert status_for_gap(0.35, 0.5, success_bar=0.7) is Status.ON_TRACK
    assert status_for_gap(0.2, 0.5) is Status.OFF_TRACK
    assert status_for_gap(0.2, 0.5, success_bar=0.7) is Status.AT_RISK
    assert status_for_gap(0.7, 1.0, success_bar=0.7) is Status.ON_TRACK
    assert status_for_gap(0.5, 1.0, success_bar=0.7) is Status.AT_RISK


def test_custom_thresholds_apply() -> None:
    strict = StatusThresholds(at_risk_gap=0.05, off_track_gap=0.1)
    assert status_for_gap(0.43, 0.5, thresholds=strict) is Status.AT_RISK
    assert status_for_gap(0.35, 0.5, thresholds=strict) is Status.OFF_TRACK


def test_thresholds_reject_overlapping_gaps() -> None:
    with pytest.raises(ValueError, match="at_risk_gap"):
        StatusThresholds(at_risk_gap=0.3, off_track_gap=0.2)
    with pytest.raises(ValueError, match="milestone_at_risk_days"):
        StatusThresholds(milestone_at_risk_days=-1)


def test_key_result_status_follows_pace() -> None:
    half_way = Q1_START + (Q1_DUE - Q1_START) / 2
    kr = make_kr(start=D(0), target=D(100), current=D(45))
    assert key_result_status(kr, half_way) is Status.ON_TRACK
    assert key_result_status(replace(kr, current=D(35)), half_way) is Status.AT_RISK
    assert key_result_status(replace(kr, current=D(20)), half_way) is Status.OFF_TRACK
    assert key_result_status(replace(kr, current=D(100)), Q1_START) is Status.DONE
    assert key_result_status(replace(kr, current=D(35)), half_way, 0.7) is Status.ON_TRACK


def test_weekly_newsletter_status_on_week_four() -> None:
    week_four = Q1_START + timedelta(days=28)
    assert key_result_status(newsletter_kr(D(3)), week_four) is Status.ON_TRACK
    assert key_result_status(newsletter_kr(D(2)), week_four) is Status.AT_RISK
    assert key_result_status(newsletter_kr(D(0)), week_four) is Status.OFF_TRACK


def test_milestone_status_before_and_after_due() -> None:
    open_milestone = make_kr(Shape.MILESTONE, current=D(0))
    assert key_result_status(open_milestone, Q1_DUE - timedelta(days=15)) is Status.ON_TRACK
    assert key_result_status(open_milestone, Q1_DUE - timedelta(days=14)) is Status.AT_RISK
    assert key_result_status(open_milestone, Q1_DUE) is Status.AT_RISK
    assert key_result_status(open_milestone, Q1_DUE + timedelta(days=1)) is Status.OFF_TRACK
    done = replace(open_milestone, current=D(1))
    assert key_result_status(done, Q1_DUE + timedelta(days=1)) is Status.DONE
    assert key_result_status(done, Q1_START) is Status.DONE


def test_milestone_ignores_the_pace_line() -> None:
    # Half-way through with nothing done would be off track for a metric, not for a milestone.
    open_milestone = make_kr(Shape.MILESTONE, current=D(0))
    assert key_result_status(open_milestone, date(2025, 2, 14)) is Status.ON_TRACK


def test_milestone_at_risk_window_is_configurable() -> None:
    open_milestone = make_kr(Shape.MILESTONE, current=D(0))
    week = StatusThresholds(milestone_at_risk_days=7)
    on = Q1_DUE - timedelta(days=10)
    assert key_result_status(open_milestone, on, thresholds=week) is Status.ON_TRACK


# --- problem codes ---------------------------------------------------------------------------


def test_complete_figures_have_no_problems() -> None:
    valid = [
        make_kr(start=D(0), target=D(10), current=D(3)),
        churn_kr(D(7)),
        make_kr(Shape.RELATIVE, start=D(1000), relative_change=D(20)),
        response_time_kr(D(40)),
        make_kr(Shape.MILESTONE, current=D(0)),
        newsletter_kr(D(3)),
        press_kr(None),
    ]
    for kr in valid:
        assert figure_problems(kr) == [], kr


@pytest.mark.parametrize(
    ("kr", "code"),
    [
        (make_kr(start=D(0), current=D(1)), "missing_target"),
        (make_kr(Shape.THRESHOLD, direction=Direction.AT_LEAST), "missing_target"),
        (make_kr(Shape.RELATIVE, start=D(100)), "missing_target"),
        (make_kr(target=D(10)), "missing_start"),
        (make_kr(Shape.CURRENCY, target=D(10)), "missing_start"),
        (make_kr(Shape.RELATIVE, relative_change=D(20)), "missing_start"),
        (make_kr(start=D(10), target=D(10)), "start_equals_target"),
        (make_kr(Shape.RELATIVE, start=D(10), relative_change=D(0)), "start_equals_target"),
        (make_kr(start=D(0), target=D("NaN")), "not_finite"),
        (make_kr(start=D("Infinity"), target=D(1)), "not_finite"),
        (make_kr(Shape.RELATIVE, start=D(1), relative_change=D("NaN")), "not_finite"),
        (make_kr(start=D(10), target=D(5)), "direction_mismatch"),
        (make_kr(start=D(5), target=D(10), direction=Direction.DECREASE), "direction_mismatch"),
        (
            make_kr(Shape.RELATIVE, start=D(100), relative_change=D(-10)),
            "direction_mismatch",
        ),
        (make_kr(Shape.THRESHOLD, target=D(1)), "wrong_direction_for_shape"),
        (
            make_kr(start=D(0), target=D(1), direction=Direction.AT_LEAST),
            "wrong_direction_for_shape",
        ),
        (
            make_kr(Shape.MILESTONE, direction=Direction.DECREASE),
            "wrong_direction_for_shape",
        ),
        (make_kr(Shape.RECURRING, period=Period.WEEK), "missing_recurrence"),
        (make_kr(Shape.RECURRING, per_period=1), "missing_recurrence"),
        (make_kr(Shape.RECURRING, per_period=0, period=Period.MONTH), "missing_recurrence"),
        (make_kr(start=D(0), target=D(1), due_date=date(2024, 12, 1)), "due_before_start"),
        (make_kr(Shape.PERCENTAGE, start=D(-1), target=D(5)), "negative_percentage"),
        (make_kr(Shape.PERCENTAGE, start=D(1), target=D(5), current=D(-2)), "negative_percentage"),
        (
            make_kr(Shape.RECURRING, per_period=1, period=Period.WEEK, current=D(-1)),
            "negative_occurrences",
        ),
        (make_kr(Shape.MILESTONE, current=D("0.5")), "milestone_not_binary"),
    ],
)
def test_each_problem_code_is_reported(kr: KeyResultFigures, code: str) -> None:
    assert figure_problems(kr) == [code]


def test_problems_accumulate_in_a_stable_order() -> None:
    kr = make_kr(Shape.PERCENTAGE, due_date=date(2024, 1, 1), direction=Direction.AT_MOST)
    assert figure_problems(kr) == [
        "due_before_start",
        "wrong_direction_for_shape",
        "missing_start",
        "missing_target",
    ]


def test_currency_may_be_negative_unlike_percentage() -> None:
    assert figure_problems(make_kr(Shape.CURRENCY, start=D(-500), target=D(0))) == []


# --- objectives ------------------------------------------------------------------------------


def test_objective_progress_is_a_weighted_mean() -> None:
    assert objective_progress([(1.0, D(3)), (0.0, D(1))]) == pytest.approx(0.75)
    assert objective_progress([(0.2, D("0.5")), (0.8, D("0.5"))]) == pytest.approx(0.5)


def test_objective_progress_of_equal_parts_is_exactly_that_progress() -> None:
    # Summing five shares of 0.1 in floats gives 0.10000000000000002 without the clamp.
    assert objective_progress([(0.1, D(1))] * 5) == 0.1
    assert objective_progress([(0.9, D(1))] * 3) == 0.9


def test_objective_without_key_results_has_no_progress() -> None:
    assert objective_progress([]) == 0.0


@pytest.mark.parametrize("weight", [D(0), D(-1), D("NaN"), D("Infinity")])
def test_objective_progress_rejects_unusable_weights(weight: Decimal) -> None:
    with pytest.raises(ValueError, match="weight"):
        objective_progress([(0.5, D(1)), (0.5, weight)])


def test_objective_progress_copes_with_huge_weights() -> None:
    assert objective_progress([(0.0, D("1E+400")), (1.0, D("1E+400"))]) == pytest.approx(0.5)


def test_roll_up_counts_children_as_weighted_parts() -> None:
    nodes = {
        "company": ObjectiveNode(((1.0, D(1)),), children=(("sales", D(1)), ("ops", D(2)))),
        "sales": ObjectiveNode(((0.5, D(1)),)),
        "ops": ObjectiveNode(((0.0, D(1)), (1.0, D(1))), children=(("team", D(2)),)),
        "team": ObjectiveNode(((0.2, D(1)),)),
    }
    rolled = roll_up_progress(nodes, include_children=True)
    assert rolled["team"] == pytest.approx(0.2)
    assert rolled["ops"] == pytest.approx((0.0 + 1.0 + 2 * 0.2) / 4)
    assert rolled["company"] == pytest.approx((1.0 + 0.5 + 2 * rolled["ops"]) / 4)
    assert roll_up_progress(nodes, include_children=False)["company"] == 1.0


def test_roll_up_ignores_children_that_are_not_given() -> None:
    nodes = {"parent": ObjectiveNode(((0.4, D(1)),), children=(("elsewhere", D(5)),))}
    assert roll_up_progress(nodes, include_children=True) == {"parent": pytest.approx(0.4)}


def test_roll_up_of_objective_with_only_children() -> None:
    nodes = {
        "parent": ObjectiveNode((), children=((1, D(1)), (2, D(1)))),
        1: ObjectiveNode(((0.2, D(1)),)),
        2: ObjectiveNode(((0.6, D(1)),)),
    }
    assert roll_up_progress(nodes, include_children=True)["parent"] == pytest.approx(0.4)


def test_roll_up_breaks_a_cycle_instead_of_looping() -> None:
    nodes = {
        "a": ObjectiveNode(((1.0, D(1)),), children=(("b", D(1)),)),
        "b": ObjectiveNode(((0.0, D(1)),), children=(("a", D(1)),)),
        "self": ObjectiveNode(((0.3, D(1)),), children=(("self", D(1)),)),
    }
    rolled = roll_up_progress(nodes, include_children=True)
    # "a" is reached first, so the edge b -> a closes the cycle and is the one dropped.
    assert rolled["b"] == pytest.approx(0.0)
    assert rolled["a"] == pytest.approx(0.5)
    assert rolled["self"] == pytest.approx(0.3)


def test_roll_up_accepts_none_as_an_objective_key() -> None:
    nodes = {
        "parent": ObjectiveNode(((0.0, D(1)),), children=((None, D(1)),)),
        None: ObjectiveNode(((1.0, D(1)),)),
    }
    assert roll_up_progress(nodes, include_children=True)["parent"] == pytest.approx(0.5)


def test_roll_up_handles_chains_deeper_than_the_recursion_limit() -> None:
    depth = 5000
    nodes = {
        level: ObjectiveNode(((1.0, D(1)),), children=((level + 1, D(1)),))
        for level in range(depth)
    }
    rolled = roll_up_progress(nodes, include_children=True)
    assert len(rolled) == depth
    assert rolled[0] == 1.0


# --- properties ------------------------------------------------------------------------------

values = st.decimals(
    min_value=-(10**9), max_value=10**9, places=3, allow_nan=False, allow_infinity=False
)
days = st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 12, 31))
progresses = st.floats(min_value=0.0, max_value=1.0)
weights = st.decimals(min_value=D("0.001"), max_value=D(1000), places=3)
shapes_with_values = st.sampled_from([Shape.METRIC, Shape.PERCENTAGE, Shape.CURRENCY])


@given(shapes_with_values, values, values, values, values)
def test_increase_progress_never_falls_as_current_rises(
    shape: Shape, start: Decimal, target: Decimal, low: Decimal, high: Decimal
) -> None:
    assume(start < target)
    low, high = sorted((low, high))
    kr = make_kr(shape, start=start, target=target, direction=Direction.INCREASE)
    assert key_result_progress(replace(kr, current=low)) <= key_result_progress(
        replace(kr, current=high)
    )
    assert raw_key_result_progress(replace(kr, current=low)) <= raw_key_result_progress(
        replace(kr, current=high)
    )


@given(shapes_with_values, values, values, values, values)
def test_decrease_progress_never_rises_as_current_rises(
    shape: Shape, start: Decimal, target: Decimal, low: Decimal, high: Decimal
) -> None:
    assume(target < start)
    low, high = sorted((low, high))
    kr = make_kr(shape, start=start, target=target, direction=Direction.DECREASE)
    assert key_result_progress(replace(kr, current=low)) >= key_result_progress(
        replace(kr, current=high)
    )


@given(st.none() | values, values, values, values)
def test_at_least_never_falls_and_at_most_never_rises_as_current_rises(
    start: Decimal | None, target: Decimal, low: Decimal, high: Decimal
) -> None:
    low, high = sorted((low, high))
    at_least = make_kr(Shape.THRESHOLD, start=start, target=target, direction=Direction.AT_LEAST)
    at_most = replace(at_least, direction=Direction.AT_MOST)
    assert key_result_progress(replace(at_least, current=low)) <= key_result_progress(
        replace(at_least, current=high)
    )
    assert key_result_progress(replace(at_most, current=low)) >= key_result_progress(
        replace(at_most, current=high)
    )


@given(
    st.sampled_from(list(Shape)),
    st.sampled_from(list(Direction)),
    st.none() | values,
    st.none() | values,
    st.none() | values,
    st.none() | values,
    st.none() | st.integers(min_value=-2, max_value=10),
    st.none() | st.sampled_from(list(Period)),
    days,
    days,
)
def test_progress_is_always_within_zero_and_one(
    shape: Shape,
    direction: Direction,
    start: Decimal | None,
    target: Decimal | None,
    current: Decimal | None,
    relative_change: Decimal | None,
    per_period: int | None,
    period: Period | None,
    start_date: date,
    due_date: date,
) -> None:
    kr = KeyResultFigures(
        shape=shape,
        start_date=start_date,
        due_date=due_date,
        start=start,
        target=target,
        current=current,
        direction=direction,
        relative_change=relative_change,
        per_period=per_period,
        period=period,
    )
    assert 0.0 <= key_result_progress(kr) <= 1.0
    assert not math.isnan(raw_key_result_progress(kr))
    assert 0.0 <= key_result_expected(kr, start_date) <= 1.0
    assert isinstance(figure_problems(kr), list)
    assert key_result_status(kr, due_date) in set(Status)


@given(st.lists(st.tuples(progresses, weights), min_size=1, max_size=20))
def test_objective_progress_lies_between_its_parts(parts: list[tuple[float, Decimal]]) -> None:
    mean = objective_progress(parts)
    progress_values = [progress for progress, _ in parts]
    assert min(progress_values) <= mean <= max(progress_values)


@given(days, days, days, days)
def test_expected_progress_runs_from_zero_to_one_monotonically(
    start: date, due: date, earlier: date, later: date
) -> None:
    assume(start <= due)
    earlier, later = sorted((earlier, later))
    assert expected_progress(start, due, start) == (1.0 if start == due else 0.0)
    assert expected_progress(start, due, due) == 1.0
    assert expected_progress(start, due, earlier) <= expected_progress(start, due, later)
    assert 0.0 <= expected_progress(start, due, earlier) <= 1.0


@given(st.integers(min_value=1, max_value=5), st.sampled_from(list(Period)), days, days, days)
def test_recurring_pace_runs_from_zero_to_required(
    per_period: int, period: Period, start: date, due: date, on: date
) -> None:
    assume(start < due)
    required = required_occurrences(per_period, period, start, due)
    assert occurrences_expected_by(per_period, period, start, due, start) == 0
    assert occurrences_expected_by(per_period, period, start, due, due) == required
    by_on = occurrences_expected_by(per_period, period, start, due, on)
    by_next = occurrences_expected_by(per_period, period, start, due, on + timedelta(days=1))
    assert 0 <= by_on <= by_next <= required


node_keys = st.integers(min_value=0, max_value=12)
nodes_strategy = st.dictionaries(
    node_keys,
    st.builds(
        ObjectiveNode,
        key_results=st.lists(st.tuples(progresses, weights), max_size=4).map(tuple),
        children=st.lists(st.tuples(node_keys | st.just(99), weights), max_size=4).map(tuple),
    ),
    max_size=13,
)


@given(nodes_strategy)
def test_roll_up_without_children_is_own_key_results(
    nodes: dict[Hashable, ObjectiveNode],
) -> None:
    rolled = roll_up_progress(nodes, include_children=False)
    assert rolled == {key: objective_progress(node.key_results) for key, node in nodes.items()}


@given(nodes_strategy)
def test_roll_up_terminates_and_stays_within_bounds_on_any_graph(
    nodes: dict[Hashable, ObjectiveNode],
) -> None:
    rolled = roll_up_progress(nodes, include_children=True)
    assert rolled.keys() == nodes.keys()
    assert all(0.0 <= progress <= 1.0 for progress in rolled.values())


@given(st.lists(st.tuples(progresses, weights), min_size=1, max_size=4), node_keys)
def test_roll_up_of_a_full_cycle_terminates(
    key_results: list[tuple[float, Decimal]], size: int
) -> None:
    ring = {
        index: ObjectiveNode(tuple(key_results), children=(((index + 1) % (size + 1), D(1)),))
        for index in range(size + 1)
    }
    rolled = roll_up_progress(ring, include_children=True)
    own = objective_progress(key_results)
    # Every objective in the ring has the same own progress, so any way of breaking the
    # cycle must leave each of them exactly there.
    assert all(progress == pytest.approx(own) for progress in rolled.values())


# --- no data yet -------------------------------------------------------------------------------

NO_VALUE_SHAPES = [
    make_kr(Shape.METRIC, start=D(0), target=D(100)),
    make_kr(Shape.THRESHOLD, target=D(30), direction=Direction.AT_MOST),
    make_kr(Shape.RECURRING, per_period=1, period=Period.WEEK),
    make_kr(Shape.RELATIVE, start=D(1000), relative_change=D(20)),
]


@pytest.mark.parametrize("kr", NO_VALUE_SHAPES, ids=lambda kr: kr.shape.value)
@pytest.mark.parametrize("on", [Q1_START, date(2025, 2, 15), Q1_DUE])
def test_a_key_result_without_a_value_has_no_data_yet_until_it_is_due(
    kr: KeyResultFigures, on: date
) -> None:
    assert key_result_status(kr, on) is Status.NO_DATA
    # With a value the same key result is judged against its pace again.
    assert key_result_status(replace(kr, current=D(0)), on) is not Status.NO_DATA


@pytest.mark.parametrize("kr", NO_VALUE_SHAPES, ids=lambda kr: kr.shape.value)
def test_a_key_result_still_without_a_value_after_its_due_date_is_off_track(
    kr: KeyResultFigures,
) -> None:
    assert key_result_status(kr, Q1_DUE + timedelta(days=1)) is Status.OFF_TRACK


def test_a_milestone_without_a_value_is_judged_by_the_time_left_only() -> None:
    hire = make_kr(Shape.MILESTONE)
    assert key_result_status(hire, date(2025, 2, 1)) is Status.NO_DATA
    assert key_result_status(hire, Q1_DUE - timedelta(days=14)) is Status.AT_RISK
    assert key_result_status(hire, Q1_DUE + timedelta(days=1)) is Status.OFF_TRACK
    assert key_result_status(replace(hire, current=D(0)), date(2025, 2, 1)) is Status.ON_TRACK


def test_any_value_ends_the_no_data_state() -> None:
    kr = make_kr(Shape.METRIC, start=D(0), target=D(100), current=D(0))
    assert key_result_status(kr, Q1_START) is Status.ON_TRACK
    assert key_result_status(replace(kr, current=D(100)), Q1_START) is Status.DONE


@given(
    start=st.integers(-1000, 1000),
    target=st.integers(-1000, 1000),
    day=st.integers(0, 89),
    shape=st.sampled_from(list(Shape)),
)
def test_only_a_missing_value_gives_no_data(
    start: int, target: int, day: int, shape: Shape
) -> None:
    kr = make_kr(shape, start=D(start), target=D(target), per_period=1, period=Period.MONTH)
    if shape is Shape.THRESHOLD:
        kr = replace(kr, direction=Direction.AT_LEAST)
    on = Q1_START + timedelta(days=day)
    assert key_result_status(kr, on) in (Status.NO_DATA, Status.AT_RISK)
    for current in (D(0), D(start), D(target)):
        assert key_result_status(replace(kr, current=current), on) is not Status.NO_DATA


def test_an_objective_has_data_once_one_key_result_or_child_has() -> None:
    assert not objective_has_data([])
    assert not objective_has_data([Status.NO_DATA, Status.NO_DATA])
    assert objective_has_data([Status.NO_DATA, Status.OFF_TRACK])
    assert objective_has_data([Status.NO_DATA], children_have_data=True)
    assert objective_has_data([Status.DONE])
