"""Stored totals: what the insights pages show, already summed per unit subtree.

A dashboard at 10,000 people must not re-add 135,000 heat-map cells and 76,000 risks on
every request. So each objective's share of the figures (its *contribution*: one objective,
its key results, its status and outlook, its risks by kind and severity, its heat-map sums
per check-in day, what F.A.C.T.S. counts) is added, when it is stored, to one
`InsightTotal` row per unit above it and per visibility bucket. A page then reads the rows
of the units it shows: a number of rows that depends on the org chart it draws, never on
how many objectives, key results or risks the cycle holds.

Rows. The row (cycle, U, B) sums the live objectives whose unit (its own, its owner's or its
project's, as `collect.owner_unit_id` says) is U or any unit below U, and whose bucket is B.
Objectives outside every unit are summed in the rows without a unit. The figures are a flat
JSON object of sums (``status:on_track``, ``risk:sudden:high``, ``heat:2026-04-03:p`` …).

Buckets, and why visibility stays exact. `okrflow.org.access` lets everyone in the
organisation see public objectives, and a private one only its owner, the owner's manager
chain, the leads of the owner's unit and of every unit above it, the members of its project,
its co-owners and admins. The buckets follow the one rule that covers whole subtrees:

* 0 — public objectives: everyone's;
* 1 — private objectives owned by a person or a unit: a lead of the unit (or of one above)
  sees all of them, so a unit someone leads is summed with its bucket 1;
* 2 — private objectives owned by a project: seen by its members, never by unit.

A reader's figures for a subtree S are therefore: bucket 0 of S; bucket 1 of S if they lead
S, else bucket 1 of each unit at the top of what they lead inside S; and a *correction*: the
private objectives they may see outside what they lead (their own, their reports' in other
units, their projects', the ones they co-own), added one by one from the objective snapshots.
Admins read every bucket and need no correction. The correction is as large as what one
person may see privately outside the units they lead: a few objectives, not the company.
`tests/insights/test_totals_property.py` checks, over random organisations and edits, that
these figures equal a recount from the snapshot rows for every persona.

Upkeep. A full refresh rebuilds a cycle's rows from its snapshot rows, a chunk at a time. An
objective recomputed after a change (`snapshots.refresh_objectives`, on the task queue when
one runs) subtracts its old contribution and adds its new one, under the cycle's
`InsightRefresh` row lock that every writer of these rows takes, so two updates never
interleave.
"""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from django.db.models import Count, Q, QuerySet

from okrflow.compiled_reads import formed_values
from okrflow.cycles.models import Cycle
from okrflow.engine.progress import Status
from okrflow.engine.risk import RiskKind
from okrflow.insights.models import (
    HeatSnapshot,
    InsightTotal,
    ObjectiveSnapshot,
    RiskSnapshot,
)
from okrflow.library.bulk_insert import write_tuples
from okrflow.listed import among
from okrflow.okrs.models import ObjectiveKind
from okrflow.org.models import OrgUnit

PUBLIC, PRIVATE_OWNED, PRIVATE_PROJECT = 0, 1, 2
CHUNK = 1000
REWRITE_FROM = 100  # totals rows moved at once from which they are written again, not updated
EPSILON = 1e-9
STRETCH_LIKELY = 0.7

Figures = Counter  # figure name → sum
Key = tuple[int | None, int]  # (unit id or None, bucket)


def bucket_of(is_private: bool, owner_project_id: int | None) -> int:
    """Return an objective's visibility bucket."""
    if not is_private:
        return PUBLIC
    return PRIVATE_PROJECT if owner_project_id else PRIVATE_OWNED


# --- contributions -------------------------------------------------------------------------


OBJECTIVE_FIELDS = (
    "objective_id",
    "unit_id",
    "bucket",
    "status",
    "outlook",
    "key_results",
    "forecast",
    "forecast_sum",
    "progress",
    "has_parent",
    "kind",
    "company_level",
    "personal",
    "drafted_by_owner",
    "agreed",
    "fresh_key_results",
    "score",
    "band",
    "success",
)


def objective_figures(row: dict[str, Any]) -> Figures:
    """Return one stored objective's own figures (without its heat-map cells and risks)."""
    figures: Figures = Counter(
        {
            "objectives": 1,
            "key_results": row["key_results"],
            "forecast_sum": row["forecast_sum"] or 0.0,
            f"status:{row['status']}": 1,
            f"outlook:{row['outlook']}": 1,
            f"krs:{row['key_results']}": 1,
            "fresh": row["fresh_key_results"],
        }
    )
    # The review's grade preview: score sum, bands, successes by kind ("graded" tells that
    # the totals hold these figures: totals stored before them are read row by row).
    figures["graded"] += 1
    figures["score_sum"] += float(row["score"] or 0)
    if row["band"]:
        figures[f"band:{row['band']}"] += 1
    figures[f"kind:{row['kind']}"] += 1
    if row["success"]:
        figures[f"success:{row['kind']}"] += 1
    if not row["company_level"]:
        figures["below"] += 1
        if row["has_parent"]:
            figures["below_aligned"] += 1
    if row["kind"] == ObjectiveKind.ASPIRATIONAL:
        figures["stretch"] += 1
        figures["stretch_progress"] += row["progress"] or 0.0
        if row["forecast"] is not None and row["forecast"] >= STRETCH_LIKELY:
            figures["stretch_likely"] += 1
    if row["personal"]:
        figures["personal"] += 1
        if row["drafted_by_owner"]:
            figures["own"] += 1
            if row["agreed"]:
                figures["agreed"] += 1
    return figures


def heat_name(day: datetime.date, part: str) -> str:
    return f"heat:{day.isoformat()}:{part}"


def contributions(
    cycle: Cycle, objective_ids: Iterable[int]
) -> Iterator[tuple[int | None, int, Figures]]:
    """Yield (unit, bucket, figures) of each stored objective of the given ones, three queries
    per chunk of `CHUNK` objectives."""
    return StoredRows.read(cycle, objective_ids).contributions()


# What `owner_counts` groups an owner's rows by: kind, id, a team, unit (and then bucket).
OwnerGroup = tuple[str, int, bool, int | None]
OWNER_FIELDS = ("owner_kind", "owner_key", "owner_team")


@dataclass
class StoredRows:
    """Some objectives' stored rows as the totals count them, read once."""

    objectives: list[dict[str, Any]]
    cells: list[tuple[int, datetime.date, float, float, int]]
    risks: list[tuple[int, str, str]]
    # Each cell's row id and unit, in the order of `cells` (a refresh keeps the cells that
    # did not change: `snapshots.Rows.replace`).
    cell_ids: list[int] = field(default_factory=list)
    cell_units: list[int | None] = field(default_factory=list)

    @classmethod
    def read(cls, cycle: Cycle, objective_ids: Iterable[int]) -> StoredRows:
        """Three queries per chunk of `CHUNK` objectives. The objectives and cells in the order
        of their ids and days, not as the table holds them: the totals are sums of floats, and
        summed in another order they differ in their last digit (a refresh computed in worker
        processes would not store exactly what a serial one does)."""
        rows = cls([], [], [])
        ids = sorted(set(objective_ids))
        for start in range(0, len(ids), CHUNK):
            chunk = ids[start : start + CHUNK]
            rows.objectives += (
                ObjectiveSnapshot.objects.filter(among("objective_id", chunk), cycle=cycle)
                .order_by("objective_id")
                .values(*OBJECTIVE_FIELDS, *OWNER_FIELDS)
            )
            for pk, objective_id, day, progress, pace, known, unit_id in (
                HeatSnapshot.objects.filter(among("objective_id", chunk), cycle=cycle)
                .order_by("objective_id", "day", "pk")
                .values_list(
                    "pk", "objective_id", "day", "progress_sum", "pace_sum", "known", "unit_id"
                )
            ):
                rows.cells.append((objective_id, day, progress, pace, known))
                rows.cell_ids.append(pk)
                rows.cell_units.append(unit_id)
            rows.risks += (
                RiskSnapshot.objects.filter(among("objective_id", chunk), cycle=cycle)
                .order_by()
                .values_list("objective_id", "kind", "severity")
            )
        return rows

    def contributions(self) -> Iterator[tuple[int | None, int, Figures]]:
        return contributions_of(self.objectives, self.cells, self.risks)


def contributions_of(
    objectives: Iterable[dict[str, Any]],
    cells: Iterable[tuple[int, datetime.date, float, float, int]],
    risks: Iterable[tuple[int, str, str]],
) -> Iterator[tuple[int | None, int, Figures]]:
    """Yield (unit, bucket, figures) of objective rows (dicts of `OBJECTIVE_FIELDS`) with their
    heat-map cells and risks: read from the database, or the rows a refresh is writing."""
    found: dict[int, tuple[int | None, int, Figures]] = {}
    for row in objectives:
        found[row["objective_id"]] = (row["unit_id"], row["bucket"], objective_figures(row))
    # Each day's and each risk's names spelled once: a refresh after 1,000 check-ins adds some
    # 70,000 cells (before and after), on a few dozen days.
    days: dict[datetime.date, tuple[str, str, str]] = {}
    for objective_id, day, progress, pace, known in cells:
        if objective_id in found:
            figures = found[objective_id][2]
            names = days.get(day)
            if names is None:
                names = days[day] = (
                    heat_name(day, "p"),
                    heat_name(day, "pace"),
                    heat_name(day, "n"),
                )
            figures[names[0]] += progress
            figures[names[1]] += pace
            figures[names[2]] += known
    kinds: dict[tuple[str, str], str] = {}
    for objective_id, kind, severity in risks:
        if objective_id in found:
            name = kinds.get((kind, severity))
            if name is None:
                name = kinds[(kind, severity)] = f"risk:{kind}:{severity}"
            found[objective_id][2][name] += 1
    yield from found.values()


# --- owners (F.A.C.T.S. Focus) ----------------------------------------------------------------
#
# Focus counts owners by how many objectives each holds in view: not a sum over objectives, so
# each owner contributes instead, from its snapshot rows. An owner's objectives all belong to
# one unit (its own, its person's or its project's); public ones are in bucket 0, private ones
# in one other bucket (1 for a person or unit, 2 for a project). Bucket 0 counts the owner
# once at its public count; its private bucket moves it to its full count (-1 at the public
# count, +1 at the full one). A reader of bucket 0 alone sees the public histogram; a reader of
# both (a lead of the unit, an admin) the full one; `facts` corrects for the few owners whose
# private objectives a reader sees otherwise (`Viewer.extra`).

OwnerId = tuple[str, int]  # (owner kind, owner id)


def owner_name(kind: str, team: bool, count: int) -> str:
    return f"owners:{kind}:{int(team)}:{count}"


def owner_contributions(
    cycle: Cycle, owners: Iterable[OwnerId] | None = None
) -> Iterator[tuple[int | None, int, Figures]]:
    """Yield (unit, bucket, figures) of the owners' histogram (of every owner of the cycle when
    None), from their stored snapshot rows, one query (by the owner index when given)."""
    return owner_figures(owner_counts(cycle, owners))


def owner_counts(
    cycle: Cycle, owners: Iterable[OwnerId] | None = None
) -> dict[OwnerGroup, Counter[int]]:
    """Count the owners' stored objectives per bucket (every owner of the cycle when None),
    one query (by the owner index when given)."""
    rows = ObjectiveSnapshot.objects.filter(cycle=cycle).exclude(owner_kind="")
    counted: dict[OwnerGroup, Counter[int]] = defaultdict(Counter)
    if owners is not None:
        by_kind: dict[str, set[int]] = defaultdict(set)
        for kind, key in owners:
            by_kind[kind].add(key)
        if not by_kind:
            return counted
        wanted = Q()
        for kind, keys in by_kind.items():
            wanted |= Q(among("owner_key", sorted(keys)), owner_kind=kind)
        rows = rows.filter(wanted)
    for kind, key, team, unit_id, bucket, count in (
        rows.order_by()
        .values_list("owner_kind", "owner_key", "owner_team", "unit_id", "bucket")
        .annotate(count=Count("id"))
    ):
        counted[(kind, key, team, unit_id)][bucket] += count
    return counted


def owned_rows(rows: Iterable[dict[str, Any]]) -> Iterator[tuple[OwnerGroup, int]]:
    """Yield each objective row's owner group and bucket (rows of `OBJECTIVE_FIELDS` with
    `OWNER_FIELDS`), leaving out rows without an owner, as `owner_counts` does."""
    for row in rows:
        if row["owner_kind"] and row["owner_key"] is not None:
            group = (row["owner_kind"], row["owner_key"], row["owner_team"], row["unit_id"])
            yield group, row["bucket"]


def moved_counts(
    counts: dict[OwnerGroup, Counter[int]],
    removed: Iterable[tuple[OwnerGroup, int]],
    added: Iterable[tuple[OwnerGroup, int]],
) -> dict[OwnerGroup, Counter[int]]:
    """Return the owners' counts once some rows are removed and others added (no query)."""
    moved: dict[OwnerGroup, Counter[int]] = defaultdict(Counter)
    for group, buckets in counts.items():
        moved[group].update(buckets)
    for group, bucket in removed:
        moved[group][bucket] -= 1
    for group, bucket in added:
        moved[group][bucket] += 1
    return moved


def owner_figures(
    counts: dict[OwnerGroup, Counter[int]],
) -> Iterator[tuple[int | None, int, Figures]]:
    """Yield (unit, bucket, figures) of the owners' histogram from their counts per bucket."""
    for (kind, _key, team, unit_id), buckets in counts.items():
        public = buckets.get(PUBLIC, 0)
        if public:
            yield unit_id, PUBLIC, Counter({owner_name(kind, team, public): 1})
        for bucket, private in buckets.items():
            if bucket != PUBLIC and private:
                moved: Figures = Counter({owner_name(kind, team, public + private): 1})
                if public:
                    moved[owner_name(kind, team, public)] -= 1
                yield unit_id, bucket, moved


def owner_histogram(figures: Figures) -> dict[tuple[str, bool, int], int]:
    """Return how many owners in view hold each number of objectives, by kind and team."""
    found: dict[tuple[str, bool, int], int] = {}
    for name, value in figures.items():
        if name.startswith("owners:") and round(value):
            _, kind, team, count = name.split(":")
            found[(kind, team == "1", int(count))] = round(value)
    return found


# --- the unit tree -------------------------------------------------------------------------


@dataclass
class Tree:
    """The org chart, as ids: each unit's ancestors (itself included) and its path."""

    paths: dict[int, str]
    parents: dict[int, int | None]
    depths: dict[int, int]

    @classmethod
    def load(cls) -> Tree:
        paths, parents, depths = {}, {}, {}
        for pk, path, parent_id, depth in OrgUnit.objects.values_list(
            "pk", "path", "parent_id", "depth"
        ):
            paths[pk], parents[pk], depths[pk] = path, parent_id, depth
        return cls(paths, parents, depths)

    def ancestors(self, unit_id: int | None) -> list[int | None]:
        """Return the rows an objective of this unit counts in: the unit and those above."""
        if unit_id is None or unit_id not in self.paths:
            return [None]
        found: list[int | None] = []
        current: int | None = unit_id
        while current is not None and current not in found:
            found.append(current)
            current = self.parents.get(current)
        return found

    def roots(self) -> list[int]:
        return [pk for pk, depth in self.depths.items() if depth == 0]

    def below(self, unit_id: int) -> list[int]:
        """Return the unit and every unit below it."""
        path = self.paths[unit_id]
        return [pk for pk, other in self.paths.items() if other.startswith(path)]

    def prefetch(self, unit_ids: Iterable[int | None]) -> None:
        """Make sure the given units are known (a loaded tree knows every unit)."""

    def know_roots(self, units: Iterable[OrgUnit]) -> None:
        """Learn the top units from units a page has already read (a loaded tree knows them)."""

    def know(self, units: Iterable[OrgUnit]) -> None:
        """Learn the paths of units a page has already read (a loaded tree knows them)."""


class ReadingTree(Tree):
    """The org chart as a page reads it: the top units, and the paths of the few units asked
    for (a unit's path lists its ancestors), in a query or two, never every unit."""

    def __init__(self) -> None:
        super().__init__({}, {}, {})
        self._roots: list[int] | None = None

    def roots(self) -> list[int]:
        if self._roots is None:
            self._roots = list(OrgUnit.objects.filter(depth=0).values_list("pk", flat=True))
        return self._roots

    def know_roots(self, units: Iterable[OrgUnit]) -> None:
        """Take the top units from units a page has already read, every top unit among them
        (the review reads the company and its departments): no query for them later."""
        if self._roots is None:
            self._roots = [unit.pk for unit in units if unit.depth == 0]

    def know(self, units: Iterable[OrgUnit]) -> None:
        """Take the paths of units a page has already read: no query for them later (the unit
        page's unit is most often the top of what its reader leads)."""
        self.paths.update((unit.pk, unit.path) for unit in units)

    def prefetch(self, unit_ids: Iterable[int | None]) -> None:
        missing = {pk for pk in unit_ids if pk is not None and pk not in self.paths}
        if missing:
            found = OrgUnit.objects.filter(pk__in=sorted(missing)).values_list("pk", "path")
            self.paths.update(dict(found))

    def ancestors(self, unit_id: int | None) -> list[int | None]:
        self.prefetch([unit_id])
        if unit_id is None or unit_id not in self.paths:
            return [None]
        return [int(part) for part in reversed(self.paths[unit_id].strip("/").split("/"))]

    def below(self, unit_id: int) -> list[int]:
        self.prefetch([unit_id])
        path = self.paths[unit_id]
        return list(OrgUnit.objects.filter(path__startswith=path).values_list("pk", flat=True))


def spread(items: Iterable[tuple[int | None, int, Figures]], tree: Tree) -> dict[Key, Figures]:
    """Add each contribution to every unit above it, per bucket (summed per unit first, so
    that each unit's sum, not each objective, climbs the tree)."""
    own: dict[Key, Figures] = defaultdict(Counter)
    for unit_id, bucket, figures in items:
        own[(unit_id, bucket)].update(figures)
    sums: dict[Key, Figures] = defaultdict(Counter)
    for (unit_id, bucket), figures in own.items():
        for ancestor in tree.ancestors(unit_id):
            sums[(ancestor, bucket)].update(figures)
    return sums


def cleaned(figures: dict[str, float]) -> dict[str, float]:
    """Drop the figures that add up to nothing (a count back at zero, rounding dust)."""
    return {
        name: (round(value) if float(value).is_integer() else value)
        for name, value in figures.items()
        if abs(value) > EPSILON
    }


# --- writing -------------------------------------------------------------------------------


def rebuild(cycle: Cycle, tree: Tree | None = None) -> None:
    """Recompute a cycle's totals from its stored snapshot rows (call under the refresh lock)."""
    tree = tree or Tree.load()
    ids = ObjectiveSnapshot.objects.filter(cycle=cycle).values_list("objective_id", flat=True)
    sums: dict[Key, Figures] = defaultdict(Counter)
    for chunk in chunked(ids.order_by("objective_id").iterator(chunk_size=CHUNK), CHUNK):
        for key, figures in spread(contributions(cycle, chunk), tree).items():
            sums[key].update(figures)
    for key, figures in spread(owner_contributions(cycle), tree).items():
        sums[key].update(figures)
    write_totals(cycle, sums)


class TotalRow(NamedTuple):
    """An `InsightTotal` row to write, its columns in the model's order (checked on writing)."""

    cycle_id: int
    unit_id: int | None
    bucket: int
    figures: dict[str, float]


def write_total_rows(rows: list[TotalRow]) -> None:
    write_tuples(InsightTotal, TotalRow._fields, rows)


def write_totals(cycle: Cycle, sums: dict[Key, Figures]) -> None:
    """Replace a cycle's objective totals by these sums (call under the refresh lock)."""
    InsightTotal.objects.filter(cycle=cycle).delete()
    write_total_rows(
        [
            TotalRow(cycle.pk, unit_id, bucket, cleaned(figures))
            for (unit_id, bucket), figures in sums.items()
        ]
    )


def chunked(items: Iterable[int], size: int) -> Iterator[list[int]]:
    chunk: list[int] = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def apply_change(
    cycle: Cycle,
    before: list[tuple[int | None, int, Figures]],
    after: list[tuple[int | None, int, Figures]],
    tree: Tree | None = None,
) -> None:
    """Replace some objectives' old contributions by their new ones (call under the lock)."""
    tree = tree or Tree.load()
    delta: dict[Key, Figures] = defaultdict(Counter)
    for key, figures in spread(after, tree).items():
        delta[key].update(figures)
    for key, figures in spread(before, tree).items():
        delta[key].subtract(figures)
    delta = {key: figures for key, figures in delta.items() if any(figures.values())}
    if not delta:
        return
    # The rows of the units concerned, by one list of ids (not a condition per unit and
    # bucket: a refresh after 1,000 check-ins moves most of the cycle's totals).
    units = {unit_id for unit_id, _bucket in delta}
    wanted = Q(among("unit_id", sorted(unit_id for unit_id in units if unit_id is not None)))
    if None in units:
        wanted |= Q(unit_id__isnull=True)
    rows: dict[Key, tuple[int, dict[str, float]]] = {}
    for pk, unit_id, bucket, stored in (
        InsightTotal.objects.filter(cycle=cycle)
        .filter(wanted)
        .values_list("pk", "unit_id", "bucket", "figures")
    ):
        if (unit_id, bucket) in delta:
            rows[(unit_id, bucket)] = (pk, stored)
    changed: list[InsightTotal] = []
    written: list[TotalRow] = []
    for (unit_id, bucket), figures in delta.items():
        found = rows.get((unit_id, bucket))
        if found is None:
            written.append(TotalRow(cycle.pk, unit_id, bucket, cleaned(figures)))
            continue
        pk, stored = found
        total = Counter(stored)
        total.update(figures)
        changed.append(
            InsightTotal(pk=pk, cycle=cycle, unit_id=unit_id, bucket=bucket, figures=cleaned(total))
        )
    if len(changed) <= REWRITE_FROM:
        InsightTotal.objects.bulk_update(changed, ["figures"], batch_size=500)
    else:
        # Most of the cycle's totals (a refresh after 1,000 check-ins): derived rows under the
        # refresh lock, deleted and written again rather than updated by one CASE per row.
        for chunk in chunked([row.pk for row in changed], CHUNK):
            InsightTotal.objects.filter(among("pk", chunk)).delete()
        written += [TotalRow(cycle.pk, row.unit_id, row.bucket, row.figures) for row in changed]
    write_total_rows(written)


# --- reading, for one reader -------------------------------------------------------------


@dataclass
class Viewer:
    """What one reader may see of a cycle, in the terms of the stored totals."""

    sees_all: bool = False
    sees_nothing: bool = False
    led: frozenset[int] = frozenset()  # units they lead, with every unit below
    extra: frozenset[int] = frozenset()  # private objectives they see outside `led`
    led_query: Any = None  # `led` as a subquery on the units' paths (short SQL for a company)
    tops: frozenset[int] | None = None  # the units at the top of `led`, when known
    extra_owners: frozenset[OwnerId] = frozenset()  # who owns the `extra` objectives
    # The paths of the units they lead (`led_query` selects those units and every unit below).
    led_paths: tuple[str, ...] | None = None

    def rows(self) -> Q:
        """Return the filter of the snapshot rows (objective or risk) this reader may see."""
        shape = self.shape()
        if shape is not None:
            return rows_of(*shape)
        seen = Q(bucket=PUBLIC) | Q(objective_id__in=sorted(self.extra))
        led = self.led_query if self.led_query is not None else sorted(self.led)
        return seen | Q(bucket=PRIVATE_OWNED, unit_id__in=led)

    def shape(self) -> tuple[tuple[str], tuple[Any, ...]] | None:
        """Return the form of `rows`' filter and the values it compares with (ids, the led
        units' paths): `rows_of` builds it from them, so that a statement filtering on it is
        compiled once per form (`compiled_reads.formed_rows`). None when the led units are
        known only as a subquery."""
        if self.sees_all:
            return ("all",), ()
        if self.sees_nothing:
            return ("nothing",), ()
        extra = tuple(sorted(self.extra))
        if not self.led:
            return ("public",), (extra,)
        if self.led_query is None:
            return ("led ids",), (extra, tuple(sorted(self.led)))
        if self.led_paths is None:
            return None
        return ("led paths",), (extra, *self.led_paths)

    def led_tops(self, tree: Tree) -> list[int]:
        """Return the units at the top of what this reader leads."""
        if self.tops is not None:
            return sorted(self.tops)
        return [pk for pk in self.led if tree.parents.get(pk) not in self.led]


def rows_of(form: tuple[str], values: Sequence[Any]) -> Q:
    """Return the filter of the snapshot rows a reader may see (`Viewer.shape`)."""
    if form[0] == "all":
        return Q()
    if form[0] == "nothing":
        return Q(pk__in=[])
    if form[0] == "led subtree":
        # Rows of a subtree of units they lead (`Scope.shape`): all of theirs but projects'.
        return Q(bucket__in=(PUBLIC, PRIVATE_OWNED)) | Q(objective_id__in=list(values[0]))
    seen = Q(bucket=PUBLIC) | Q(objective_id__in=list(values[0]))
    if form[0] == "led ids":
        seen |= Q(bucket=PRIVATE_OWNED, unit_id__in=list(values[1]))
    elif form[0] == "led paths":
        # The units they lead with every unit below, as a subquery (`Access.led_units_query`).
        led = Q(pk__in=[])
        for path in values[1:]:
            led |= Q(path__startswith=path)
        seen |= Q(bucket=PRIVATE_OWNED, unit_id__in=OrgUnit.objects.filter(led).values("pk"))
    return seen


def private_snapshots(values: list[Any]) -> QuerySet[Any]:
    """The snapshots of the private objectives of a cycle (`values[0]`) a person (`values[1]`)
    sees otherwise than by leading their unit: their own, those they co-own (whole or by a key
    result, as `Access.co_owned_objectives_filter`), those of their projects (`values[2]`) and
    of their reports outside the units they lead (`values[3]`)."""
    from okrflow.okrs.models import CoOwner, Objective

    cycle, person, projects, reports = values
    mine = CoOwner.objects.filter(person_id=person)
    # Each way of seeing one is its own indexed read, their ids joined by UNION ALL: as one
    # OR of subqueries, PostgreSQL reads every private objective of the cycle to test each
    # (1,956 at 10,000 people: 0.8 ms of every insights page, growing with the company).
    owned = Objective.objects.filter(owner_person_id=person)
    if reports:
        owned = Objective.objects.filter(owner_person_id__in=[person, *reports])
    ways = [
        mine.filter(objective__isnull=False).values("objective_id").order_by(),
        mine.filter(key_result__isnull=False).values("key_result__objective_id").order_by(),
    ]
    if projects:
        ways.append(Objective.objects.filter(owner_project_id__in=projects).values("pk").order_by())
    seen = owned.values("pk").order_by().union(*ways, all=True)
    private = Objective.objects.filter(cycle=cycle, is_private=True, pk__in=seen).values("pk")
    # By objective alone (`private` is already the cycle's): with a `cycle=` condition too, a
    # SQLite without statistics reads every snapshot of the cycle by its cycle index.
    return ObjectiveSnapshot.objects.filter(objective_id__in=private).values_list(
        "objective_id", "unit_id", "bucket", "owner_kind", "owner_key"
    )


def viewer_for(user: Any, cycle: Cycle) -> Viewer:
    """Work out what a user may see of a cycle's stored insights (a few small queries)."""
    from okrflow.org.access import access_for

    access = access_for(user)
    if not access.is_member:
        return Viewer(sees_nothing=True)
    if access.is_admin:
        return Viewer(sees_all=True)
    person = access.person
    led = frozenset(access.led_unit_ids)
    if person is None:
        return Viewer(led=led)
    # Private objectives seen otherwise than by leading their unit (see the module's rules),
    # read by a statement compiled once per form (`compiled_reads.formed_values`).
    projects = tuple(sorted(access.member_project_ids))
    reports = tuple(sorted(access.reports_outside_led_units))
    rows = [
        (objective_id, kind, key)
        for objective_id, unit_id, bucket, kind, key in formed_values(
            "private objectives seen",
            (bool(projects), bool(reports)),
            private_snapshots,
            ObjectiveSnapshot.objects.db,
            (cycle.pk, person.pk, projects, reports),
        )
        if not (bucket == PRIVATE_OWNED and unit_id in led)
    ]
    return Viewer(
        led=led,
        extra=frozenset(objective_id for objective_id, _, _ in rows),
        extra_owners=frozenset((kind, key) for _, kind, key in rows if kind and key is not None),
        led_query=access.led_units_query() if led else None,
        tops=access.led_top_unit_ids,
        led_paths=tuple(access.led_unit_paths.values()) if led else None,
    )


@dataclass
class Totals:
    """The figures a reader may see, per unit subtree shown (None: outside every unit)."""

    by_unit: dict[int | None, Figures] = field(default_factory=dict)

    def of(self, unit_id: int | None) -> Figures:
        return self.by_unit.get(unit_id, Counter())

    def everything(self, tree: Tree) -> Figures:
        """Return the whole organisation's figures: every top unit and what is outside units."""
        total: Figures = Counter()
        for unit_id in [*tree.roots(), None]:
            total.update(self.of(unit_id))
        return total


def read_totals(cycle: Cycle, viewer: Viewer, unit_ids: Iterable[int | None], tree: Tree) -> Totals:
    """Return what the reader may see of each given unit's subtree, in two or three queries."""
    wanted = list(dict.fromkeys(unit_ids))
    result = Totals({unit_id: Counter() for unit_id in wanted})
    if viewer.sees_nothing or not wanted:
        return result
    extras = list(contributions(cycle, viewer.extra)) if viewer.extra else []
    tree.prefetch(
        [*(viewer.led_tops(tree) if not viewer.sees_all else []), *(u for u, _, _ in extras)]
    )
    tops = [] if viewer.sees_all else viewer.led_tops(tree)
    form = (viewer.sees_all, None in wanted)
    # Both lists of units in one order: PostgreSQL plans the statement 7× faster when the
    # units of the public rows and of the private ones are the same list (a lead's page).
    values: tuple[Any, ...] = (cycle.pk, tuple(sorted(pk for pk in wanted if pk is not None)))
    if not viewer.sees_all:
        values += (tuple(sorted({*tops, *(set(wanted) & viewer.led)})),)
    # Compiled once per form (`compiled_reads.formed_values`): the units' number and kind.
    found = formed_values(
        "stored totals",
        form,
        lambda shaped: totals_rows(form, shaped),
        InsightTotal.objects.db,
        values,
    )
    for unit_id, bucket, figures in found:
        if viewer.sees_all or bucket == PUBLIC:
            if unit_id in result.by_unit:
                result.by_unit[unit_id].update(figures)
            continue
        # A private row of a unit they lead: it counts for that unit (when shown) and, for a
        # top of their led units, for every shown unit above it that they do not lead.
        if unit_id in viewer.led and unit_id in result.by_unit:
            result.by_unit[unit_id].update(figures)
        if unit_id in tops:
            for ancestor in tree.ancestors(unit_id)[1:]:
                if ancestor in result.by_unit and ancestor not in viewer.led:
                    result.by_unit[ancestor].update(figures)
    if extras:
        for unit_id, _bucket, figures in extras:
            for ancestor in tree.ancestors(unit_id):
                if ancestor in result.by_unit:
                    result.by_unit[ancestor].update(figures)
    return result


def totals_rows(form: tuple[bool, bool], values: list[Any]) -> QuerySet[Any]:
    """The stored totals `read_totals` reads: of the units `values[1]` (and of what is outside
    units when `form[1]`), public ones unless the reader sees all, and the private ones of the
    units `values[2]` (the units they lead among them and the tops of those they lead)."""
    sees_all, outside = form
    query = Q(unit_id__in=values[1])
    if outside:
        query |= Q(unit__isnull=True)
    if not sees_all:
        query = (query & Q(bucket=PUBLIC)) | Q(bucket=PRIVATE_OWNED, unit_id__in=values[2])
    return (
        InsightTotal.objects.filter(cycle=values[0])
        .filter(query)
        .values_list("unit_id", "bucket", "figures")
    )


# --- figures the pages show ----------------------------------------------------------------


def risk_counts(figures: Figures, severity: str = "") -> dict[str, int]:
    """Count the risks by kind (of one severity when given), kinds without risks left out."""
    counts: Counter[str] = Counter()
    for name, value in figures.items():
        if name.startswith("risk:"):
            _, kind, level = name.split(":")
            if not severity or level == severity:
                counts[kind] += round(value)
    return {kind: count for kind, count in counts.items() if count}


def statuses(figures: Figures) -> dict[str, int]:
    return {status.value: round(figures.get(f"status:{status.value}", 0)) for status in Status}


def outlooks(figures: Figures) -> dict[str, int]:
    return {
        name.split(":", 1)[1]: round(value)
        for name, value in figures.items()
        if name.startswith("outlook:") and round(value)
    }


def count(figures: Figures, name: str) -> int:
    return round(figures.get(name, 0))


def kinds() -> list[str]:
    return [kind.value for kind in RiskKind]
