"""Dependencies between goals: refuse loops, and raise a sudden risk when a hand-off slips.

A dependency says "this objective or key result waits for that one by a date": a hand-off between
owners, not a parent. The goal depended on (the *target*) falls behind when its progress trails
its pace by `behind_points`, or when its forecast for the expected-by date falls short of its
success bar by `forecast_margin`; the goal that waits (the *dependent*) then gets a sudden risk
naming the target, how far behind it is and where it is forecast to be by the expected-by date.
Nodes are plain tuples such as ``("objective", 12)`` or ``("key_result", 40)``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from datetime import date

from okrflow.engine.risk_facts import Risk, RiskKind, Severity

Node = Hashable


def creates_loop(links: Iterable[tuple[Node, Node]], dependent: Node, target: Node) -> bool:
    """Tell whether adding "dependent waits for target" closes a loop (or points at itself)."""
    if dependent == target:
        return True
    waits_for: dict[Node, list[Node]] = defaultdict(list)
    for source, goal in links:
        waits_for[source].append(goal)
    # A loop exists when the target already waits, directly or not, for the dependent.
    seen: set[Node] = set()
    stack = [target]
    while stack:
        node = stack.pop()
        if node == dependent:
            return True
        if node in seen:
            continue
        seen.add(node)
        stack.extend(waits_for.get(node, ()))
    return False


@dataclass(frozen=True)
class DependencyFacts:
    """What the rule knows about one dependency and the goal it waits for."""

    dependency_id: int
    objective_id: int  # the dependent's objective (its own, or its key result's)
    key_result_id: int | None  # the dependent key result; None when an objective waits
    owner_id: int | None
    expected_by: date
    target_kind: str  # "objective" or "key_result"
    target_id: int
    target_objective_id: int
    target_title: str
    target_progress: float
    target_pace: float  # expected progress today, scaled by the target's success bar
    target_bar: float
    target_due: date
    target_forecast: float | None  # forecast progress on the target's due date
    target_done: bool = False


@dataclass(frozen=True)
class DependencySettings:
    """Thresholds of the rule: points behind pace, and forecast shortfall against the bar."""

    behind_points: float = 0.15
    forecast_margin: float = 0.10


def forecast_on(facts: DependencyFacts, today: date, day: date) -> float:
    """Return the target's forecast progress on a day, on a straight line from today to its due."""
    if facts.target_forecast is None:
        return facts.target_progress
    span = (facts.target_due - today).days
    if span <= 0 or day >= facts.target_due:
        return facts.target_forecast
    share = max(0.0, (day - today).days / span)
    return facts.target_progress + (facts.target_forecast - facts.target_progress) * share


def dependency_risk(
    facts: DependencyFacts, today: date, settings: DependencySettings | None = None
) -> Risk | None:
    """Return the sudden risk on the dependent when its target slips before the expected-by day."""
    settings = settings or DependencySettings()
    if facts.target_done or facts.target_progress >= facts.target_bar:
        return None
    if today > facts.expected_by:
        return None  # the hand-off day is past: its outcome is known, not a warning any more
    behind = max(0.0, facts.target_pace - facts.target_progress)
    forecast = min(1.0, max(0.0, forecast_on(facts, today, facts.expected_by)))
    short = facts.target_bar - forecast
    is_behind = behind >= settings.behind_points
    falls_short = facts.target_forecast is not None and short >= settings.forecast_margin
    if not (is_behind or falls_short):
        return None
    high = behind >= 2 * settings.behind_points or short >= 3 * settings.forecast_margin
    return Risk(
        RiskKind.SUDDEN,
        Severity.HIGH if high else Severity.MEDIUM,
        facts.objective_id,
        facts.key_result_id,
        facts.owner_id,
        "waits_for_late",
        "renegotiate_handoff",
        {
            "dependency_id": facts.dependency_id,
            "target_kind": facts.target_kind,
            "target_id": facts.target_id,
            "target_objective_id": facts.target_objective_id,
            "target": facts.target_title,
            "behind": round(behind, 4),
            "forecast": round(forecast, 4),
            "expected_by": facts.expected_by.isoformat(),
        },
    )


def dependency_risks(
    facts: Iterable[DependencyFacts], today: date, settings: DependencySettings | None = None
) -> list[Risk]:
    """Run the rule over every dependency and return the risks, most severe first."""
    found = [dependency_risk(item, today, settings) for item in facts]
    return sorted((risk for risk in found if risk is not None), key=Risk.sort_key)
