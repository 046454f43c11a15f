"""Pin each risk rule on small hand-made histories, with the healthy cases that must stay quiet."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest

from okrflow.engine.risk import (
    CheckinFact,
    KeyResultFacts,
    ObjectiveFacts,
    RiskKind,
    RiskSettings,
    Severity,
    detect_risks,
)

START = date(2026, 4, 1)
DUE = date(2026, 6, 30)
TODAY = date(2026, 5, 22)  # week 7 of 13
WEEK = timedelta(weeks=1)
SPAN = (DUE - START).days


def pace(day: date, bar: float = 1.0) -> float:
    return bar * (day - START).days / SPAN


def healthy(**overrides: object) -> KeyResultFacts:
    """A committed KR on pace, checked in every Friday, confident, forecast to make it."""
    days = [TODAY - WEEK * n for n in range(6, -1, -1)]
    checkins = tuple(CheckinFact(day, pace(day), pace(day), 0.8) for day in days)
    facts = KeyResultFacts(
        key_result_id=7,
        objective_id=3,
        owner_id=5,
        start_date=START,
        due_date=DUE,
        success_bar=1.0,
        progress=pace(TODAY),
        pace=pace(TODAY),
        values=tuple((c.day, c.progress or 0.0) for c in checkins),
        checkins=checkins,
        chance_of_bar=0.55,
        forecast_expected=0.97,
        forecast_low=0.8,
        forecast_high=1.1,
        forecast_points=8,
    )
    return replace(facts, **overrides)  # type: ignore[arg-type]


def kinds(facts: KeyResultFacts, today: date = TODAY, **settings: object) -> list[str]:
    risks = detect_risks([facts], [], today, RiskSettings(**settings))  # type: ignore[arg-type]
    return [f"{risk.kind}:{risk.code}" for risk in risks]


def test_a_healthy_key_result_raises_nothing() -> None:
    assert kinds(healthy()) == []


# --- end of cycle ------------------------------------------------------------------------------


def test_end_of_cycle_when_the_forecast_misses_the_bar() -> None:
    facts = healthy(chance_of_bar=0.05, forecast_expected=0.6, forecast_low=0.5, forecast_high=0.7)
    risks = detect_risks([facts], [], TODAY)
    assert [r.code for r in risks] == ["forecast_below_bar"]
    risk = risks[0]
    assert risk.kind is RiskKind.END_OF_CYCLE
    assert risk.severity is Severity.HIGH
    assert risk.params["high"] == 0.7 and risk.params["bar"] == 1.0
    assert risk.suggestion == "replan"


def test_end_of_cycle_is_medium_when_merely_unlikely() -> None:
    risks = detect_risks([healthy(chance_of_bar=0.2)], [], TODAY)
    assert [(r.kind, r.severity) for r in risks] == [(RiskKind.END_OF_CYCLE, Severity.MEDIUM)]


def test_end_of_cycle_is_raised_early_but_not_from_too_little_data() -> None:
    early = START + timedelta(days=21)  # week 3: 23% of the cycle gone
    facts = healthy(chance_of_bar=0.05, forecast_points=4)
    assert kinds(facts, early) == ["end_of_cycle:forecast_below_bar"]
    assert kinds(replace(facts, forecast_points=2), early) == []
    assert kinds(facts, START + timedelta(days=7)) == []


def test_end_of_cycle_stays_quiet_once_the_bar_is_reached_or_the_due_date_passed() -> None:
    assert kinds(healthy(chance_of_bar=0.05, progress=1.0)) == []
    assert kinds(healthy(chance_of_bar=0.05, due_date=TODAY - timedelta(days=1))) == []


def test_an_aspirational_key_result_is_judged_against_seventy_percent() -> None:
    # 0.72 is past the 0.7 bar: nothing left to warn about even with a low chance of 100%.
    assert kinds(healthy(success_bar=0.7, progress=0.72, chance_of_bar=0.1)) == []


def test_an_unlikely_milestone_is_an_end_of_cycle_risk() -> None:
    milestone = healthy(is_milestone=True, chance_of_bar=0.2, forecast_points=1, progress=0.0)
    assert "end_of_cycle:milestone_unlikely" in kinds(milestone)
    assert "end_of_cycle:milestone_unlikely" not in kinds(replace(milestone, chance_of_bar=0.7))


# --- sudden ------------------------------------------------------------------------------------


def test_a_sharp_drop_in_value_is_sudden() -> None:
    facts = healthy()
    values = (*facts.values[:-1], (TODAY, facts.values[-2][1] - 0.25))
    risks = detect_risks([replace(facts, values=values)], [], TODAY)
    sudden = [r for r in risks if r.kind is RiskKind.SUDDEN]
    assert [(r.code, r.severity) for r in sudden] == [("value_drop", Severity.HIGH)]


def test_a_small_dip_or_an_old_drop_is_not_sudden() -> None:
    facts = healthy()
    dip = (*facts.values[:-1], (TODAY, facts.values[-2][1] - 0.05))
    assert kinds(replace(facts, values=dip)) == []
    shifted = [(day - 3 * WEEK, value) for day, value in facts.values[:-1]]
    old = (*shifted, (TODAY - 3 * WEEK, 0.0))
    assert "sudden:value_drop" not in kinds(replace(facts, values=old))


def test_a_fall_in_confidence_is_sudden() -> None:
    facts = healthy()
    checkins = (*facts.checkins[:-1], replace(facts.checkins[-1], confidence=0.4))
    assert kinds(replace(facts, checkins=checkins)) == ["sudden:confidence_drop"]
    steady = (*facts.checkins[:-1], replace(facts.checkins[-1], confidence=0.7))
    assert kinds(replace(facts, checkins=steady)) == []


def test_a_new_blocking_obstacle_is_sudden_but_not_the_same_one_again() -> None:
    facts = healthy()
    blocker = replace(facts.checkins[-1], obstacle="Supplier cancelled the venue", blocking=True)
    fresh = replace(facts, checkins=(*facts.checkins[:-1], blocker))
    assert kinds(fresh) == ["sudden:new_blocker"]
    before = replace(facts.checkins[-2], obstacle="Supplier cancelled the venue", blocking=True)
    known = replace(facts, checkins=(*facts.checkins[:-2], before, blocker))
    assert kinds(known) == []
    harmless = replace(blocker, blocking=False)
    assert kinds(replace(facts, checkins=(*facts.checkins[:-1], harmless))) == []


# --- off course --------------------------------------------------------------------------------


def test_a_key_result_without_updates_for_three_weeks_is_off_course() -> None:
    facts = healthy()
    quiet = replace(
        facts,
        values=tuple(v for v in facts.values if v[0] <= TODAY - 3 * WEEK),
        checkins=tuple(c for c in facts.checkins if c.day <= TODAY - 3 * WEEK),
        chance_of_bar=None,
    )
    assert kinds(quiet) == ["off_course:stale"]
    never = replace(facts, values=(), checkins=(), chance_of_bar=None)
    assert kinds(never) == ["off_course:never_updated"]
    recent = replace(quiet, values=(*quiet.values, (TODAY - 2 * WEEK, 0.4)))
    assert kinds(recent) == []


def test_check_ins_without_movement_are_off_course() -> None:
    days = [TODAY - WEEK * n for n in range(6, -1, -1)]
    flat = tuple(CheckinFact(day, 0.12, pace(day), 0.6) for day in days)
    facts = healthy(
        checkins=flat, values=tuple((c.day, 0.12) for c in flat), progress=0.12, chance_of_bar=0.3
    )
    risks = detect_risks([facts], [], TODAY)
    assert [r.code for r in risks] == ["effort_without_movement"]
    assert risks[0].params["moved"] == 0.0


def test_done_initiatives_without_movement_are_off_course_too() -> None:
    days = [TODAY - WEEK * n for n in range(6, -1, -1)]
    facts = healthy(
        checkins=(),
        values=((days[0], 0.1), (TODAY - 4 * WEEK, 0.12), (TODAY - 2 * WEEK, 0.12)),
        progress=0.12,
        chance_of_bar=0.3,
        initiatives_done=(TODAY - WEEK,),
    )
    assert kinds(facts) == ["off_course:effort_without_movement"]


def test_a_slow_but_moving_key_result_is_not_off_course() -> None:
    days = [TODAY - WEEK * n for n in range(6, -1, -1)]
    slow = tuple(CheckinFact(day, pace(day) / 2, pace(day), 0.6) for day in days)
    facts = healthy(checkins=slow, values=tuple((c.day, c.progress or 0) for c in slow))
    assert "off_course:effort_without_movement" not in kinds(replace(facts, progress=0.27))


def test_milestones_are_not_expected_to_move_every_week() -> None:
    days = [TODAY - WEEK * n for n in range(6, -1, -1)]
    facts = healthy(
        is_milestone=True,
        progress=0.0,
        checkins=tuple(CheckinFact(day, 0.0, 0.0, 0.8) for day in days),
        values=tuple((day, 0.0) for day in days),
        chance_of_bar=0.8,
    )
    assert kinds(facts) == []


def test_objectives_adrift_are_off_course() -> None:
    loose = ObjectiveFacts(objective_id=9, owner_id=5, is_company_level=False)
    orphaned = ObjectiveFacts(
        objective_id=10,
        owner_id=5,
        is_company_level=False,
        parent_ids=(1,),
        archived_parents=((1, "Old goal"),),
    )
    company = ObjectiveFacts(objective_id=11, owner_id=None, is_company_level=True)
    aligned = ObjectiveFacts(objective_id=12, owner_id=5, is_company_level=False, parent_ids=(11,))
    risks = detect_risks([], [loose, orphaned, company, aligned], TODAY)
    assert sorted((r.objective_id, r.code) for r in risks) == [
        (9, "not_aligned"),
        (10, "parent_archived"),
    ]
    assert next(r for r in risks if r.code == "parent_archived").params["parent"] == "Old goal"


# --- below expectations ------------------------------------------------------------------------


def behind_with_obstacles(obstacles: list[str], weeks: int = 4) -> KeyResultFacts:
    days = [TODAY - WEEK * n for n in range(weeks - 1, -1, -1)]
    checkins = tuple(
        CheckinFact(day, pace(day) - 0.2, pace(day), 0.5, obstacle)
        for day, obstacle in zip(days, obstacles, strict=True)
    )
    return healthy(
        checkins=checkins,
        values=tuple((c.day, c.progress or 0.0) for c in checkins),
        progress=checkins[-1].progress,
        chance_of_bar=0.4,
    )


def test_behind_three_check_ins_in_a_row_with_obstacles_is_below_expectations() -> None:
    facts = behind_with_obstacles(["", "No designer", "No designer", "Still no designer"])
    risks = detect_risks([facts], [], TODAY)
    assert [(r.kind, r.code) for r in risks] == [
        (RiskKind.BELOW_EXPECTATIONS, "behind_despite_checkins")
    ]
    assert risks[0].suggestion == "support_or_training"
    assert risks[0].params["checkins"] == 4
    assert risks[0].params["gap"] == pytest.approx(0.2)


def test_below_expectations_needs_obstacles_a_streak_and_regular_check_ins() -> None:
    assert kinds(behind_with_obstacles(["", "", "", "One obstacle"])) == []
    two = behind_with_obstacles(["No designer", "No designer"], weeks=2)
    assert kinds(two) == []
    caught_up = behind_with_obstacles(["x", "x", "x", "x"])
    last = replace(caught_up.checkins[-1], progress=caught_up.checkins[-1].pace)
    assert kinds(replace(caught_up, checkins=(*caught_up.checkins[:-1], last))) == []
    # Three check-ins spread over seven weeks are not "watched closely".
    sparse = behind_with_obstacles(["x", "x", "x"], weeks=3)
    spread = tuple(
        replace(c, day=TODAY - 3 * WEEK * n) for n, c in enumerate(reversed(sparse.checkins))
    )
    assert "below_expectations:behind_despite_checkins" not in kinds(
        replace(sparse, checkins=tuple(reversed(spread)))
    )


def test_risks_come_most_severe_first() -> None:
    facts = healthy(chance_of_bar=0.05)
    loose = ObjectiveFacts(objective_id=9, owner_id=5, is_company_level=False)
    risks = detect_risks([facts], [loose], TODAY)
    assert [r.severity for r in risks] == [Severity.HIGH, Severity.LOW]


def test_only_new_obstacle_lines_make_a_new_blocker() -> None:
    facts = healthy()
    before = replace(facts.checkins[-2], obstacle="Budget frozen")
    latest = replace(
        facts.checkins[-1], obstacle="Budget frozen\nAgency cancelled the shoot", blocking=True
    )
    risks = detect_risks(
        [replace(facts, checkins=(*facts.checkins[:-2], before, latest))], [], TODAY
    )
    assert [(r.code, r.params["obstacle"]) for r in risks] == [
        ("new_blocker", "Agency cancelled the shoot")
    ]


def test_a_key_result_on_pace_that_paused_is_not_off_course() -> None:
    # Ahead early, then flat for three weeks while the pace caught up: still on pace.
    days = [TODAY - WEEK * n for n in range(6, -1, -1)]
    values = tuple((day, min(pace(day) + 0.2, 0.6)) for day in days)
    facts = healthy(values=values, checkins=(), progress=0.6)
    assert "off_course:effort_without_movement" not in kinds(facts)


def test_a_key_result_added_mid_cycle_is_quiet_only_since_it_was_added() -> None:
    facts = replace(healthy(), values=(), checkins=(), chance_of_bar=None)
    added_last_week = replace(facts, added_on=TODAY - WEEK)
    assert kinds(added_last_week) == []
    added_a_month_ago = replace(facts, added_on=TODAY - 4 * WEEK)
    assert kinds(added_a_month_ago) == ["off_course:never_updated"]
    (risk,) = detect_risks([added_a_month_ago], [], TODAY, RiskSettings())
    assert risk.params["days"] == 28
