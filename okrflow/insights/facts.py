"""F.A.C.T.S., measured: one figure per benefit the article names, from the visible objectives.

* Focus: owners within their range (1–3 objectives for a person, 3–5 for a unit or project) and
  objectives with 3–5 key results.
* Alignment: objectives below the company level that contribute to a parent.
* Commitment: people's own objectives that they drafted themselves, and how many of those are
  agreed (active).
* Tracking: check-in compliance (from the check-ins app), else key results updated this week.
* Stretching: the share of aspirational objectives, and how they score against their 0.7 bar.
"""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Avg, Count, Q

from okrflow.audit.models import AuditEntry
from okrflow.engine.focus import OwnerKind, check_objective_focus, check_owner_focus
from okrflow.insights.collect import CycleInsights, ObjectiveInsight
from okrflow.insights.models import ObjectiveGrade
from okrflow.insights.sources import compliance_for
from okrflow.okrs.actions.common import describe_focus_finding
from okrflow.okrs.models import ObjectiveKind, ObjectiveState
from okrflow.org.models import Organisation, OrgUnit


def share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


@dataclass
class Panel:
    """One benefit: a headline share, the counts behind it, and lines worth reading."""

    key: str
    value: float | None
    part: int
    whole: int
    notes: list[str] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)


def focus_panel(insights: CycleInsights, organisation: Organisation) -> Panel:
    rules = organisation.focus_rules()
    owners: Counter[tuple[str, int, str]] = Counter()
    notes = []
    objectives_in_range = 0
    for oi in insights.objectives:
        objective = oi.objective
        owners[(objective.owner_kind, objective.owner.pk, objective.owner_name)] += 1
        findings = check_objective_focus(len(oi.key_results), rules, objective.pk)
        objectives_in_range += not findings
        notes.extend(f"{objective.title}: {describe_focus_finding(f)}" for f in findings)
    owners_in_range = 0
    for (kind, _, name), count in sorted(owners.items(), key=lambda item: item[0][2]):
        findings = check_owner_focus(OwnerKind(kind), count, rules)
        owners_in_range += not findings
        notes.extend(f"{name}: {describe_focus_finding(f)}" for f in findings)
    return Panel(
        "focus",
        share(owners_in_range, len(owners)),
        owners_in_range,
        len(owners),
        notes,
        {
            "objectives_in_range": objectives_in_range,
            "objectives": len(insights.objectives),
            "objectives_share": share(objectives_in_range, len(insights.objectives)),
        },
    )


def alignment_panel(insights: CycleInsights) -> Panel:
    top = set(OrgUnit.objects.filter(depth=0).values_list("pk", flat=True))
    below = [oi for oi in insights.objectives if oi.objective.owner_unit_id not in top]
    aligned = [oi for oi in below if oi.parent_ids]
    loose: list[ObjectiveInsight] = [oi for oi in below if not oi.parent_ids]
    return Panel(
        "alignment",
        share(len(aligned), len(below)),
        len(aligned),
        len(below),
        [f"{oi.objective.title} ({oi.objective.owner_name})" for oi in loose[:8]],
    )


def commitment_panel(insights: CycleInsights) -> Panel:
    personal = [oi.objective for oi in insights.objectives if oi.objective.owner_person_id]
    creators = dict(
        AuditEntry.objects.filter(
            action="create_objective",
            object_type="objective",
            object_id__in=[objective.pk for objective in personal],
        ).values_list("object_id", "actor_id")
    )
    own = [
        objective
        for objective in personal
        if objective.owner_person is not None
        and creators.get(objective.pk) == objective.owner_person.user_id
    ]
    agreed = [objective for objective in own if objective.state == ObjectiveState.ACTIVE]
    return Panel(
        "commitment",
        share(len(agreed), len(own)),
        len(agreed),
        len(own),
        extra={
            "personal": len(personal),
            "own_share": share(len(own), len(personal)),
            "own": len(own),
        },
    )


def tracking_panel(insights: CycleInsights, now: datetime.datetime) -> Panel:
    report = compliance_for(insights.cycle, None, now)
    if report is not None and report.rows:
        on_time = report.total("on_time")
        due = report.total("due")
        return Panel(
            "tracking",
            report.rate,
            on_time,
            due,
            extra={
                "late": report.total("late"),
                "missed": report.total("missed"),
                "source": "checkins",
            },
        )
    key_results = insights.key_results
    week_ago = insights.on - datetime.timedelta(days=7)
    fresh = [kri for kri in key_results if kri.values and kri.values[-1][0] > week_ago]
    return Panel(
        "tracking",
        share(len(fresh), len(key_results)),
        len(fresh),
        len(key_results),
        extra={"source": "values"},
    )


def stretching_panel(insights: CycleInsights) -> Panel:
    stretch = [oi for oi in insights.objectives if oi.objective.kind == ObjectiveKind.ASPIRATIONAL]
    likely = [oi for oi in stretch if (oi.forecast or 0) >= 0.7]
    graded = ObjectiveGrade.objects.filter(kind=ObjectiveKind.ASPIRATIONAL).aggregate(
        count=Count("id"), mean=Avg("score"), successes=Count("id", filter=Q(success=True))
    )
    return Panel(
        "stretching",
        share(len(stretch), len(insights.objectives)),
        len(stretch),
        len(insights.objectives),
        extra={
            "likely": len(likely),
            "likely_share": share(len(likely), len(stretch)),
            "progress": (
                sum(oi.report.progress for oi in stretch) / len(stretch) if stretch else None
            ),
            "graded": graded["count"],
            "graded_mean": graded["mean"],
            "graded_success": share(graded["successes"], graded["count"]),
        },
    )


def build_facts(insights: CycleInsights, now: datetime.datetime) -> list[Panel]:
    """Measure the five benefits for a cycle."""
    organisation = Organisation.current()
    return [
        focus_panel(insights, organisation),
        alignment_panel(insights),
        commitment_panel(insights),
        tracking_panel(insights, now),
        stretching_panel(insights),
    ]
