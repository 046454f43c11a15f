"""Check-in compliance for the dashboards, from stored standings and totals.

Judging every person's weeks on every dashboard view (and finding everyone's check-in key
results by a query over the whole cycle) grows with the organisation. A check-in's
timeliness never changes once submitted (on time or late against its due moment), so each
person's weeks are judged once, when a refresh or a change reaches them, and stored in a
`CheckinStanding`; the standings are summed per unit subtree into the `InsightTotal` rows of
bucket `PEOPLE` (compliance concerns people, not objectives: no visibility buckets). What
depends on the clock — which weeks are missed by now — is worked out when a page reads:

* missed = for each week whose due moment has passed, the people expected minus those who
  checked in that week;
* "missed the last week" = the people expected whose latest check-in is older than the last
  week due (their latest judged week is then a missed one), counted, and a few of them named
  (the first by person id, through an index; the page sorts them by name).

The figures equal `okrflow.checkins.compliance.compliance_totals` (tested).
"""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import Q, QuerySet

from okrflow.compiled_reads import formed_values
from okrflow.cycles.models import Cycle
from okrflow.insights import totals
from okrflow.insights.models import CheckinStanding, InsightTotal
from okrflow.library.bulk_insert import insert
from okrflow.listed import among
from okrflow.org.models import OrgUnit, Person

if TYPE_CHECKING:  # snapshots imports this module
    from okrflow.insights.snapshots import TotalsChange

PEOPLE = 9  # the totals bucket of check-in standings
NAMES_SHOWN = 6


def standing_figures(standing: CheckinStanding) -> totals.Figures:
    """Return one expected person's share of the compliance totals (nothing when not expected)."""
    return figures_of(standing.key_results, standing.marks, standing.last_week)


def figures_of(
    key_results: int, marks: dict[str, str], last_week: datetime.date | None
) -> totals.Figures:
    """`standing_figures` from a standing's columns."""
    if not key_results:
        return Counter()
    figures: totals.Figures = Counter({"people": 1})
    for week, mark in marks.items():
        figures[f"week:{week}:{mark}"] += 1
    figures[f"last:{last_week.isoformat() if last_week else 'none'}"] += 1
    return figures


def cycle_key_result_counts(cycle: Cycle) -> dict[int, int]:
    """Count everyone's check-in key results of the cycle in one pass over its key results.

    The same counts as `checkins.scope.key_result_counts` (a key result counts once for each
    of its owner, its objective's owner person, the lead of its objective's unit or project,
    and the co-owners of either), without its lookup per person: asked for a thousand people
    at a time, that lookup read the cycle's key results again for each thousand.
    """
    from okrflow.okrs.models import CoOwner, KeyResult, ObjectiveState

    live = (
        KeyResult.objects.filter(objective__cycle=cycle, is_archived=False)
        .exclude(objective__state=ObjectiveState.ARCHIVED)
        .order_by()
    )
    of_key_result: dict[int, set[int]] = {}
    of_objective: dict[int, set[int]] = {}
    for person_id, objective_id, key_result_id in CoOwner.objects.filter(
        Q(key_result__objective__cycle=cycle) | Q(objective__cycle=cycle)
    ).values_list("person_id", "objective_id", "key_result_id"):
        if key_result_id:
            of_key_result.setdefault(key_result_id, set()).add(person_id)
        if objective_id:
            of_objective.setdefault(objective_id, set()).add(person_id)
    counts: Counter[int] = Counter()
    rows = live.values_list(
        "pk",
        "objective_id",
        "owner_id",
        "objective__owner_person_id",
        "objective__owner_unit__lead_id",
        "objective__owner_project__lead_id",
    )
    for kr_id, objective_id, *fixed in rows.iterator(chunk_size=5000):
        people = {person_id for person_id in fixed if person_id}
        people |= of_key_result.get(kr_id, set()) | of_objective.get(objective_id, set())
        counts.update(people)
    return counts


PERSON_RULES = (
    "owner_id",
    "objective__owner_person_id",
    "objective__owner_unit__lead_id",
    "objective__owner_project__lead_id",
    "coowners__person_id",
    "objective__coowners__person_id",
)


def people_key_result_counts(cycle: Cycle, person_ids: list[int]) -> dict[int, int]:
    """Count these people's check-in key results of the cycle (the counts of
    `cycle_key_result_counts`) in one query of six indexed lookups, one per rule that ties a
    person to a key result (see `checkins.scope.key_result_ids`), each giving (person, key
    result): what an incremental refresh of a thousand people reads, not the whole cycle."""
    from okrflow.okrs.models import KeyResult, ObjectiveState

    if not person_ids:
        return {}
    live = (
        KeyResult.objects.filter(objective__cycle=cycle, is_archived=False)
        .exclude(objective__state=ObjectiveState.ARCHIVED)
        .order_by()
    )
    lookups = [
        live.filter(**{f"{rule}__in": person_ids}).values_list(rule, "pk") for rule in PERSON_RULES
    ]
    pairs = set(lookups[0].union(*lookups[1:], all=True))
    counts: Counter[int] = Counter(person_id for person_id, _kr_id in pairs)
    return dict(counts)


def compute_standings(
    cycle: Cycle, person_ids: list[int], counts: dict[int, int] | None = None
) -> list[CheckinStanding]:
    """Judge these people's check-ins of the cycle (three queries; two with `counts`, each
    person's check-in key results counted beforehand)."""
    from okrflow.checkins.compliance import first_submissions
    from okrflow.checkins.schedule import weeks_of
    from okrflow.checkins.scope import FEW_PEOPLE, key_result_counts
    from okrflow.engine.cadence import Timeliness, judge_week

    if not person_ids:
        return []
    weeks = weeks_of(cycle)
    if counts is None:
        # A few people by the indexed lookups; many by one pass over the cycle.
        few = len(person_ids) <= FEW_PEOPLE
        counts = key_result_counts(cycle, person_ids) if few else cycle_key_result_counts(cycle)
    submitted = first_submissions(cycle, person_ids)
    units = dict(Person.objects.filter(among("pk", person_ids)).values_list("pk", "unit_id"))
    standings = []
    for person_id in person_ids:
        if person_id not in units:
            continue  # gone meanwhile
        marks: dict[str, str] = {}
        for week in weeks:
            at = submitted.get((person_id, week.start))
            if at is None:
                continue
            mark = judge_week(week, at, at, cycle.checkin_hour, cycle.time_zone)
            marks[week.start.isoformat()] = "on" if mark == Timeliness.ON_TIME else "late"
        standings.append(
            CheckinStanding(
                cycle=cycle,
                person_id=person_id,
                unit_id=units[person_id],
                key_results=counts.get(person_id, 0),
                marks=marks,
                last_week=max((datetime.date.fromisoformat(w) for w in marks), default=None),
            )
        )
    return standings


def write_standings(standings: list[CheckinStanding]) -> None:
    """Store new standings (nothing reads their ids back): by COPY on PostgreSQL, else by
    multi-row inserts."""
    insert(CheckinStanding, standings, 500, ids=False, copy_batch=5000)


def spread(standings: Iterable[CheckinStanding], tree: totals.Tree) -> Iterator[Any]:
    for standing in standings:
        yield standing.unit_id, PEOPLE, standing_figures(standing)


def rebuild_standings(cycle: Cycle, tree: totals.Tree) -> None:
    """Judge everyone's check-ins of the cycle; rewrite their standings and totals."""
    store_standings(cycle, judge_everyone(cycle), tree)


def judge_everyone(cycle: Cycle) -> list[CheckinStanding]:
    """Judge everyone's check-ins of the cycle, a chunk of people at a time; only reads (a
    worker process of the full refresh computes it while others compute objectives)."""
    counts = cycle_key_result_counts(cycle)
    judged: list[CheckinStanding] = []
    ids = list(Person.objects.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), totals.CHUNK):
        judged += compute_standings(cycle, ids[start : start + totals.CHUNK], counts)
    return judged


def store_standings(cycle: Cycle, judged: list[CheckinStanding], tree: totals.Tree) -> None:
    """Replace the cycle's standings and their totals by these (under the refresh lock)."""
    CheckinStanding.objects.filter(cycle=cycle).delete()
    InsightTotal.objects.filter(cycle=cycle, bucket=PEOPLE).delete()
    write_standings(judged)
    sums = totals.spread(spread(judged, tree), tree)
    InsightTotal.objects.bulk_create(
        [
            InsightTotal(cycle=cycle, unit_id=unit_id, bucket=bucket, figures=totals.cleaned(f))
            for (unit_id, bucket), f in sums.items()
        ],
        batch_size=500,
    )


# A standing as stored, its columns: (unit, key results, marks, latest week).
Columns = tuple[int | None, int, dict[str, str], datetime.date | None]


def update_standings(
    cycle: Cycle,
    person_ids: set[int],
    tree: totals.Tree | None = None,
    recount: set[int] | None = None,
    change: TotalsChange | None = None,
) -> None:
    """Re-judge some people's check-ins and move the totals by the difference (under the lock).

    `recount` holds the people whose check-in key results changes may have moved (everyone's
    when None): the others keep their stored count (a check-in or a new value moves nobody's),
    so after 1,000 check-ins no key result is counted. Only the standings that changed are
    written again; with `change` (a `snapshots.TotalsChange`) the totals' difference joins the
    objectives' (one pass over the totals rows), else it is applied here.
    """
    from okrflow.checkins.scope import FEW_PEOPLE, key_result_counts

    tree = tree or totals.Tree.load()
    ids = sorted(person_ids)
    before: list[tuple[int | None, int, totals.Figures]] = []
    after: list[tuple[int | None, int, totals.Figures]] = []
    for start in range(0, len(ids), totals.CHUNK):
        chunk = ids[start : start + totals.CHUNK]
        old: dict[int, Columns] = {
            person_id: (unit_id, key_results, marks, last_week)
            for person_id, unit_id, key_results, marks, last_week in CheckinStanding.objects.filter(
                among("person_id", chunk), cycle=cycle
            ).values_list("person_id", "unit_id", "key_results", "marks", "last_week")
        }
        counted = [pk for pk in chunk if pk not in old or recount is None or pk in recount]
        counts = {pk: old[pk][1] for pk in chunk if pk in old}
        if counted:
            # Many people: their key results by the indexed lookups, not by a pass over the cycle.
            many = len(counted) > FEW_PEOPLE
            found = (
                people_key_result_counts(cycle, counted)
                if many
                else key_result_counts(cycle, counted)
            )
            counts.update({pk: found.get(pk, 0) for pk in counted})
        judged = compute_standings(cycle, chunk, counts)
        new = [
            standing
            for standing in judged
            if old.get(standing.person_id)
            != (standing.unit_id, standing.key_results, standing.marks, standing.last_week)
        ]
        present = {standing.person_id for standing in judged}
        gone = [pk for pk in old if pk not in present]  # deleted meanwhile
        moved = sorted({standing.person_id for standing in new} & set(old)) + gone
        if moved:
            CheckinStanding.objects.filter(among("person_id", moved), cycle=cycle).delete()
        write_standings(new)
        before += [(old[pk][0], PEOPLE, figures_of(*old[pk][1:])) for pk in moved]
        after += list(spread(new, tree))
    if change is not None:
        change.add(before, after)
    else:
        totals.apply_change(cycle, before, after, tree)


def people_of_entries(entries: list[Any]) -> set[int]:
    """Return the people whose check-in standing audited changes may have moved.

    Their check-ins, and everyone named as an owner, lead or co-owner before or after a
    change to an objective, key result or co-owner (their check-in's key results moved).
    """
    from okrflow.checkins.models import CheckIn
    from okrflow.okrs.models import KeyResult, Objective
    from okrflow.org.models import Project

    checkins: set[int] = set()
    people: set[int] = set()
    units: set[int] = set()
    projects: set[int] = set()
    objectives: set[int] = set()
    key_results: set[int] = set()
    for entry in entries:
        if entry.object_type == "checkin":
            checkins.add(entry.object_id)
            continue
        if entry.object_type == "objective":
            objectives.add(entry.object_id)
        if entry.object_type == "keyresult":
            key_results.add(entry.object_id)
        for data in (entry.before or {}, entry.after or {}):
            for name in ("owner", "owner_person", "person", "lead"):
                if isinstance(data.get(name), int):
                    people.add(data[name])
            if isinstance(data.get("owner_unit"), int):
                units.add(data["owner_unit"])
            if isinstance(data.get("owner_project"), int):
                projects.add(data["owner_project"])
            if isinstance(data.get("objective"), int):
                objectives.add(data["objective"])
    people |= set(CheckIn.objects.filter(pk__in=checkins).values_list("person_id", flat=True))
    objective_rows = Objective.objects.filter(
        Q(pk__in=objectives)
        | Q(pk__in=KeyResult.objects.filter(pk__in=key_results).values("objective_id"))
    ).values_list("pk", "owner_person_id", "owner_unit_id", "owner_project_id")
    ids = set()
    for pk, person_id, unit_id, project_id in objective_rows:
        ids.add(pk)
        people |= {person_id} if person_id else set()
        units |= {unit_id} if unit_id else set()
        projects |= {project_id} if project_id else set()
    people |= set(
        KeyResult.objects.filter(Q(objective_id__in=ids) | Q(pk__in=key_results)).values_list(
            "owner_id", flat=True
        )
    )
    people |= set(OrgUnit.objects.filter(pk__in=units).values_list("lead_id", flat=True))
    people |= set(Project.objects.filter(pk__in=projects).values_list("lead_id", flat=True))
    from okrflow.okrs.models import CoOwner

    people |= set(
        CoOwner.objects.filter(
            Q(objective_id__in=ids) | Q(key_result__objective_id__in=ids)
        ).values_list("person_id", flat=True)
    )
    return {pk for pk in people if pk}


@dataclass
class StoredCompliance:
    """A unit's compliance from the stored totals, as `ComplianceTotals` counts it."""

    people: int
    on_time: int
    late: int
    missed: int
    missed_last: list[int]  # the first few, by person id
    missed_last_count: int

    @property
    def due(self) -> int:
        return self.on_time + self.late + self.missed

    @property
    def rate(self) -> float | None:
        return None if self.due == 0 else self.on_time / self.due


def people_totals(values: list[Any], outside: bool) -> QuerySet[Any]:
    """The people's stored totals of a cycle (`values[0]`) for some units (`values[1]`), and
    for the people outside units when `outside`."""
    query = Q(unit_id__in=values[1])
    if outside:
        query |= Q(unit__isnull=True)
    return (
        InsightTotal.objects.filter(cycle=values[0], bucket=PEOPLE)
        .filter(query)
        .values_list("figures")
    )


def missed_since(values: list[Any], due: datetime.date) -> QuerySet[Any]:
    """The first few people of a cycle (`values[0]`) who have not checked in since the week of
    `due`, of the units below a path (`values[1]`) when given."""
    standings = CheckinStanding.objects.filter(cycle=values[0], key_results__gt=0).filter(
        Q(last_week__isnull=True) | Q(last_week__lt=due)
    )
    if len(values) > 1:
        below = OrgUnit.objects.filter(path__startswith=values[1]).values("pk")
        standings = standings.filter(unit_id__in=below)
    # The first few by person, along the (cycle, person) index: sorting everyone who missed by
    # name would read them all. The page sorts these few by name.
    return standings.order_by("person_id").values_list("person_id")[:NAMES_SHOWN]


def stored_compliance(
    cycle: Cycle, unit: OrgUnit | None, now: datetime.datetime, tree: totals.Tree
) -> StoredCompliance:
    """Read a unit's compliance (everyone's when None): one totals query, one for names."""
    from okrflow.checkins.schedule import weeks_of
    from okrflow.engine.cadence import due_moment

    wanted: list[int | None] = [unit.pk] if unit else [*tree.roots(), None]
    figures: totals.Figures = Counter()
    # Compiled once per number of units (`compiled_reads.formed_values`).
    for (found,) in formed_values(
        "people totals",
        None in wanted,
        lambda shaped: people_totals(shaped, None in wanted),
        InsightTotal.objects.db,
        (cycle.pk, tuple(sorted(pk for pk in wanted if pk is not None))),
    ):
        figures.update(found)
    people = totals.count(figures, "people")
    on_time = late = missed = 0
    last_due: datetime.date | None = None
    for week in weeks_of(cycle):
        start = week.start.isoformat()
        on = totals.count(figures, f"week:{start}:on")
        behind = totals.count(figures, f"week:{start}:late")
        on_time += on
        late += behind
        if week.due is not None and now > due_moment(week.due, cycle.checkin_hour, cycle.time_zone):
            missed += people - on - behind
            last_due = week.start
    missed_last_count = 0
    names: list[int] = []
    if last_due is not None:
        for name, value in figures.items():
            if name.startswith("last:"):
                when = name.split(":", 1)[1]
                if when == "none" or datetime.date.fromisoformat(when) < last_due:
                    missed_last_count += round(value)
        if missed_last_count:
            # Compiled once per week and kind of scope (`compiled_reads.formed_values`).
            due = last_due
            names = [
                person_id
                for (person_id,) in formed_values(
                    "missed last week",
                    (due, unit is not None, NAMES_SHOWN),
                    lambda shaped: missed_since(shaped, due),
                    CheckinStanding.objects.db,
                    (cycle.pk,) if unit is None else (cycle.pk, unit.path),
                )
            ]
    return StoredCompliance(people, on_time, late, missed, names, missed_last_count)
