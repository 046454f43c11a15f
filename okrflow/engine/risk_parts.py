"""The end-of-cycle risk of a compound key result, judged part by part (#16).

Every part of a compound key result must be met, so the key result is at risk as soon as any
part is forecast to miss its success bar, even when the combined progress looks fine (a
weighted mean can hide a part that will not make it). The evidence names the part most likely
to miss, with its forecast and chance, and how many other parts are forecast to miss.
"""

from __future__ import annotations

from datetime import date

from okrflow.engine.kr_shapes import PartForecast, parts_forecast_to_miss
from okrflow.engine.risk_facts import (
    KeyResultFacts,
    Risk,
    RiskKind,
    RiskSettings,
    Severity,
    make_risk,
)


def part_forecast_risk(kr: KeyResultFacts, today: date, settings: RiskSettings) -> Risk | None:
    """Flag a compound key result when any part is forecast to miss the bar."""
    if not kr.parts or today > kr.due_date:
        return None
    forecasts: list[PartForecast | None] = []
    for part in kr.parts:
        judged = part.forecast_expected is not None and (
            part.forecast_points >= settings.end_of_cycle_min_points
        )
        forecasts.append(
            PartForecast(
                part.forecast_expected or 0.0,
                part.forecast_expected or 0.0,
                part.forecast_expected or 0.0,
                part.chance_of_bar,
            )
            if judged
            else None
        )
    missing = parts_forecast_to_miss(
        [part.progress for part in kr.parts],
        forecasts,
        kr.success_bar,
        settings.end_of_cycle_chance,
    )
    if not missing:
        return None
    worst = kr.parts[missing[0]]
    chance = worst.chance_of_bar
    high = chance is not None and chance < settings.end_of_cycle_high_chance
    return make_risk(
        RiskKind.END_OF_CYCLE,
        Severity.HIGH if high else Severity.MEDIUM,
        kr,
        "part_forecast_below_bar",
        "replan",
        part=worst.label,
        expected=worst.forecast_expected if worst.forecast_expected is not None else 0.0,
        chance=-1.0 if chance is None else chance,
        bar=kr.success_bar,
        others=len(missing) - 1,
        due=kr.due_date.isoformat(),
    )
