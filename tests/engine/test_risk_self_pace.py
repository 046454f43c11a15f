"""The owner's own sense of pace read next to progress (#16): slow and behind, fast yet far behind."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from okrflow.engine.risk import (
    CheckinFact,
    KeyResultFacts,
    RiskKind,
    RiskSettings,
    Severity,
    detect_risks,
)
from okrflow.engine.risk_self_pace import self_pace_risks

START = date(2026, 4, 1)
DUE = date(2026, 6, 30)
TODAY = date(2026, 5, 22)
WEEK = timedelta(weeks=1)
SPAN = (DUE - START).days
SETTINGS = RiskSettings()


def pace(day: date) -> float:
    return (day - START).days / SPAN


def facts(*checkins: CheckinFact, **overrides: object) -> KeyResultFacts:
    last = checkins[-1] if checkins else None
    base = KeyResultFacts(
        key_result_id=7,
        objective_id=3,
        owner_id=5,
        start_date=START,
        due_date=DUE,
        success_bar=1.0,
        progress=last.progress if last and last.progress is not None else 0.0,
        pace=pace(TODAY),
        checkins=tuple(checkins),
        chance_of_bar=0.6,
        forecast_points=8,
    )
    return replace(base, **overrides)  # type: ignore[arg-type]


def checkin(day: date, behind: float, self_pace: str, confidence: float = 0.6) -> CheckinFact:
    return CheckinFact(
        day, pace(day) - behind, pace(day), confidence, self_pace=self_pace, person_id=5
    )


def codes(kr: KeyResultFacts, today: date = TODAY) -> list[tuple[str, str, str]]:
    return [(r.kind, r.code, r.severity) for r in self_pace_risks(kr, today, SETTINGS)]


def test_slow_while_behind_is_a_below_expectations_risk() -> None:
    (risk,) = self_pace_risks(facts(checkin(TODAY, 0.15, "slow")), TODAY, SETTINGS)
    assert (risk.kind, risk.code, risk.severity) == (
        RiskKind.BELOW_EXPECTATIONS,
        "slow_and_behind",
        Severity.MEDIUM,
    )
    assert risk.suggestion == "agree_catch_up"
    assert round(float(risk.params["gap"]), 2) == 0.15
    assert risk.params["day"] == TODAY.isoformat()
    assert risk.params["checkin_people"] == "5"
    assert risk.params["checkins"] == 1


def test_slow_twice_or_with_low_confidence_is_high() -> None:
    twice = facts(checkin(TODAY - WEEK, 0.12, "slow"), checkin(TODAY, 0.15, "slow"))
    assert codes(twice) == [("below_expectations", "slow_and_behind", "high")]
    low = facts(checkin(TODAY, 0.15, "slow", confidence=0.3))
    assert codes(low) == [("below_expectations", "slow_and_behind", "high")]


def test_slow_on_pace_or_a_little_behind_says_nothing() -> None:
    assert codes(facts(checkin(TODAY, 0.0, "slow"))) == []
    assert codes(facts(checkin(TODAY, 0.09, "slow"))) == []
    assert codes(facts(checkin(TODAY, -0.2, "slow"))) == []


def test_normal_or_no_pace_behind_says_nothing_here() -> None:
    assert codes(facts(checkin(TODAY, 0.3, "normal"))) == []
    assert codes(facts(checkin(TODAY, 0.3, ""))) == []


def test_fast_far_behind_contradicts_and_is_a_low_off_course_risk() -> None:
    (risk,) = self_pace_risks(facts(checkin(TODAY, 0.25, "fast")), TODAY, SETTINGS)
    assert (risk.kind, risk.code, risk.severity, risk.suggestion) == (
        RiskKind.OFF_COURSE,
        "fast_but_behind",
        Severity.LOW,
        "check_direction",
    )
    assert codes(facts(checkin(TODAY, 0.15, "fast"))) == []  # only a little behind


def test_an_old_checkin_a_milestone_a_met_bar_or_a_past_due_date_say_nothing() -> None:
    old = TODAY - timedelta(days=SETTINGS.sudden_recent_days + 1)
    assert codes(facts(checkin(old, 0.3, "slow"))) == []
    assert codes(facts(checkin(TODAY, 0.3, "slow"), is_milestone=True)) == []
    assert codes(facts(checkin(TODAY, 0.3, "slow"), progress=1.0)) == []
    assert codes(facts(checkin(TODAY, 0.3, "slow")), today=DUE + timedelta(days=1)) == []
    assert codes(facts()) == []


def test_only_the_latest_checkin_counts() -> None:
    recovered = facts(checkin(TODAY - WEEK, 0.3, "slow"), checkin(TODAY, 0.3, "normal"))
    assert codes(recovered) == []
    future = facts(checkin(TODAY, 0.3, "slow"), checkin(TODAY + WEEK, 0.0, "normal"))
    assert codes(future) == [("below_expectations", "slow_and_behind", "medium")]


def test_detect_risks_runs_the_rule() -> None:
    risks = detect_risks([facts(checkin(TODAY, 0.2, "slow"))], [], TODAY, SETTINGS)
    assert "slow_and_behind" in [r.code for r in risks]


@given(
    behind=st.floats(min_value=-1.0, max_value=1.0, allow_nan=False),
    self_pace=st.sampled_from(["fast", "normal", "slow", ""]),
    confidence=st.one_of(st.none(), st.floats(min_value=0.0, max_value=1.0)),
    days_ago=st.integers(min_value=0, max_value=60),
)
def test_the_rule_follows_its_definition(
    behind: float, self_pace: str, confidence: float | None, days_ago: int
) -> None:
    day = TODAY - timedelta(days=days_ago)
    fact = CheckinFact(day, pace(day) - behind, pace(day), confidence, self_pace=self_pace)
    kr = facts(fact, progress=min(0.99, max(0.0, pace(day) - behind)))
    risks = self_pace_risks(kr, TODAY, SETTINGS)
    assert len(risks) <= 1
    gap = fact.pace - (fact.progress or 0.0)
    recent = days_ago <= SETTINGS.sudden_recent_days
    if risks:
        (risk,) = risks
        assert recent
        assert risk.code in ("slow_and_behind", "fast_but_behind")
        if risk.code == "slow_and_behind":
            assert self_pace == "slow" and gap >= SETTINGS.self_pace_gap
        else:
            assert self_pace == "fast" and gap >= SETTINGS.self_pace_fast_gap
            assert risk.severity == Severity.LOW
    else:
        assert not (recent and self_pace == "slow" and gap >= SETTINGS.self_pace_gap)
        assert not (recent and self_pace == "fast" and gap >= SETTINGS.self_pace_fast_gap)
