"""Brier score and reliability of confidence against outcomes."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from okrflow.engine.calibration import (
    Prediction,
    brier_score,
    calibrate,
    calibrate_by,
    reliability_table,
)


def test_brier_score_by_hand() -> None:
    # (0.9-1)^2 + (0.8-0)^2 + (0.3-0)^2 = 0.01 + 0.64 + 0.09 = 0.74, / 3
    predictions = [Prediction(0.9, True), Prediction(0.8, False), Prediction(0.3, False)]
    assert brier_score(predictions) == pytest.approx(0.74 / 3)
    assert brier_score([]) is None


def test_perfect_and_coin_flip_forecasters() -> None:
    assert brier_score([Prediction(1.0, True), Prediction(0.0, False)]) == 0.0
    assert brier_score([Prediction(0.5, True), Prediction(0.5, False)]) == 0.25


def test_reliability_table_groups_confidence_in_fifths() -> None:
    predictions = [
        Prediction(0.9, True),
        Prediction(0.85, True),
        Prediction(0.95, False),
        Prediction(1.0, True),
        Prediction(0.1, False),
    ]
    rows = reliability_table(predictions)
    assert [row.count for row in rows] == [1, 0, 0, 0, 4]
    top = rows[-1]
    assert top.mean_confidence == pytest.approx(0.925)
    assert top.observed_rate == pytest.approx(0.75)
    assert rows[1].mean_confidence is None


def test_an_overconfident_person_shows_it() -> None:
    predictions = [
        Prediction(0.9, outcome, key_result_id=n)
        for n, outcome in enumerate([True, False, False, False])
    ]
    summary = calibrate(predictions)
    assert summary.count == 4 and summary.key_results == 4
    assert summary.base_rate == 0.25
    assert summary.overconfidence == pytest.approx(0.65)
    assert summary.skill is not None and summary.skill < 0


def test_calibration_per_person() -> None:
    predictions = [
        Prediction(0.8, True, person_id=1),
        Prediction(0.7, True, person_id=1),
        Prediction(0.9, False, person_id=2),
    ]
    by_person = calibrate_by(predictions, lambda p: p.person_id)
    assert by_person[1].brier == pytest.approx((0.04 + 0.09) / 2)
    assert by_person[2].brier == pytest.approx(0.81)
    assert calibrate([]).brier is None


@given(st.lists(st.tuples(st.floats(0, 1), st.booleans()), min_size=1, max_size=30))
def test_brier_lies_between_zero_and_one(pairs: list[tuple[float, bool]]) -> None:
    summary = calibrate(Prediction(c, o) for c, o in pairs)
    assert summary.brier is not None and 0.0 <= summary.brier <= 1.0
    assert sum(row.count for row in summary.rows) == len(pairs)
