"""The dependency rule: loops refused, and a sudden risk when the goal waited for slips."""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from okrflow.engine.dependency import (
    DependencyFacts,
    creates_loop,
    dependency_risk,
    dependency_risks,
    forecast_on,
)
from okrflow.engine.risk_facts import RiskKind, Severity

TODAY = date(2026, 5, 15)


def facts(**changes: object) -> DependencyFacts:
    base = DependencyFacts(
        dependency_id=1,
        objective_id=10,
        key_result_id=None,
        owner_id=None,
        expected_by=date(2026, 6, 15),
        target_kind="objective",
        target_id=20,
        target_objective_id=20,
        target_title="Ship the feature",
        target_progress=0.20,
        target_pace=0.50,
        target_bar=1.0,
        target_due=date(2026, 6, 30),
        target_forecast=0.60,
    )
    return dataclasses.replace(base, **changes)  # type: ignore[arg-type]


def test_a_slipping_target_raises_a_sudden_risk_with_its_evidence() -> None:
    risk = dependency_risk(facts(), TODAY)
    assert risk is not None
    assert risk.kind == RiskKind.SUDDEN
    assert risk.code == "waits_for_late"
    assert risk.objective_id == 10 and risk.key_result_id is None
    assert risk.params["target"] == "Ship the feature"
    assert risk.params["behind"] == 0.30
    assert risk.params["expected_by"] == "2026-06-15"
    # 31 of 46 days from today to the due date: 0.20 + 0.40 * 31/46
    assert risk.params["forecast"] == round(0.20 + 0.40 * 31 / 46, 4)
    assert risk.severity == Severity.HIGH  # 30 points behind: twice the threshold


def test_on_pace_and_forecast_to_make_it_raises_nothing() -> None:
    on_time = facts(target_progress=0.5, target_forecast=1.0, expected_by=date(2026, 6, 30))
    assert dependency_risk(on_time, TODAY) is None
    # The same target, needed two weeks before its own due date, will not be ready.
    assert dependency_risk(facts(target_progress=0.5, target_forecast=1.0), TODAY) is not None


def test_a_forecast_short_of_the_bar_is_enough() -> None:
    item = facts(target_progress=0.45, target_forecast=0.80, expected_by=date(2026, 6, 30))
    risk = dependency_risk(item, TODAY)
    assert risk is not None and risk.severity == Severity.MEDIUM


def test_a_done_target_or_a_passed_hand_off_day_raises_nothing() -> None:
    assert dependency_risk(facts(target_done=True), TODAY) is None
    assert dependency_risk(facts(target_progress=1.0), TODAY) is None
    assert dependency_risk(facts(), date(2026, 6, 16)) is None


def test_a_waiting_key_result_carries_its_own_ids() -> None:
    risk = dependency_risk(facts(key_result_id=33, owner_id=7), TODAY)
    assert risk is not None and (risk.key_result_id, risk.owner_id) == (33, 7)


def test_risks_come_most_severe_first() -> None:
    mild = facts(
        dependency_id=2,
        objective_id=5,
        target_progress=0.45,
        target_forecast=0.8,
        expected_by=date(2026, 6, 30),
    )
    found = dependency_risks([mild, facts(), facts(target_done=True)], TODAY)
    assert [r.severity for r in found] == [Severity.HIGH, Severity.MEDIUM]


@given(
    progress=st.floats(0, 1),
    forecast=st.floats(0, 1),
    days=st.integers(0, 60),
)
def test_the_forecast_on_a_day_lies_between_today_and_the_due_forecast(
    progress: float, forecast: float, days: int
) -> None:
    item = facts(target_progress=progress, target_forecast=forecast)
    value = forecast_on(item, TODAY, TODAY + timedelta(days=days))
    assert min(progress, forecast) - 1e-9 <= value <= max(progress, forecast) + 1e-9


@given(pace=st.floats(0, 1), progress=st.floats(0, 1), forecast=st.floats(0, 1))
def test_a_risk_fires_only_when_behind_or_short(
    pace: float, progress: float, forecast: float
) -> None:
    risk = dependency_risk(
        facts(target_pace=pace, target_progress=progress, target_forecast=forecast), TODAY
    )
    if risk is not None:
        assert progress < 1.0
        assert pace - progress >= 0.15 or 1.0 - float(risk.params["forecast"]) >= 0.10


def test_loops_and_self_links_are_found() -> None:
    links = [("a", "b"), ("b", "c")]
    assert creates_loop(links, "c", "a")
    assert creates_loop(links, "a", "a")
    assert not creates_loop(links, "a", "c")
    assert not creates_loop(links, "d", "a")


@given(st.lists(st.tuples(st.integers(0, 6), st.integers(0, 6)), max_size=20))
def test_links_added_only_when_no_loop_never_hold_a_loop(pairs: list[tuple[int, int]]) -> None:
    links: list[tuple[int, int]] = []
    for dependent, target in pairs:
        if not creates_loop(links, dependent, target):
            links.append((dependent, target))
    # Acyclic: every node can be ordered so each link points to an earlier one.
    remaining = set(links)
    nodes = {n for link in links for n in link}
    while nodes:
        free = {n for n in nodes if not any(src == n for src, _ in remaining)}
        assert free, "a loop slipped through"
        nodes -= free
        remaining = {(s, t) for s, t in remaining if s not in free and t not in free}
