"""Detect the article's four risks from plain facts about key results and objectives.

The rules are defined in ``docs/risks.md``; each returns a `Risk` with a stable ``code`` and the
numbers behind it, so the web app, the CLI and the reports can word the evidence in the reader's
language. Progress figures are shares (0.55 = 55%); "pace" is the expected progress on a day
multiplied by the objective's success bar (1.0 committed, 0.7 aspirational).

The owner's own sense of pace at the check-in ("fast / normal / slow", OKRs.vn's question) is
read next to the numbers by ``risk_self_pace.self_pace_risks``: a "slow" while at least 10
points behind the pace line is a below-expectations risk (high with low confidence or a second
"slow" in a row); a "fast" while at least 20 points behind is a low off-course risk, the word and
the numbers contradicting each other.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, timedelta

from okrflow.engine.risk_facts import (
    CheckinFact,
    KeyResultFacts,
    ObjectiveFacts,
    PartFacts,
    Risk,
    RiskKind,
    RiskSettings,
    Severity,
    checkin_people,
    make_risk,
)
from okrflow.engine.risk_off_course import (
    off_course_key_result_risks,
    off_course_objective_risks,
)
from okrflow.engine.risk_parts import part_forecast_risk
from okrflow.engine.risk_self_pace import self_pace_risks

__all__ = [
    "CheckinFact",
    "KeyResultFacts",
    "ObjectiveFacts",
    "PartFacts",
    "Risk",
    "RiskKind",
    "RiskSettings",
    "Severity",
    "detect_risks",
]


def detect_risks(
    key_results: Iterable[KeyResultFacts],
    objectives: Iterable[ObjectiveFacts],
    today: date,
    settings: RiskSettings | None = None,
) -> list[Risk]:
    """Run every rule and return the risks, most severe first."""
    settings = settings or RiskSettings()
    risks: list[Risk] = []
    for kr in key_results:
        # A compound key result's end of cycle is judged part by part (#16).
        rules = (part_forecast_risk if kr.parts else end_of_cycle_risk, below_expectations_risk)
        for rule in rules:
            risk = rule(kr, today, settings)
            if risk is not None:
                risks.append(risk)
        risks.extend(sudden_risks(kr, today, settings))
        risks.extend(off_course_key_result_risks(kr, today, settings))
        risks.extend(self_pace_risks(kr, today, settings))
    for objective in objectives:
        risks.extend(off_course_objective_risks(objective))
    return sorted(risks, key=Risk.sort_key)


def obstacle_lines(text: str) -> list[str]:
    """Split an obstacle text into its non-empty lines."""
    return [line.strip() for line in text.splitlines() if line.strip()]


def join_obstacles(lines: list[str]) -> str:
    """Join obstacle lines into one phrase list: "A; B; C"."""
    return "; ".join(line.rstrip(". ") for line in lines)


def elapsed_share(kr: KeyResultFacts, today: date) -> float:
    """Return the share of the key result's window gone by today."""
    total = (kr.due_date - kr.start_date).days
    if total <= 0:
        return 1.0
    return min(1.0, max(0.0, (today - kr.start_date).days / total))


# --- end of cycle ------------------------------------------------------------------------------


def end_of_cycle_risk(kr: KeyResultFacts, today: date, settings: RiskSettings) -> Risk | None:
    """Flag a key result whose forecast makes reaching its success bar unlikely."""
    if kr.chance_of_bar is None or today > kr.due_date or kr.progress >= kr.success_bar:
        return None
    if kr.chance_of_bar >= settings.end_of_cycle_chance:
        return None
    if not kr.is_milestone and (
        kr.forecast_points < settings.end_of_cycle_min_points
        or elapsed_share(kr, today) < settings.end_of_cycle_min_elapsed
    ):
        return None
    high = kr.chance_of_bar < settings.end_of_cycle_high_chance
    severity = Severity.HIGH if high else Severity.MEDIUM
    if kr.is_milestone:
        return make_risk(
            RiskKind.END_OF_CYCLE,
            severity,
            kr,
            "milestone_unlikely",
            "replan",
            chance=kr.chance_of_bar,
            due=kr.due_date.isoformat(),
        )
    return make_risk(
        RiskKind.END_OF_CYCLE,
        severity,
        kr,
        "forecast_below_bar",
        "replan",
        chance=kr.chance_of_bar,
        bar=kr.success_bar,
        expected=kr.forecast_expected if kr.forecast_expected is not None else kr.progress,
        low=kr.forecast_low if kr.forecast_low is not None else kr.progress,
        high=kr.forecast_high if kr.forecast_high is not None else kr.progress,
        due=kr.due_date.isoformat(),
    )


# --- sudden ------------------------------------------------------------------------------------


def sudden_risks(kr: KeyResultFacts, today: date, settings: RiskSettings) -> list[Risk]:
    """Flag a sharp drop in value or confidence, or a new blocker, at the latest check-in."""
    if today > kr.due_date:
        return []  # past its due date the result is known; a blocker no longer changes it
    risks: list[Risk] = []
    recent = today - timedelta(days=settings.sudden_recent_days)
    if len(kr.values) >= 2 and kr.values[-1][0] >= recent:
        (_, before), (day, after) = kr.values[-2], kr.values[-1]
        drop = before - after
        if drop >= settings.sudden_value_drop:
            severity = Severity.HIGH if drop >= 2 * settings.sudden_value_drop else Severity.MEDIUM
            risks.append(
                make_risk(
                    RiskKind.SUDDEN,
                    severity,
                    kr,
                    "value_drop",
                    "investigate_drop",
                    before=before,
                    after=after,
                    day=day.isoformat(),
                )
            )
    checkins = [c for c in kr.checkins if c.day <= today]
    if not checkins or checkins[-1].day < recent:
        return risks
    latest = checkins[-1]
    previous = checkins[-2] if len(checkins) >= 2 else None
    if previous is not None and latest.confidence is not None and previous.confidence is not None:
        fall = previous.confidence - latest.confidence
        if fall >= settings.sudden_confidence_drop:
            severity = Severity.HIGH if latest.confidence <= 0.3 else Severity.MEDIUM
            risks.append(
                make_risk(
                    RiskKind.SUDDEN,
                    severity,
                    kr,
                    "confidence_drop",
                    "hold_one_on_one",
                    before=previous.confidence,
                    after=latest.confidence,
                    day=latest.day.isoformat(),
                    checkin_people=checkin_people(previous, latest),
                )
            )
    # Obstacles may list several lines (one per problem): only lines the previous check-in did
    # not have are new.
    known = set(obstacle_lines(previous.obstacle)) if previous is not None else set()
    fresh = [line for line in obstacle_lines(latest.obstacle) if line not in known]
    if latest.blocking and fresh:
        risks.append(
            make_risk(
                RiskKind.SUDDEN,
                Severity.HIGH,
                kr,
                "new_blocker",
                "remove_blocker",
                obstacle=join_obstacles(fresh),
                day=latest.day.isoformat(),
                checkin_people=checkin_people(latest),
            )
        )
    return risks


# --- below expectations ------------------------------------------------------------------------


def below_expectations_risk(kr: KeyResultFacts, today: date, settings: RiskSettings) -> Risk | None:
    """Flag a key result checked in regularly yet behind pace, again and again, with obstacles."""
    if kr.is_milestone or kr.progress >= kr.success_bar or today > kr.due_date:
        return None
    checkins = [c for c in kr.checkins if c.day <= today and c.progress is not None]
    run = checkins[-settings.below_run :]
    if len(run) < settings.below_run:
        return None
    if any(c.progress is None or c.progress > c.pace - settings.below_gap for c in run):
        return None
    with_obstacles = [c for c in run if c.obstacle.strip()]
    obstacles = [c.obstacle.strip() for c in with_obstacles]
    if len(obstacles) < settings.below_min_obstacles:
        return None
    if not _regular(kr.checkins, today, settings):
        return None
    streak = _behind_streak(checkins, settings.below_gap)
    gap = sum(c.pace - (c.progress or 0.0) for c in run) / len(run)
    severity = Severity.HIGH if streak >= settings.below_run + 2 else Severity.MEDIUM
    return make_risk(
        RiskKind.BELOW_EXPECTATIONS,
        severity,
        kr,
        "behind_despite_checkins",
        "support_or_training",
        checkins=streak,
        gap=gap,
        obstacles=len(obstacles),
        obstacle=join_obstacles(obstacle_lines(obstacles[-1])),
        checkin_people=checkin_people(with_obstacles[-1]),
    )


def _regular(checkins: Sequence[CheckinFact], today: date, settings: RiskSettings) -> bool:
    """Tell whether check-ins came in most of the recent weeks (the risk needs close watching)."""
    weeks = settings.below_run + 1
    seen = {(today - c.day).days // 7 for c in checkins if 0 <= (today - c.day).days < 7 * weeks}
    return len(seen) >= settings.below_regular_share * weeks


def _behind_streak(checkins: Sequence[CheckinFact], gap: float) -> int:
    streak = 0
    for checkin in reversed(checkins):
        if checkin.progress is None or checkin.progress > checkin.pace - gap:
            break
        streak += 1
    return streak
