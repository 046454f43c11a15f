"""Test the calendar maths of cycles: bounds, suggested names, and how cycles nest."""

from __future__ import annotations

import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from okrflow.engine.cycle_calendar import (
    calendar_bounds,
    lies_within,
    may_nest,
    month_bounds,
    pick_parent,
    quarter_bounds,
    suggested_name,
    would_loop,
    year_bounds,
)

D = datetime.date


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (D(2027, 1, 9), (D(2027, 1, 1), D(2027, 1, 31))),
        (D(2028, 2, 29), (D(2028, 2, 1), D(2028, 2, 29))),
        (D(2027, 2, 3), (D(2027, 2, 1), D(2027, 2, 28))),
        (D(2026, 12, 31), (D(2026, 12, 1), D(2026, 12, 31))),
    ],
)
def test_month_bounds(day: datetime.date, expected: tuple[datetime.date, datetime.date]) -> None:
    assert month_bounds(day) == expected


def test_quarter_and_year_bounds() -> None:
    assert quarter_bounds(D(2026, 11, 28)) == (D(2026, 10, 1), D(2026, 12, 31))
    assert quarter_bounds(D(2026, 2, 28)) == (D(2026, 1, 1), D(2026, 3, 31))
    assert year_bounds(D(2027, 6, 1)) == (D(2027, 1, 1), D(2027, 12, 31))
    assert calendar_bounds("custom", D(2027, 6, 1)) is None


@given(st.sampled_from(["month", "quarter", "year"]), st.dates(D(1990, 1, 1), D(2200, 12, 31)))
def test_every_day_lies_in_its_period_and_periods_nest(kind: str, day: datetime.date) -> None:
    bounds = calendar_bounds(kind, day)
    assert bounds is not None
    assert bounds[0] <= day <= bounds[1]
    assert lies_within(month_bounds(day), quarter_bounds(day))
    assert lies_within(quarter_bounds(day), year_bounds(day))
    assert bounds[0].day == 1


@pytest.mark.parametrize(
    ("kind", "language", "name"),
    [
        ("quarter", "en", "Q1 2027"),
        ("quarter", "vi", "Q1 2027"),
        ("month", "vi", "Tháng 1/2027"),
        ("month", "en", "January 2027"),
        ("year", "vi", "2027"),
        ("custom", "en", ""),
    ],
)
def test_suggested_names(kind: str, language: str, name: str) -> None:
    assert suggested_name(kind, D(2027, 1, 15), language) == name


@pytest.mark.parametrize(
    ("child", "parent", "allowed"),
    [
        ("month", "quarter", True),
        ("month", "year", True),
        ("quarter", "year", True),
        ("custom", "month", True),
        ("custom", "custom", True),
        ("quarter", "month", False),
        ("quarter", "quarter", False),
        ("year", "year", False),
        ("year", "custom", False),
        ("month", "custom", False),
        ("week", "year", False),
    ],
)
def test_kinds_nest_sensibly(child: str, parent: str, allowed: bool) -> None:
    assert may_nest(child, parent) is allowed


def test_lies_within_includes_both_ends() -> None:
    quarter = (D(2026, 4, 1), D(2026, 6, 30))
    assert lies_within((D(2026, 4, 1), D(2026, 6, 30)), quarter)
    assert not lies_within((D(2026, 3, 31), D(2026, 4, 30)), quarter)
    assert not lies_within((D(2026, 6, 1), D(2026, 7, 1)), quarter)


def test_loops_are_found_however_deep() -> None:
    parent_of = {1: None, 2: 1, 3: 2, 4: 3}
    assert would_loop(1, 4, parent_of)  # 1 under 4, while 4 sits (deep) under 1
    assert not would_loop(4, 1, parent_of)
    assert would_loop(2, 2, parent_of)
    assert not would_loop(None, 4, parent_of)
    assert not would_loop(9, 7, {7: 8, 8: 7})  # an existing loop elsewhere ends the walk


def test_the_closest_enclosing_cycle_is_picked() -> None:
    may = (D(2026, 5, 1), D(2026, 5, 31))
    candidates = [
        (1, "year", D(2026, 1, 1), D(2026, 12, 31)),
        (2, "quarter", D(2026, 4, 1), D(2026, 6, 30)),
        (3, "quarter", D(2026, 7, 1), D(2026, 9, 30)),
        (4, "month", D(2026, 5, 1), D(2026, 5, 31)),
    ]
    assert pick_parent("month", may, candidates) == 2
    assert pick_parent("month", may, [c for c in candidates if c[0] != 2]) == 1
    assert pick_parent("quarter", (D(2026, 7, 1), D(2026, 9, 30)), candidates) == 1
    assert pick_parent("year", (D(2026, 1, 1), D(2026, 12, 31)), candidates) is None
    assert pick_parent("custom", (D(2026, 5, 4), D(2026, 5, 15)), candidates) == 4
    assert pick_parent("month", (D(2027, 5, 1), D(2027, 5, 31)), candidates) is None
