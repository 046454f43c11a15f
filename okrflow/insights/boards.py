"""What the dashboards show, computed from collected insights: heat map, alignment map, risk rows."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet

from okrflow.compiled_reads import values_by_ids
from okrflow.cycles.models import Cycle
from okrflow.insights.collect import CycleInsights, KeyResultInsight, ObjectiveInsight
from okrflow.insights.risk_text import (
    checkin_people,
    evidence,
    kind_label,
    severity_label,
    suggestion,
)
from okrflow.insights.risks import RiskItem
from okrflow.insights.sources import CheckinReader
from okrflow.org.models import OrgUnit, Person

WEEK = datetime.timedelta(days=7)
HEAT_MAX_DEPTH = 2  # company, departments, teams


@dataclass
class HeatCell:
    """One unit in one week: mean progress, mean pace and how far behind."""

    progress: float | None = None
    pace: float | None = None

    @property
    def gap(self) -> float | None:
        if self.progress is None or self.pace is None:
            return None
        return self.progress - self.pace

    @property
    def level(self) -> str:
        gap = self.gap
        if gap is None:
            return "empty"
        if gap >= -0.10:
            return "good"
        if gap >= -0.25:
            return "warn"
        return "bad"


@dataclass
class HeatRow:
    unit: OrgUnit
    cells: list[HeatCell]
    key_results: int
    forecast: float | None


@dataclass
class HeatMap:
    days: list[datetime.date]
    rows: list[HeatRow]


def checkin_days(cycle: Cycle, on: datetime.date) -> list[datetime.date]:
    """Return the cycle's check-in weekdays up to `on`."""
    day = cycle.start_date + datetime.timedelta(
        days=(cycle.checkin_weekday - cycle.start_date.weekday()) % 7
    )
    days = []
    while day <= on:
        days.append(day)
        day += WEEK
    return days


def progress_on(kri: KeyResultInsight, day: datetime.date) -> float | None:
    """Return the latest recorded progress on or before a day (None before any value)."""
    found = None
    for when, progress in kri.progress_points:
        if when > day:
            break
        found = progress
    return None if found is None else min(1.0, max(0.0, found))


@dataclass
class MapRow:
    """One objective in the alignment map, at its depth below the top."""

    insight: ObjectiveInsight
    depth: int


def build_alignment_map(
    insights: CycleInsights, max_depth: int | None = None, max_rows: int | None = None
) -> list[MapRow]:
    """Order objectives parent first, children below, by their first (primary) parent.

    `max_rows` keeps a dashboard light for a large organisation; the full tree has its own page.
    """
    by_id = {oi.objective.pk: oi for oi in insights.objectives}
    children: dict[int, list[ObjectiveInsight]] = defaultdict(list)
    roots = []
    for oi in insights.objectives:
        parent = next((pid for pid in oi.parent_ids if pid in by_id), None)
        if parent is None:
            roots.append(oi)
        else:
            children[parent].append(oi)
    rows: list[MapRow] = []
    seen: set[int] = set()
    stack = [(oi, 0) for oi in reversed(roots)]
    while stack:
        oi, depth = stack.pop()
        if oi.objective.pk in seen:
            continue
        seen.add(oi.objective.pk)
        if max_depth is None or depth <= max_depth:
            rows.append(MapRow(oi, depth))
            if max_rows is not None and len(rows) >= max_rows:
                break
        stack.extend((child, depth + 1) for child in reversed(children[oi.objective.pk]))
    return rows


@dataclass
class RiskRow:
    """A risk worded for the reader."""

    item: RiskItem
    kind_label: str
    severity_label: str
    evidence: str
    suggestion: str

    @property
    def risk(self):  # type: ignore[no-untyped-def]
        return self.item.risk


def risk_rows(items: list[RiskItem], user: Any) -> list[RiskRow]:
    """Word each risk in the active language, for this reader (check-in text only if theirs)."""
    reader = CheckinReader(user)
    reader.prepare({pk for item in items for pk in checkin_people(item.risk) or ()})
    reader.prepare_objectives(
        {int(i.risk.params["parent_id"]) for i in items if i.risk.code == "parent_archived"}
        | {
            int(i.risk.params["target_objective_id"])
            for i in items
            if i.risk.code == "waits_for_late"
        }
    )
    return [
        RiskRow(
            item,
            kind_label(item.risk.kind),
            severity_label(item.risk.severity),
            evidence(item.risk, reader),
            suggestion(item.risk.suggestion),
        )
        for item in items
    ]


@dataclass
class Summary:
    """Counts the top of a dashboard shows."""

    objectives: int = 0
    key_results: int = 0
    statuses: dict[str, int] = field(default_factory=dict)
    risks: dict[str, int] = field(default_factory=dict)
    outlooks: dict[str, int] = field(default_factory=dict)


@dataclass
class ComplianceSummary:
    """Check-in compliance in figures a dashboard shows."""

    rate: float | None
    on_time: int
    late: int
    missed: int
    people: int
    missed_last: list[str]
    missed_last_count: int

    @property
    def missed_more(self) -> int:
        return self.missed_last_count - len(self.missed_last)


MISSED_NAMES_SHOWN = 6


def people_names(ids: list[int]) -> QuerySet[Any]:
    return Person.objects.filter(pk__in=ids).values_list("pk", "full_name")


def summarise_stored_compliance(stored: Any) -> ComplianceSummary:
    """Condense the stored compliance figures (`okrflow.insights.standings`)."""
    # The few names compiled once per number of people (`compiled_reads.values_by_ids`).
    names = dict(
        values_by_ids("missed names", people_names, Person.objects.db, list(stored.missed_last))
    )
    return ComplianceSummary(
        rate=stored.rate,
        on_time=stored.on_time,
        late=stored.late,
        missed=stored.missed,
        people=stored.people,
        missed_last=sorted(names[pk] for pk in stored.missed_last if pk in names),
        missed_last_count=stored.missed_last_count,
    )


def summarise_compliance(totals: Any | None) -> ComplianceSummary | None:
    """Condense the check-ins app's compliance figures (None when check-ins are not in use)."""
    if totals is None:
        return None
    shown = totals.missed_last[:MISSED_NAMES_SHOWN]
    names = dict(Person.objects.filter(pk__in=shown).values_list("pk", "full_name"))
    return ComplianceSummary(
        rate=totals.rate,
        on_time=totals.on_time,
        late=totals.late,
        missed=totals.missed,
        people=totals.people,
        missed_last=[names[pk] for pk in shown if pk in names],
        missed_last_count=len(totals.missed_last),
    )
