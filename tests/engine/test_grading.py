"""Grading matches hand-computed scores for committed and aspirational objectives."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from okrflow.engine.grading import (
    Band,
    band_for,
    grade_objective,
    objective_score,
    remaining_figures,
    score_from_progress,
    success_bar,
    with_target,
)
from okrflow.engine.progress import Direction, KeyResultFigures, Period, Shape

D = Decimal
START = date(2026, 4, 1)
DUE = date(2026, 6, 30)


def kr(shape: Shape = Shape.METRIC, **figures: object) -> KeyResultFigures:
    return KeyResultFigures(shape=shape, start_date=START, due_date=DUE, **figures)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("score", "band"),
    [
        ("0.00", Band.RED),
        ("0.34", Band.RED),
        ("0.35", Band.YELLOW),
        ("0.60", Band.YELLOW),
        ("0.64", Band.YELLOW),
        ("0.65", Band.GREEN),
        ("0.70", Band.GREEN),
        ("1.00", Band.GREEN),
    ],
)
def test_bands_read_the_score_at_one_decimal(score: str, band: Band) -> None:
    assert band_for(D(score)) is band


def test_scores_are_cut_not_rounded_so_nearly_is_not_done() -> None:
    assert score_from_progress(0.996) == D("0.99")
    assert score_from_progress(1.4) == D("1.00")
    assert score_from_progress(-0.3) == D("0.00")


def test_a_committed_objective_graded_by_hand() -> None:
    # Followers 0 -> 10,000 reached 8,000 (0.80, weight 2); survey done (1.00);
    # newsletter 10 of 13 weeks (0.76). Mean = (0.80*2 + 1.00 + 0.76) / 4 = 0.84.
    grade = grade_objective(
        1,
        "committed",
        [
            (11, kr(start=D(0), target=D(10000), current=D(8000)), D(2)),
            (12, kr(Shape.MILESTONE, current=D(1)), D(1)),
            (13, kr(Shape.RECURRING, current=D(10), per_period=1, period=Period.WEEK), D(1)),
        ],
    )
    assert [g.score for g in grade.key_results] == [D("0.80"), D("1.00"), D("0.76")]
    assert grade.score == D("0.84")
    assert grade.band is Band.GREEN
    assert grade.success is False  # committed needs 1.0


def test_an_aspirational_objective_succeeds_at_seventy_percent() -> None:
    # Open rate 55% -> 70% reached 66% (0.73); downloads +15% vs March: 1,000 -> 1,150 reached
    # 1,090 (0.60). Mean = (0.73 + 0.60) / 2 = 0.665 -> 0.66 (cut), band green at one decimal.
    grade = grade_objective(
        2,
        "aspirational",
        [
            (21, kr(Shape.PERCENTAGE, start=D(55), target=D(70), current=D(66)), D(1)),
            (
                22,
                kr(Shape.RELATIVE, start=D(1000), relative_change=D(15), current=D(1090)),
                D(1),
            ),
        ],
    )
    assert [g.score for g in grade.key_results] == [D("0.73"), D("0.60")]
    assert grade.score == D("0.66")
    assert grade.success is False
    assert success_bar("aspirational") == D("0.7")
    better = grade_objective(
        2,
        "aspirational",
        [(21, kr(Shape.PERCENTAGE, start=D(55), target=D(70), current=D(66)), D(1))],
    )
    assert better.score == D("0.73") and better.success is True


def test_a_decrease_and_a_ceiling_are_scored_the_right_way() -> None:
    # Response time at most 30 minutes, from 60: reached 40 -> (60-40)/(60-30) = 0.66.
    grade = grade_objective(
        3,
        "committed",
        [
            (
                31,
                kr(
                    Shape.THRESHOLD,
                    start=D(60),
                    target=D(30),
                    current=D(40),
                    direction=Direction.AT_MOST,
                ),
                D(1),
            )
        ],
    )
    assert grade.score == D("0.66")


def test_grading_on_the_original_target() -> None:
    revised = kr(start=D(0), target=D(8000), current=D(8000))
    assert grade_objective(4, "committed", [(41, revised, D(1))]).success is True
    original = with_target(revised, D(10000))
    grade = grade_objective(4, "committed", [(41, original, D(1))])
    assert grade.score == D("0.80") and grade.key_results[0].target == D(10000)
    milestone = kr(Shape.MILESTONE, current=D(1))
    assert with_target(milestone, D(5)) == milestone


def test_an_objective_without_key_results_scores_zero_and_fails() -> None:
    grade = grade_objective(5, "aspirational", [])
    assert grade.score == D("0.00") and grade.success is False


@given(
    st.lists(
        st.tuples(
            st.decimals(min_value=0, max_value=1, places=2),
            st.decimals(min_value=D("0.1"), max_value=10, places=1),
        ),
        min_size=1,
        max_size=6,
    )
)
def test_the_objective_score_lies_between_its_parts(parts: list[tuple[Decimal, Decimal]]) -> None:
    score = objective_score(parts)
    assert min(s for s, _ in parts) - D("0.01") <= score <= max(s for s, _ in parts)


def test_what_remains_of_an_unfinished_key_result() -> None:
    followers = remaining_figures(kr(start=D(0), target=D(10000), current=D(6500)))
    assert followers is not None
    assert (followers.shape, followers.start, followers.target) == (Shape.METRIC, D(6500), D(10000))
    relative = remaining_figures(
        kr(Shape.RELATIVE, start=D(1000), relative_change=D(20), current=D(1100))
    )
    assert relative is not None
    assert (relative.shape, relative.start, relative.target) == (Shape.METRIC, D(1100), D(1200))
    assert remaining_figures(kr(start=D(0), target=D(10), current=D(10))) is None
    pending = remaining_figures(kr(Shape.MILESTONE, current=D(0)))
    assert pending is not None and pending.shape is Shape.MILESTONE
