"""The off-course rules: key results nobody updates or that do not move, objectives adrift."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from okrflow.engine.risk_facts import (
    KeyResultFacts,
    ObjectiveFacts,
    Risk,
    RiskKind,
    RiskSettings,
    Severity,
    make_risk,
)


def off_course_key_result_risks(
    kr: KeyResultFacts, today: date, settings: RiskSettings
) -> list[Risk]:
    """Flag a key result nobody updates, or one that gets work but does not move."""
    if kr.progress >= 1.0 or today > kr.due_date:
        return []
    stale = _stale_risk(kr, today, settings)
    if stale is not None:
        return [stale]
    effort = _effort_without_movement(kr, today, settings)
    return [effort] if effort is not None else []


def _last_update(kr: KeyResultFacts) -> date | None:
    days = [day for day, _ in kr.values] + [c.day for c in kr.checkins]
    return max(days) if days else None


def _stale_risk(kr: KeyResultFacts, today: date, settings: RiskSettings) -> Risk | None:
    last = _last_update(kr)
    # A key result added mid-cycle with no data yet has been quiet only since it was added.
    since = last or max(kr.start_date, kr.added_on or kr.start_date)
    quiet = (today - since).days
    if quiet < settings.stale_days:
        return None
    severity = Severity.MEDIUM if quiet >= 2 * settings.stale_days else Severity.LOW
    if last is None:
        return make_risk(
            RiskKind.OFF_COURSE, severity, kr, "never_updated", "ask_for_checkin", days=quiet
        )
    return make_risk(
        RiskKind.OFF_COURSE,
        severity,
        kr,
        "stale",
        "ask_for_checkin",
        days=quiet,
        last=last.isoformat(),
    )


def _progress_on(values: Sequence[tuple[date, float]], day: date) -> float:
    """Return the latest recorded progress on or before a day (0 before the first value)."""
    found = 0.0
    for when, progress in values:
        if when > day:
            break
        found = progress
    return found


def _effort_without_movement(
    kr: KeyResultFacts, today: date, settings: RiskSettings
) -> Risk | None:
    if kr.is_milestone or not kr.values:
        return None
    window_start = today - timedelta(days=settings.effort_days)
    if window_start < kr.start_date:
        return None
    checkins = sum(1 for c in kr.checkins if window_start < c.day <= today)
    if not kr.checkins:
        checkins = sum(1 for day, _ in kr.values if window_start < day <= today)
    initiatives = sum(1 for day in kr.initiatives_done if window_start < day <= today)
    if checkins < settings.effort_min_checkins and initiatives == 0:
        return None
    if kr.progress > kr.pace - settings.below_gap:
        return None  # on pace: a quiet stretch after a good start is no alarm
    if kr.pace_before is not None:
        pace_moved = kr.pace - kr.pace_before
    else:
        total = max(1, (kr.due_date - kr.start_date).days)
        pace_moved = kr.success_bar * settings.effort_days / total
    if pace_moved < settings.effort_min_pace_movement:
        return None
    moved = _progress_on(kr.values, today) - _progress_on(kr.values, window_start)
    # A fall counts as movement too: a sharp one is the sudden rule's to report.
    if abs(moved) >= settings.effort_movement_share * pace_moved:
        return None
    return make_risk(
        RiskKind.OFF_COURSE,
        Severity.MEDIUM,
        kr,
        "effort_without_movement",
        "check_direction",
        checkins=checkins,
        initiatives=initiatives,
        moved=moved,
        pace_moved=pace_moved,
        weeks=settings.effort_days // 7,
    )


def off_course_objective_risks(objective: ObjectiveFacts) -> list[Risk]:
    """Flag an objective aligned to nothing above it, or to an archived parent."""
    risks = []
    if not objective.is_company_level and not objective.parent_ids:
        risks.append(
            Risk(
                RiskKind.OFF_COURSE,
                Severity.LOW,
                objective.objective_id,
                None,
                objective.owner_id,
                "not_aligned",
                "align_objective",
            )
        )
    for parent_id, title in objective.archived_parents:
        risks.append(
            Risk(
                RiskKind.OFF_COURSE,
                Severity.MEDIUM,
                objective.objective_id,
                None,
                objective.owner_id,
                "parent_archived",
                "realign",
                {"parent_id": parent_id, "parent": title},
            )
        )
    return risks
