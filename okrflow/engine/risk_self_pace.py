"""Read the owner's own sense of pace next to the numbers (OKRs.vn's check-in question, #16).

At each weekly check-in the owner says whether their work goes fast, normally or slowly
("nhanh / bình thường / chậm"). The rules compare that word with the key result's progress
against its pace line (the expected progress times the success bar) at the latest check-in:

- **slow and behind** (below-expectations risk): the latest recent check-in says "slow" while
  the key result is at least ``self_pace_gap`` (10 points) behind its pace line. The owner's
  own word confirms what the numbers show: they cannot keep up. Severity is high when the
  check-in also gives low confidence (≤ 0.3) or the check-in before it also said "slow" while
  behind; medium otherwise. A "slow" on a key result on or ahead of its pace line raises
  nothing: the owner may be cautious, the numbers say it is fine.
- **fast yet far behind** (off-course risk, low): the latest recent check-in says "fast" while
  the key result is at least ``self_pace_fast_gap`` (20 points) behind its pace line. The owner
  feels the work is moving while the key result is not: effort may go the wrong way, or the
  value is not being recorded. Worth a look, not an alarm.

Only a check-in within ``sudden_recent_days`` of today counts (an old word says nothing about
now); a check-in with no pace or no value says nothing; milestones (0 or 1 until done), key
results at or past their bar and those past their due date are left out, as in the other
progress rules.
"""

from __future__ import annotations

from datetime import date, timedelta

from okrflow.engine.risk_facts import (
    CheckinFact,
    KeyResultFacts,
    Risk,
    RiskKind,
    RiskSettings,
    Severity,
    checkin_people,
    make_risk,
)

SLOW = "slow"
NORMAL = "normal"
FAST = "fast"
PACES = (FAST, NORMAL, SLOW)
LOW_CONFIDENCE = 0.3


def behind_by(checkin: CheckinFact) -> float | None:
    """Return how far a check-in's progress is below its pace line (negative: ahead)."""
    if checkin.progress is None:
        return None
    return checkin.pace - checkin.progress


def self_pace_risks(kr: KeyResultFacts, today: date, settings: RiskSettings) -> list[Risk]:
    """Flag a self-rated "slow" while behind, or a "fast" while far behind (see module doc)."""
    if kr.is_milestone or today > kr.due_date or kr.progress >= kr.success_bar:
        return []
    checkins = [c for c in kr.checkins if c.day <= today and c.progress is not None]
    if not checkins:
        return []
    latest = checkins[-1]
    if latest.day < today - timedelta(days=settings.sudden_recent_days):
        return []
    gap = behind_by(latest)
    if gap is None or latest.self_pace not in PACES:
        return []
    if latest.self_pace == SLOW and gap >= settings.self_pace_gap:
        previous = checkins[-2] if len(checkins) >= 2 else None
        previous_gap = behind_by(previous) if previous is not None else None
        repeated = (
            previous is not None
            and previous.self_pace == SLOW
            and previous_gap is not None
            and previous_gap >= settings.self_pace_gap
        )
        low = latest.confidence is not None and latest.confidence <= LOW_CONFIDENCE
        severity = Severity.HIGH if repeated or low else Severity.MEDIUM
        return [
            make_risk(
                RiskKind.BELOW_EXPECTATIONS,
                severity,
                kr,
                "slow_and_behind",
                "agree_catch_up",
                gap=gap,
                progress=latest.progress or 0.0,
                expected=latest.pace,
                day=latest.day.isoformat(),
                checkins=2 if repeated else 1,
                checkin_people=checkin_people(latest),
            )
        ]
    if latest.self_pace == FAST and gap >= settings.self_pace_fast_gap:
        return [
            make_risk(
                RiskKind.OFF_COURSE,
                Severity.LOW,
                kr,
                "fast_but_behind",
                "check_direction",
                gap=gap,
                progress=latest.progress or 0.0,
                expected=latest.pace,
                day=latest.day.isoformat(),
                checkin_people=checkin_people(latest),
            )
        ]
    return []
