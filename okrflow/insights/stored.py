"""Read stored insights for what one reader may see: counts, heat map, risks, alignment map.

Every function takes a `Scope`: a cycle's stored refresh and the objectives in view. A scope
with a `viewer` (what the pages build) reads the stored totals of `okrflow.insights.totals`
for its counts and heat map, and filters the snapshot rows by bucket for its lists: a
bounded number of rows whatever the cycle's size. A scope without one (any set of objectives)
sums the snapshot rows in SQL: the recount the totals are tested against.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

from django.db import connection
from django.db.models import Count, F, Q, QuerySet, Sum, Value
from django.db.models.expressions import RawSQL
from django.db.models.lookups import In

from okrflow.compiled_reads import formed_rows, formed_values, values_by_ids
from okrflow.cycles.models import Cycle
from okrflow.engine.progress import Status
from okrflow.engine.risk import RiskKind
from okrflow.insights import totals
from okrflow.insights.boards import (
    HeatCell,
    HeatMap,
    HeatRow,
    Summary,
    checkin_days,
)
from okrflow.insights.models import HeatSnapshot, InsightRefresh, ObjectiveSnapshot, RiskSnapshot
from okrflow.okrs.models import Objective
from okrflow.org.models import OrgUnit


@dataclass
class Scope:
    """The objectives of one cycle a page shows, and the stored insights they come from.

    With a `viewer`, the objectives in view are the reader's of `unit`'s subtree (of the whole
    organisation when None), and `objective_ids` says the same for what totals do not hold.
    """

    cycle: Cycle
    refresh: InsightRefresh
    objective_ids: QuerySet[Any]  # a values("pk") subquery, already scoped to the reader
    viewer: totals.Viewer | None = None
    unit: OrgUnit | None = None
    tree: totals.Tree | None = None

    def unit_filter(self) -> Q:
        if self.unit is None or self.tree is None:
            return Q()
        return unit_filter(self.unit.path, self.unit.depth <= 1 and connection.vendor == "sqlite")

    def shape(self) -> tuple[tuple[Any, ...], tuple[Any, ...]] | None:
        """Return the form of the filter of the snapshot rows in view (with a viewer) and the
        values it compares with: `scope_rows` builds it from them, so that a statement reading
        such rows is compiled once per form (`compiled_reads.formed_rows`)."""
        if self.viewer is None:
            return None
        viewer = self.viewer.shape()
        if viewer is None:
            return None
        form, values = viewer
        if self.unit is None or self.tree is None:
            return (form, None), (self.cycle.pk, *values)
        plus = self.unit.depth <= 1 and connection.vendor == "sqlite"
        if form[0] in ("led ids", "led paths") and self.unit.pk in self.viewer.led:
            # A unit they lead (and so every unit below it): of its subtree's rows they see
            # the public and unit-private ones and the others they see by name (`extra`).
            # Shorter to plan than the led units' subquery again (PostgreSQL: 1.0 → 0.6 ms
            # for the unit page's risks).
            form, values = ("led subtree",), values[:1]
        return (form, plus), (self.cycle.pk, self.unit.path, *values)

    def objectives(self) -> QuerySet[ObjectiveSnapshot]:
        if self.viewer is not None:
            shape = self.shape()
            if shape is not None:
                return scope_rows(ObjectiveSnapshot, *shape)
            return ObjectiveSnapshot.objects.filter(cycle=self.cycle).filter(
                self.viewer.rows() & self.unit_filter()
            )
        if isinstance(self.objective_ids, list):
            # A few ids (a person's): by the objective index alone, whatever the cycle holds.
            return ObjectiveSnapshot.objects.filter(objective_id__in=self.objective_ids)
        return ObjectiveSnapshot.objects.filter(cycle=self.cycle, objective__in=self.objective_ids)

    def risks(self) -> QuerySet[RiskSnapshot]:
        if self.viewer is not None:
            shape = self.shape()
            if shape is not None:
                return scope_rows(RiskSnapshot, *shape).order_by("rank")
            return (
                RiskSnapshot.objects.filter(cycle=self.cycle)
                .filter(self.viewer.rows() & self.unit_filter())
                .order_by("rank")
            )
        if isinstance(self.objective_ids, list):
            return RiskSnapshot.objects.filter(objective_id__in=self.objective_ids).order_by("rank")
        return RiskSnapshot.objects.filter(
            cycle=self.cycle, objective__in=self.objective_ids
        ).order_by("rank")

    def figures(self) -> totals.Figures:
        """Return the stored totals of everything in view (with a viewer only)."""
        assert self.viewer is not None and self.tree is not None
        cached = getattr(self, "_figures", None)
        if cached is None:
            wanted: list[int | None] = (
                [self.unit.pk] if self.unit is not None else [*self.tree.roots(), None]
            )
            read = self.read(wanted)
            cached = read.of(self.unit.pk) if self.unit is not None else read.everything(self.tree)
            self._figures = cached
        return cached

    def read(self, unit_ids: list[int | None]) -> totals.Totals:
        """Return the stored totals of these units (with a viewer only), read once a page: a
        unit's figures do not depend on the others read with it, so a later read of some of
        the units already read (the page's unit is among its heat map's) reuses the first."""
        assert self.viewer is not None and self.tree is not None
        cached: totals.Totals | None = getattr(self, "_read", None)
        if cached is not None and all(pk in cached.by_unit for pk in unit_ids):
            return cached
        read = totals.read_totals(self.cycle, self.viewer, unit_ids, self.tree)
        self._read = read
        return read


def unit_filter(path: str, plus: bool) -> Q:
    """Select the rows of the unit of this path and of the units below it."""
    # A subquery on the units' paths, not the list of every unit below (a company's all).
    below = OrgUnit.objects.filter(path__startswith=path).values("pk")
    if plus:
        # SQLite, once its statistics are complete (an unsampled ANALYZE), would read a
        # company's or department's rows through the unit index (a tenth of the cycle's or
        # all of it) and sort them for the first few by rank; `unit_id + 0` leaves it the
        # rank or map-order index, stopping at the first rows in the unit.
        return Q(In(F("unit_id") + Value(0), below))
    return Q(unit_id__in=below)


def scope_rows(model: Any, form: tuple[Any, ...], values: Sequence[Any]) -> QuerySet[Any]:
    """Return the snapshot rows (objective or risk) of a scope's form and values
    (`Scope.shape`): the cycle's, the reader may see, of the unit's subtree when one."""
    viewer_form, plus = form
    if plus is None:
        return model.objects.filter(cycle=values[0]).filter(totals.rows_of(viewer_form, values[1:]))
    return model.objects.filter(cycle=values[0]).filter(
        totals.rows_of(viewer_form, values[2:]) & unit_filter(values[1], plus)
    )


def viewer_scope(
    cycle: Cycle,
    refresh: InsightRefresh,
    objective_ids: QuerySet[Any],
    user: Any,
    unit: OrgUnit | None = None,
) -> Scope:
    """Return the scope of a page that reads the stored totals for this user."""
    return Scope(
        cycle, refresh, objective_ids, totals.viewer_for(user, cycle), unit, totals.ReadingTree()
    )


def risk_counts(scope: Scope, severity: str = "") -> dict[str, int]:
    """Count the risks in view by kind (of one severity when given)."""
    if scope.viewer is not None:
        return totals.risk_counts(scope.figures(), severity)
    risks = scope.risks().order_by()
    if severity:
        risks = risks.filter(severity=severity)
    rows = risks.values_list("kind").annotate(count=Count("id"))
    return dict(rows)


def summarise_stored(scope: Scope, risks_by_kind: dict[str, int]) -> Summary:
    """Count the objectives in view by status and outlook."""
    if scope.viewer is not None:
        figures = scope.figures()
        found = totals.statuses(figures)
        return Summary(
            objectives=totals.count(figures, "objectives"),
            key_results=totals.count(figures, "key_results"),
            statuses={status.value: found.get(status.value, 0) for status in Status},
            risks=dict(risks_by_kind),
            outlooks=totals.outlooks(figures),
        )
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
    if scope.viewer is not None and scope.tree is not None:
        return totals_heat_map(scope, units, max_depth, days)
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


def totals_heat_map(scope: Scope, units: list[OrgUnit], max_depth: int, days: list[Any]) -> HeatMap:
    """Draw the heat map from the stored totals of the units shown."""
    assert scope.viewer is not None and scope.tree is not None
    shown = [unit for unit in units if unit.depth <= max_depth]
    read = scope.read([unit.pk for unit in shown])
    # Each day's names once, not once a unit (a company's map has hundreds of cells).
    names = [
        (totals.heat_name(day, "n"), totals.heat_name(day, "p"), totals.heat_name(day, "pace"))
        for day in days
    ]
    rows = []
    for unit in shown:
        figures = read.of(unit.pk)
        krs = totals.count(figures, "key_results")
        if not krs:
            continue
        cells = []
        for known_name, progress_name, pace_name in names:
            known = figures.get(known_name, 0)
            if round(known):
                progress = figures.get(progress_name, 0.0)
                pace = figures.get(pace_name, 0.0)
                cells.append(HeatCell(progress / known, pace / known))
            else:
                cells.append(HeatCell())
        rows.append(HeatRow(unit, cells, krs, figures.get("forecast_sum", 0.0) / krs))
    return HeatMap(days, rows)


def with_objects(risks: QuerySet[RiskSnapshot]) -> QuerySet[RiskSnapshot]:
    """Load the risks with the titles a list shows of their objective and key result (not
    every column of both: a list of risks links to them by id and title)."""
    return risks.select_related("objective", "key_result").only(
        *(field.attname for field in RiskSnapshot._meta.concrete_fields),
        "objective__title",
        "key_result__title",
    )


def top_stored_risks(scope: Scope, count: int) -> list[RiskSnapshot]:
    """Pick the most severe risk of each kind first, then the next most severe, up to `count`.

    One query: the first risk of each kind and the first `count` of all, each an indexed
    subquery (`risk_kind_rank`, `risk_rank`) of at most `count` rows."""
    shape = scope.shape()
    if shape is not None:
        # Compiled once per form of the reader's scope (`compiled_reads.formed_rows`).
        form, values = shape
        found: list[RiskSnapshot] = formed_rows(
            "top risks",
            (form, count),
            lambda shaped: top_risks(
                scope_rows(RiskSnapshot, form, shaped).order_by("rank"), count
            ),
            RiskSnapshot.objects.db,
            values,
        )
    else:
        found = list(top_risks(scope.risks(), count))
    firsts: dict[str, RiskSnapshot] = {}
    for item in found:  # by rank: the first of its kind is the kind's most severe
        firsts.setdefault(item.kind, item)
    chosen = [firsts[kind.value] for kind in RiskKind if kind.value in firsts]
    chosen_ids = {item.pk for item in chosen}
    for item in found:
        if len(chosen) >= count:
            break
        if item.pk not in chosen_ids:
            chosen.append(item)
    return sorted(chosen[:count], key=lambda item: item.rank)


def top_risks(risks: QuerySet[RiskSnapshot], count: int) -> QuerySet[RiskSnapshot]:
    """The first `count` risks and each kind's first, with their titles, by rank."""
    return with_objects(
        RiskSnapshot.objects.filter(pk__in=top_and_first_of_kinds(risks, count))
    ).order_by("rank")


# Stands for each kind in the one compiled statement of "the first risk of a kind".
KIND_PLACEHOLDER = "\x00kind"


def top_and_first_of_kinds(risks: QuerySet[RiskSnapshot], count: int) -> RawSQL:
    """Return the ids of the first `count` risks and of each kind's first as one subquery: a
    UNION ALL of each, so that each keeps its own index scan (`pk IN (…) OR pk IN (…)` would
    not). The kinds' statement is compiled once: they differ only by the kind's parameter."""
    first_sql, first_params = risks[:count].values_list("pk").query.sql_with_params()
    kind_sql, kind_params = (
        risks.filter(kind=KIND_PLACEHOLDER)[:1].values_list("pk").query.sql_with_params()
    )
    parts, params = [f"SELECT * FROM ({first_sql}) AS part_0"], list(first_params)
    for number, kind in enumerate(RiskKind, start=1):
        parts.append(f"SELECT * FROM ({kind_sql}) AS part_{number}")
        params.extend(kind.value if param == KIND_PLACEHOLDER else param for param in kind_params)
    return RawSQL(" UNION ALL ".join(parts), params)


class MapSnapshot(NamedTuple):
    """What the alignment map shows of an objective's stored snapshot."""

    status: str
    progress: float
    expected: float
    outlook: str
    forecast: float | None
    map_order: int


class MapObjective(NamedTuple):
    """What the alignment map shows of an objective: its link, title and owner."""

    pk: int
    title: str
    owner_name: str


@dataclass
class StoredMapRow:
    """One objective of the alignment map, as stored."""

    snapshot: MapSnapshot
    objective: MapObjective
    depth: int


MAP_COLUMNS = (*MapSnapshot._fields, "map_depth", "objective_id")
MAP_OBJECTIVE_COLUMNS = (
    "pk",
    "title",
    "owner_person_id",
    "owner_unit_id",
    "owner_person__full_name",
    "owner_unit__name",
    "owner_project__name",
)


def map_objectives(ids: list[int]) -> QuerySet[Any]:
    """The alignment map's objectives with their owners' names (`stored_alignment_map`)."""
    return Objective.objects.filter(pk__in=ids).order_by().values_list(*MAP_OBJECTIVE_COLUMNS)


def stored_alignment_map(
    scope: Scope, max_depth: int, max_rows: int, after: int | None = None
) -> list[StoredMapRow]:
    """Return the top of the alignment map, parents first, at most `max_rows` objectives
    (those after position `after` when given: the next rows).

    Read as values, not as snapshots with their objectives and owners (a page of thirty
    builds some 120 model instances otherwise): the snapshots first, then their objectives
    with their owners by id (PostgreSQL plans the first snapshots in map order joined with
    objectives and three kinds of owner in about 1 ms, each read alone in a tenth of that);
    the owner is named as `Objective.owner_name` names it."""

    def first_rows(snapshots: QuerySet[ObjectiveSnapshot]) -> QuerySet[Any]:
        after_filter = {} if after is None else {"map_order__gt": after}
        return (
            snapshots.filter(map_depth__lte=max_depth, **after_filter)
            .order_by("map_order")
            .values_list(*MAP_COLUMNS)[:max_rows]
        )

    shape = scope.shape()
    if shape is not None and after is None:
        # The dashboard's first rows: compiled once per form of the reader's scope.
        form, values = shape
        rows = formed_values(
            "alignment map",
            (form, max_depth, max_rows),
            lambda shaped: first_rows(scope_rows(ObjectiveSnapshot, form, shaped)),
            ObjectiveSnapshot.objects.db,
            values,
        )
    else:
        rows = [tuple(row) for row in first_rows(scope.objectives())]
    objectives = {
        row[0]: row
        for row in values_by_ids(
            "alignment map objectives",
            map_objectives,
            Objective.objects.db,
            [row[7] for row in rows],
        )
    }
    found = []
    for row in rows:
        objective = objectives.get(row[7])
        if objective is None:
            continue  # gone since its snapshot was read
        pk, title, person_id, unit_id, person, unit, project = objective
        owner = person if person_id else unit if unit_id else project
        found.append(StoredMapRow(MapSnapshot(*row[:6]), MapObjective(pk, title, owner), row[6]))
    return found
