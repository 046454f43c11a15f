"""KPI ranges: in range, refused ranges, and the warning after two check-ins out of range."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from okrflow.engine.kpi import in_range, is_warned, out_of_range_run, range_problem

D = Decimal
numbers = st.decimals(min_value=-1000, max_value=1000, allow_nan=False, places=2)


def test_ranges_hold_or_name_their_problem() -> None:
    assert range_problem("at_least", D(5), None) is None
    assert range_problem("at_most", None, D(5)) is None
    assert range_problem("between", D(1), D(5)) is None
    assert range_problem("between", D(6), D(5)) == "minimum_above_maximum"
    assert range_problem("at_least", None, None) == "minimum_missing"
    assert range_problem("at_most", None, None) == "maximum_missing"
    assert range_problem("around", D(1), D(2)) == "unknown_kind"


def test_bounds_are_healthy() -> None:
    assert in_range(D(5), "at_least", D(5), None)
    assert not in_range(D(4.99), "at_least", D(5), None)
    assert in_range(D(150), "at_most", None, D(150))
    assert not in_range(D(151), "at_most", None, D(150))
    assert in_range(D(3), "between", D(1), D(5)) and not in_range(D(6), "between", D(1), D(5))


def test_warned_only_after_two_check_ins_in_a_row() -> None:
    assert not is_warned([D(100), D(160)], "at_most", None, D(150))
    assert is_warned([D(100), D(156), D(162)], "at_most", None, D(150))
    assert not is_warned([D(156), D(162), D(140)], "at_most", None, D(150))
    assert not is_warned([], "at_most", None, D(150))


@given(low=numbers, high=numbers, value=numbers)
def test_between_is_both_bounds(low: Decimal, high: Decimal, value: Decimal) -> None:
    if range_problem("between", low, high) is None:
        assert in_range(value, "between", low, high) == (
            in_range(value, "at_least", low, None) and in_range(value, "at_most", None, high)
        )


@given(values=st.lists(numbers, max_size=12), floor=numbers)
def test_the_run_counts_the_latest_values_out_of_range(
    values: list[Decimal], floor: Decimal
) -> None:
    run = out_of_range_run(values, "at_least", floor, None)
    assert all(v < floor for v in values[len(values) - run :])
    if run < len(values):
        assert values[len(values) - run - 1] >= floor
