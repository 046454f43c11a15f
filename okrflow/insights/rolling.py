"""Roll a few objectives' progress up from their children's stored figures.

When the organisation counts aligned children in their parents' progress
(`include_children_in_progress`), an objective is measured from its whole subtree. A change to a
few objectives moves only them and the objectives above them: each of those is measured again
from its own key results and its direct children, a child nothing touched counting with its
stored figures, a touched one with the figures just measured (bottom-up). The result is what
`okrs.measure.measure_objectives` gives when it measures the whole cycle: the same children (the
cycle's live objectives, and the public, live ones of nested cycles found from them:
`children_in_nested_cycles`), weights, order of the parts, has-data (an objective has data when
a key result of its own or a child has) and status.
"""

from __future__ import annotations

import copy
import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from okrflow.cycles.models import Cycle
from okrflow.engine import progress as engine
from okrflow.insights.collect import visible_objectives
from okrflow.insights.models import ObjectiveSnapshot
from okrflow.insights.totals import CHUNK
from okrflow.okrs.measure import (
    FIGURE_FIELDS,
    LoadedObjectives,
    ObjectiveReport,
    base_reports,
    key_results_by_objective,
    objective_status,
)
from okrflow.okrs.models import Alignment, Objective, ObjectiveState
from okrflow.org.models import Organisation

Part = tuple[float, Decimal]


class NotStored(Exception):
    """A child left alone has no stored figures to count with: measure the whole cycle."""


@dataclass(frozen=True)
class Rolled:
    """An objective's progress with its children counted, and whether it has data."""

    progress: float
    has_data: bool


@dataclass
class Subtrees:
    """The links below the objectives measured here, as `measure_objectives` counts them."""

    children: dict[int, list[tuple[int, Decimal]]]
    order: dict[int, tuple[bool, int, int]]  # a child's place among its parent's parts
    nested: set[int]  # children in nested cycles: measured here too
    stored: set[int]  # children of the cycle left alone: counted with their stored figures


def own_measures(organisation: Organisation) -> Organisation:
    """A copy of the organisation that measures each objective by its own key results (the
    roll-up is applied afterwards, by `apply`)."""
    alone = copy.copy(organisation)
    alone.include_children_in_progress = False
    return alone


def rolled_up(
    cycle: Cycle, objective_ids: Iterable[int], on: datetime.date, organisation: Organisation
) -> dict[int, Rolled]:
    """Return the rolled-up figures of the given objectives of the cycle (its live ones), as of
    statuses judged on `on`. Every objective whose figures may have moved below them must be
    among them (`live_updates.with_ancestors`). Raise `NotStored` when a child left alone has
    no stored figures. A few queries per level of the alignment below them and per chunk."""
    live = visible_objectives(None, cycle)
    ids: set[int] = set()
    for chunk in chunked(sorted(set(objective_ids))):
        ids |= set(live.filter(pk__in=chunk).values_list("pk", flat=True))
    links = subtrees(cycle, ids)
    thresholds = organisation.status_thresholds()
    parts, with_data = own_parts(ids | links.nested, on, thresholds)
    settled: dict[int, float] = {}
    for chunk in chunked(sorted(links.stored)):
        for pk, progress, status in ObjectiveSnapshot.objects.filter(
            cycle=cycle, objective_id__in=chunk
        ).values_list("objective_id", "progress", "status"):
            settled[pk] = progress
            if status != engine.Status.NO_DATA.value:
                with_data.add(pk)
    if links.stored - settled.keys():
        raise NotStored
    nodes = {
        pk: engine.ObjectiveNode(
            key_results=own,
            children=tuple(
                sorted(links.children.get(pk, []), key=lambda child: links.order[child[0]])
            ),
        )
        for pk, own in parts.items()
    }
    progress = engine.roll_up_progress_from(nodes, settled)
    with_data = with_data_above(with_data, links.children)
    return {pk: Rolled(float(progress[pk]), pk in with_data) for pk in ids}


def subtrees(cycle: Cycle, ids: set[int]) -> Subtrees:
    """Read the links below the objectives, level by level: a live child of the cycle is a part
    (stored when not among them); a public, live child of another cycle is a part measured here,
    and so are its own such children, however deep (`nested_children`)."""
    found = Subtrees(defaultdict(list), {}, set(), set())
    frontier = sorted(ids)
    while frontier:
        below: list[int] = []
        for chunk in chunked(frontier):
            for parent_id, child_id, weight, cycle_id, private, position in (
                Alignment.objects.filter(parent_id__in=chunk)
                .exclude(child__state=ObjectiveState.ARCHIVED)
                .values_list(
                    "parent_id",
                    "child_id",
                    "weight",
                    "child__cycle_id",
                    "child__is_private",
                    "child__position",
                )
            ):
                if cycle_id == cycle.pk:
                    if child_id not in ids:
                        found.stored.add(child_id)
                elif private:
                    continue  # a nested cycle's private objective counts in its own cycle only
                elif child_id not in found.nested:
                    found.nested.add(child_id)
                    below.append(child_id)
                found.children[parent_id].append((child_id, weight))
                # The whole cycle's parts come in its order: the cycle's objectives, then the
                # nested ones, each by position and id.
                found.order[child_id] = (cycle_id != cycle.pk, position, child_id)
        frontier = sorted(below)
    return found


def own_parts(
    ids: set[int], on: datetime.date, thresholds: engine.StatusThresholds
) -> tuple[dict[int, tuple[Part, ...]], set[int]]:
    """Measure the objectives by their own key results: their parts (progress, weight) and
    those with data of their own. Two queries per chunk."""
    parts: dict[int, tuple[Part, ...]] = {}
    with_data: set[int] = set()
    for chunk in chunked(sorted(ids)):
        objectives = list(
            Objective.objects.filter(pk__in=chunk)
            .select_related("cycle")
            .only("id", "kind", "cycle__start_date")
        )
        key_results = key_results_by_objective(chunk, FIGURE_FIELDS)
        loaded = LoadedObjectives(objectives, key_results, defaultdict(list), defaultdict(list))
        reports, nodes = base_reports(loaded, on, thresholds)
        for report in reports:
            pk = report.objective.pk
            parts[pk] = nodes[pk].key_results
            if engine.objective_has_data(kr.status for kr in report.key_results):
                with_data.add(pk)
    return parts, with_data


def with_data_above(
    with_data: set[int], children: dict[int, list[tuple[int, Decimal]]]
) -> set[int]:
    """Add every objective above one with data (along the links read here)."""
    parents: dict[int, list[int]] = defaultdict(list)
    for parent_id, found in children.items():
        for child_id, _weight in found:
            parents[child_id].append(parent_id)
    found_data = set(with_data)
    pending = list(with_data)
    while pending:
        for parent_id in parents.get(pending.pop(), []):
            if parent_id not in found_data:
                found_data.add(parent_id)
                pending.append(parent_id)
    return found_data


def apply(
    reports: Iterable[ObjectiveReport], rolled: dict[int, Rolled], organisation: Organisation
) -> None:
    """Give reports measured by their own key results (`own_measures`) their rolled-up
    progress, and judge their status from it, as `measure_objectives` does. Raise `NotStored`
    for one not rolled up (made live since `rolled_up` read the cycle)."""
    thresholds = organisation.status_thresholds()
    for report in reports:
        figures = rolled.get(report.objective.pk)
        if figures is None:
            raise NotStored
        report.progress = figures.progress
        report.status = objective_status(report, thresholds, has_data=figures.has_data)


def chunked(ids: list[int]) -> Iterable[list[int]]:
    for start in range(0, len(ids), CHUNK):
        yield ids[start : start + CHUNK]
