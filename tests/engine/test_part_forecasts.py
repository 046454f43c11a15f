"""#16: compound key results combine part by part, forecasts included, and any part can raise a risk."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from okrflow.engine.kr_shapes import (
    Combine,
    PartForecast,
    combine_part_forecasts,
    combine_values,
    parts_forecast_to_miss,
)
from okrflow.engine.risk import KeyResultFacts, PartFacts, RiskKind, RiskSettings, detect_risks

shares = st.floats(min_value=0.0, max_value=1.5, allow_nan=False)
weights = st.decimals(min_value="0.01", max_value="1000", places=2)
chances = st.one_of(st.none(), st.floats(min_value=0.0, max_value=1.0, allow_nan=False))


@st.composite
def part_forecasts(draw: st.DrawFn) -> tuple[list[PartForecast], list[Decimal]]:
    count = draw(st.integers(min_value=2, max_value=6))
    found = []
    for _ in range(count):
        low, expected, high = sorted(draw(shares) for _ in range(3))
        found.append(PartForecast(expected, low, high, draw(chances)))
    return found, [draw(weights) for _ in range(count)]


@given(st.lists(shares, min_size=2, max_size=6), st.data())
def test_the_weakest_combine_is_at_most_every_part(
    values: list[float], data: st.DataObject
) -> None:
    given_weights = [data.draw(weights) for _ in values]
    combined = combine_values(values, given_weights, Combine.WEAKEST)
    assert all(combined <= value for value in values)
    assert combined in values


@given(st.lists(shares, min_size=2, max_size=6), st.data())
def test_the_weighted_combine_lies_within_the_parts(
    values: list[float], data: st.DataObject
) -> None:
    given_weights = [data.draw(weights) for _ in values]
    combined = combine_values(values, given_weights, Combine.WEIGHTED)
    assert min(values) <= combined <= max(values)


@given(part_forecasts(), st.sampled_from(list(Combine)))
def test_a_combined_forecast_keeps_its_band_and_never_beats_the_weakest_chance(
    drawn: tuple[list[PartForecast], list[Decimal]], combine: Combine
) -> None:
    forecasts, given_weights = drawn
    combined = combine_part_forecasts(forecasts, given_weights, combine)
    assert combined is not None
    assert combined.low <= combined.expected <= combined.high
    assert min(f.expected for f in forecasts) <= combined.expected
    assert combined.expected <= max(f.expected for f in forecasts)
    if combine is Combine.WEAKEST:
        assert all(combined.expected <= f.expected for f in forecasts)
    part_chances = [f.chance_of_bar for f in forecasts]
    if any(c is None for c in part_chances):
        assert combined.chance_of_bar is None
    else:
        assert combined.chance_of_bar is not None
        assert all(combined.chance_of_bar <= c for c in part_chances if c is not None)


def test_no_parts_no_forecast() -> None:
    assert combine_part_forecasts([], [], Combine.WEAKEST) is None


@given(part_forecasts(), st.lists(shares, min_size=6, max_size=6), shares, shares)
def test_a_part_forecast_to_miss_is_below_the_bar_and_not_yet_there(
    drawn: tuple[list[PartForecast], list[Decimal]],
    progresses: list[float],
    bar: float,
    floor: float,
) -> None:
    forecasts = drawn[0]
    progress = progresses[: len(forecasts)]
    missing = parts_forecast_to_miss(progress, forecasts, bar, floor)
    assert len(set(missing)) == len(missing)
    for index in range(len(forecasts)):
        forecast = forecasts[index]
        chance = forecast.chance_of_bar
        misses = progress[index] < bar and (
            chance < floor if chance is not None else forecast.expected < bar
        )
        assert (index in missing) is misses


def test_the_part_most_likely_to_miss_comes_first() -> None:
    forecasts: list[PartForecast | None] = [
        PartForecast(0.6, 0.5, 0.7, 0.30),
        None,
        PartForecast(0.4, 0.3, 0.5, 0.05),
        PartForecast(1.1, 1.0, 1.2, 0.95),
    ]
    assert parts_forecast_to_miss([0.2, 0.1, 0.1, 0.5], forecasts, 1.0, 0.5) == [2, 0]


def seminar(parts: tuple[PartFacts, ...], progress: float = 0.6) -> KeyResultFacts:
    return KeyResultFacts(
        key_result_id=7,
        objective_id=3,
        owner_id=5,
        start_date=date(2026, 4, 1),
        due_date=date(2026, 6, 30),
        success_bar=1.0,
        progress=progress,
        pace=0.5,
        # The combined forecast looks fine: only the parts tell that one will miss.
        chance_of_bar=0.9,
        forecast_expected=1.05,
        forecast_low=0.95,
        forecast_high=1.15,
        forecast_points=6,
        parts=parts,
    )


def test_a_compound_key_result_is_at_risk_when_any_part_is_forecast_to_miss() -> None:
    parts = (
        PartFacts("In person", 0.8, forecast_expected=1.2, chance_of_bar=0.9, forecast_points=5),
        PartFacts("Livestream", 0.3, forecast_expected=0.55, chance_of_bar=0.1, forecast_points=5),
    )
    risks = detect_risks([seminar(parts)], [], date(2026, 5, 20), RiskSettings())
    found = [r for r in risks if r.kind is RiskKind.END_OF_CYCLE]
    assert len(found) == 1
    risk = found[0]
    assert risk.code == "part_forecast_below_bar"
    assert risk.params["part"] == "Livestream"
    assert risk.params["expected"] == 0.55 and risk.params["others"] == 0


def test_no_part_risk_when_every_part_is_forecast_to_make_it() -> None:
    parts = (
        PartFacts("In person", 0.8, forecast_expected=1.2, chance_of_bar=0.9, forecast_points=5),
        PartFacts("Livestream", 0.7, forecast_expected=1.1, chance_of_bar=0.8, forecast_points=5),
    )
    risks = detect_risks([seminar(parts)], [], date(2026, 5, 20), RiskSettings())
    assert not [r for r in risks if r.kind is RiskKind.END_OF_CYCLE]


def test_a_part_with_too_few_points_is_not_judged() -> None:
    parts = (
        PartFacts("In person", 0.8, forecast_expected=1.2, chance_of_bar=0.9, forecast_points=5),
        PartFacts("Livestream", 0.1, forecast_expected=0.2, chance_of_bar=0.01, forecast_points=1),
    )
    risks = detect_risks([seminar(parts)], [], date(2026, 5, 20), RiskSettings())
    assert not [r for r in risks if r.kind is RiskKind.END_OF_CYCLE]
