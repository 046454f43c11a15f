"""`progress_function` answers exactly what `raw_key_result_progress` answers, value by value."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from okrflow.engine.progress import (
    Direction,
    KeyResultFigures,
    Period,
    Shape,
    progress_function,
    raw_key_result_progress,
)

START = date(2025, 1, 1)
values = st.one_of(
    st.none(),
    st.decimals(min_value=-1000, max_value=1000, places=2),
    st.sampled_from([Decimal(0), Decimal(1), Decimal("NaN"), Decimal("Infinity")]),
)


@st.composite
def figures(draw: st.DrawFn) -> KeyResultFigures:
    return KeyResultFigures(
        shape=draw(st.sampled_from(list(Shape))),
        start_date=START,
        due_date=START + timedelta(days=draw(st.integers(-5, 200))),
        start=draw(values),
        target=draw(values),
        current=None,
        direction=draw(st.sampled_from(list(Direction))),
        relative_change=draw(values),
        per_period=draw(st.one_of(st.none(), st.integers(0, 5))),
        period=draw(st.one_of(st.none(), st.sampled_from(list(Period)))),
    )


@given(figures(), st.lists(values.filter(lambda value: value is not None), max_size=6))
def test_the_same_progress_as_the_figures_with_that_current_value(
    kr: KeyResultFigures, currents: list[Decimal]
) -> None:
    progress = progress_function(kr)
    for current in currents:
        assert progress(current) == raw_key_result_progress(replace(kr, current=current))


def test_a_threshold_at_most_key_result_measured_at_several_values() -> None:
    kr = KeyResultFigures(
        shape=Shape.THRESHOLD,
        start_date=START,
        due_date=date(2025, 3, 31),
        start=Decimal(800),
        target=Decimal(200),
        direction=Direction.AT_MOST,
    )
    progress = progress_function(kr)
    assert [progress(Decimal(v)) for v in (800, 500, 200, 100)] == [0.0, 0.5, 1.0, 1.0]
    assert progress(Decimal("NaN")) == 0.0
