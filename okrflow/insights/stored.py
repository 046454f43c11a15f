"""Read stored insights for what one reader may see: counts, heat map, risks, alignment map.

Every function takes a `Scope` (a cycle's stored refresh and the objectives in view) and sums the
snapshot rows in SQL, so a page costs the same few queries at 50 or 150,000 key results.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, QuerySet, Sum

from okrflow.cycles.models import Cycle
from okrflow.engine.progress import Status
from okrflow.engine.risk import RiskKind
from okrflow.insights.boards import (
    HeatCell,
    HeatMap,
    HeatRow,
    Summary,
    checkin_days,
)
from okrflow.insights.models import HeatSnapshot, InsightRefresh, ObjectiveSnapshot, RiskSnapshot
from okrflow.org.models import OrgUnit


@dataclass
class Scope:
    """The objectives of one cycle a page shows, and the stored insights they come from."""

    cycle: Cycle
    refresh: InsightRefresh
    objective_ids: QuerySet[Any]  # a values("pk") subquery, already scoped to the reader

    def objectives(self) -> QuerySet[ObjectiveSnapshot]:
        return ObjectiveSnapshot.objects.filter(cycle=self.cycle, objective__in=self.objective_ids)

    def risks(self) -> QuerySet[RiskSnapshot]:
        return RiskSnapshot.objects.filter(
            cycle=self.cycle, objective__in=self.objective_ids
        ).order_by("rank")


def risk_counts(scope: Scope) -> dict[str, int]:
    """Count the risks in view by kind."""
    rows = scope.risks().order_by().values_list("kind").annotate(count=Count("id"))
    return dict(rows)


def summarise_stored(scope: Scope, risks_by_kind: dict[str, int]) -> Summary:
    """Count the objectives in view by status and outlook."""
    statuses: Counter[str] = Counter()
    outlooks: Counter[str] = Counter()
    key_results = 0
    rows = (
        scope.objectives()
        .order_by()
        .values_list("status", "outlook")
        .annotate(count=Count("id"), krs=Sum("key_results"))
    )
    for status, outlook, count, krs in rows:
        statuses[status] += count
        outlooks[outlook] += count
        key_results += krs or 0
    return Summary(
        objectives=sum(statuses.values()),
        key_results=key_results,
        statuses={status.value: statuses.get(status.value, 0) for status in Status},
        risks=dict(risks_by_kind),
        outlooks=dict(outlooks),
    )


def stored_heat_map(scope: Scope, units: list[OrgUnit], max_depth: int) -> HeatMap:
    """Sum each unit's key results (its own and the units' below) week by week."""
    days = checkin_days(scope.cycle, scope.refresh.computed_on)
    paths = {unit.pk: unit.path for unit in units}
    shown = [unit for unit in units if unit.depth <= max_depth]
    cells = (
        HeatSnapshot.objects.filter(cycle=scope.cycle, objective__in=scope.objective_ids)
        .order_by()
        .values_list("unit_id", "day")
        .annotate(progress=Sum("progress_sum"), pace=Sum("pace_sum"), known=Sum("known"))
    )
    totals = (
        scope.objectives()
        .order_by()
        .values_list("unit_id")
        .annotate(forecast=Sum("forecast_sum"), krs=Sum("key_results"))
    )
    ancestors = {
        unit_id: [unit for unit in shown if path.startswith(unit.path)]
        for unit_id, path in paths.items()
    }
    sums: dict[tuple[int, Any], list[float]] = {}
    for unit_id, day, progress, pace, known in cells:
        for unit in ancestors.get(unit_id, []):
            cell = sums.setdefault((unit.pk, day), [0.0, 0.0, 0])
            cell[0] += progress or 0.0
            cell[1] += pace or 0.0
            cell[2] += known or 0
    forecast: dict[int, list[float]] = {}
    for unit_id, forecast_sum, krs in totals:
        for unit in ancestors.get(unit_id, []):
            total = forecast.setdefault(unit.pk, [0.0, 0])
            total[0] += forecast_sum or 0.0
            total[1] += krs or 0
    rows = []
    for unit in shown:
        forecast_sum, krs = forecast.get(unit.pk, (0.0, 0))
        if not krs:
            continue
        row_cells = []
        for day in days:
            progress, pace, known = sums.get((unit.pk, day), (0.0, 0.0, 0))
            row_cells.append(HeatCell(progress / known, pace / known) if known else HeatCell())
        rows.append(HeatRow(unit, row_cells, int(krs), forecast_sum / krs))
    return HeatMap(days, rows)


def with_objects(risks: QuerySet[RiskSnapshot]) -> QuerySet[RiskSnapshot]:
    return risks.select_related("objective", "key_result")


def top_stored_risks(scope: Scope, count: int) -> list[RiskSnapshot]:
    """Pick the most severe risk of each kind first, then the next most severe, up to `count`."""
    chosen: list[RiskSnapshot] = []
    for kind in RiskKind:
        first = with_objects(scope.risks().filter(kind=kind.value)).first()
        if first is not None:
            chosen.append(first)
    chosen_ids = {item.pk for item in chosen}
    for item in with_objects(scope.risks())[: count + len(chosen)]:
        if len(chosen) >= count:
            break
        if item.pk not in chosen_ids:
            chosen.append(item)
    return sorted(chosen[:count], key=lambda item: item.rank)


@dataclass
class StoredMapRow:
    """One objective of the alignment map, as stored."""

    snapshot: ObjectiveSnapshot
    depth: int

    @property
    def objective(self) -> Any:
        return self.snapshot.objective


def stored_alignment_map(scope: Scope, max_depth: int, max_rows: int) -> list[StoredMapRow]:
    """Return the top of the alignment map, parents first, at most `max_rows` objectives."""
    rows = (
        scope.objectives()
        .filter(map_depth__lte=max_depth)
        .select_related(
            "objective__owner_person", "objective__owner_unit", "objective__owner_project"
        )
        .order_by("map_order")[:max_rows]
    )
    return [StoredMapRow(row, row.map_depth) for row in rows]
