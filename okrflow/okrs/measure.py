"""Bridge between the database and the pure progress engine.

Everything a page or the CLI shows about progress comes from `measure_objectives`, so the web
app, `okrflow okrs --json` and later the reports all show the same numbers.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import F, QuerySet
from django.utils.translation import gettext as _

from okrflow.cycles.models import Cycle
from okrflow.engine import progress as engine
from okrflow.listed import among
from okrflow.okrs.models import (
    Alignment,
    KeyResult,
    Objective,
    ObjectiveKind,
    ObjectiveState,
    Tag,
)
from okrflow.org.models import Organisation

SUCCESS_BAR = {ObjectiveKind.COMMITTED: 1.0, ObjectiveKind.ASPIRATIONAL: 0.7}

# Which form field each engine problem belongs to, and what to tell the user.
PROBLEM_FIELDS = {
    "due_before_start": "due_date",
    "wrong_direction_for_shape": "direction",
    "missing_recurrence": "per_period",
    "not_finite": "current_value",
    "missing_start": "start_value",
    "missing_target": "target_value",
    "start_equals_target": "target_value",
    "direction_mismatch": "direction",
    "negative_percentage": "target_value",
    "negative_occurrences": "current_value",
    "milestone_not_binary": "current_value",
    "start_outside_cycle": "start_date",
    "start_after_due": "start_date",
}


def problem_message(code: str) -> str:
    """Explain an engine problem code in the user's language."""
    messages = {
        "due_before_start": _("The due date is before the cycle starts."),
        "wrong_direction_for_shape": _("This direction does not fit the key result's shape."),
        "missing_recurrence": _("Say how many times per week or per month."),
        "not_finite": _("Enter a finite number, not NaN or infinity."),
        "missing_start": _("Enter the starting value (the baseline)."),
        "missing_target": _("Enter the target value."),
        "start_equals_target": _("The target must differ from the starting value."),
        "direction_mismatch": _("The target is on the wrong side of the start for this direction."),
        "negative_percentage": _("A percentage cannot be negative."),
        "negative_occurrences": _("The count cannot be negative."),
        "milestone_not_binary": _("A milestone is either done or not done."),
        "start_after_due": _("The start date must not be after the due date."),
    }
    return messages.get(code, _("These figures do not fit together."))


def figure_problem_messages(figures: engine.KeyResultFigures) -> list[tuple[str, str]]:
    """Return (field, message) for every problem the engine finds in a key result's figures."""
    return [
        (PROBLEM_FIELDS.get(code, "target_value"), problem_message(code))
        for code in engine.figure_problems(figures)
    ]


def figures_of(kr: KeyResult, window_start: datetime.date) -> engine.KeyResultFigures:
    """Describe a key result to the engine; its window runs from its start to its due date.

    A key result's own start date (set when it starts mid-cycle) wins over `window_start`.
    """
    direction = kr.direction
    if kr.shape in (engine.Shape.MILESTONE, engine.Shape.RECURRING):
        direction = engine.Direction.INCREASE
    return engine.KeyResultFigures(
        shape=engine.Shape(kr.shape),
        start_date=kr.start_date or window_start,
        due_date=kr.due_date,
        start=kr.start_value,
        target=kr.target_value,
        current=kr.current_value,
        direction=engine.Direction(direction),
        relative_change=kr.relative_change,
        per_period=kr.per_period,
        period=engine.Period(kr.period) if kr.period else None,
    )


@dataclass
class KeyResultReport:
    key_result: KeyResult
    progress: float
    expected: float
    status: engine.Status
    target: Decimal | None
    # What it was measured from (`figures_of` with its objective's cycle start).
    figures: engine.KeyResultFigures


@dataclass
class ObjectiveReport:
    objective: Objective
    progress: float
    expected: float
    status: engine.Status
    key_results: list[KeyResultReport] = field(default_factory=list)
    parent_ids: list[int] = field(default_factory=list)
    parent_links: list[Alignment] = field(default_factory=list)
    tags: list[Tag] = field(default_factory=list)


@dataclass
class LoadedObjectives:
    """Objectives with their key results, parent links and tags, loaded in four queries."""

    objectives: list[Objective]
    key_results: dict[int, list[KeyResult]]
    parent_links: dict[int, list[Alignment]]
    tags: dict[int, list[Tag]]


def load_objectives(
    queryset: QuerySet[Objective],
    ids: list[int] | None = None,
    *,
    cycle: Cycle | None = None,
    key_result_owners: bool = True,
) -> LoadedObjectives:
    """Load what a progress report needs in a fixed number of queries, whatever the size.

    The related rows are selected by a subquery on the same filter rather than by a list of
    ids, so a cycle of 100,000 objectives costs the same four queries (and no database limit
    on query parameters is reached). Pass `ids` when the objectives are one small page.

    A whole-cycle job passes its `cycle` (every objective of the queryset is of it: they share
    that one instance instead of a copy each; the parents' cycles are not loaded) and may leave
    out the key results' owners (their ids stay): at 10,000 people, 130,000 objects fewer to
    build.
    """
    related = ["owner_person", "owner_unit", "owner_project"]
    objectives = list(queryset.select_related(*related, *([] if cycle else ["cycle"])))
    if cycle is not None:
        for objective in objectives:
            if objective.cycle_id == cycle.pk:
                objective._state.fields_cache["cycle"] = cycle
    scope: Any = ids if ids is not None else queryset.values("pk")
    key_results: dict[int, list[KeyResult]] = defaultdict(list)
    by_id = {objective.pk: objective for objective in objectives}
    rows = KeyResult.objects.filter(among("objective_id", scope), is_archived=False)
    if key_result_owners:
        rows = rows.select_related("owner")
    for kr in rows.order_by("objective_id", "position", "id"):
        if kr.objective_id in by_id:
            # Fill the cache (permission checks read it): what `kr.objective = …` stores.
            kr._state.fields_cache["objective"] = by_id[kr.objective_id]
        key_results[kr.objective_id].append(kr)
    parent_links: dict[int, list[Alignment]] = defaultdict(list)
    # The parent's cycle names a parent in an enclosing cycle (a month's in its quarter) on a
    # page; a whole-cycle job reads only the parent's title and state.
    parent_cycle = [] if cycle else ["parent__cycle__name"]
    for link in (
        Alignment.objects.filter(among("child_id", scope))
        .select_related("parent__cycle" if parent_cycle else "parent")
        .only(
            "child_id",
            "parent_id",
            "is_primary",
            "weight",
            "parent__title",
            "parent__state",
            *parent_cycle,
        )
        .order_by("-is_primary", "id")
    ):
        parent_links[link.child_id].append(link)
    tags: dict[int, list[Tag]] = defaultdict(list)
    through = Objective.tags.through
    for row in (
        through.objects.filter(among("objective_id", scope))
        .select_related("tag")
        .order_by("tag__name")
    ):
        tags[row.objective_id].append(row.tag)
    return LoadedObjectives(objectives, key_results, parent_links, tags)


# What `measure_key_result` reads of a key result (`figures_of`, the weight, the order).
FIGURE_FIELDS = (
    "objective_id",
    "shape",
    "direction",
    "start_value",
    "target_value",
    "current_value",
    "relative_change",
    "per_period",
    "period",
    "due_date",
    "start_date",
    "weight",
    "position",
)


def key_results_by_objective(
    objective_ids: Any, fields: tuple[str, ...] | None = None
) -> dict[int, list[KeyResult]]:
    """The live key results of the objectives `objective_ids` (ids or an ids subquery), in
    their order, by objective: all their fields, or only `fields`."""
    rows = KeyResult.objects.filter(among("objective_id", objective_ids), is_archived=False)
    if fields is not None:
        rows = rows.only(*fields)
    key_results: dict[int, list[KeyResult]] = defaultdict(list)
    for kr in rows.order_by("objective_id", "position", "id"):
        key_results[kr.objective_id].append(kr)
    return key_results


def load_for_tree(queryset: QuerySet[Objective], ids: list[int] | None = None) -> LoadedObjectives:
    """`load_objectives` for the alignment tree, which draws a node per objective: its owner,
    title and progress. Three queries: no tags, no key result owners, and the parent links
    without their parents' rows (the tree places a child by its parents' ids)."""
    objectives = list(
        queryset.select_related("cycle", "owner_person", "owner_unit", "owner_project").defer(
            "description"
        )
    )
    scope: Any = ids if ids is not None else queryset.values("pk")
    key_results = key_results_by_objective(scope, FIGURE_FIELDS)
    parent_links: dict[int, list[Alignment]] = defaultdict(list)
    for link in (
        Alignment.objects.filter(among("child_id", scope))
        .only("child_id", "parent_id", "is_primary", "weight")
        .order_by("-is_primary", "id")
    ):
        parent_links[link.child_id].append(link)
    return LoadedObjectives(objectives, key_results, parent_links, defaultdict(list))


def measure_key_result(
    kr: KeyResult,
    window_start: datetime.date,
    on: datetime.date,
    success_bar: float,
    thresholds: engine.StatusThresholds,
) -> KeyResultReport:
    figures = figures_of(kr, window_start)
    progress = engine.key_result_progress(figures)
    expected = engine.key_result_expected(figures, on)
    if figures.shape is not engine.Shape.MILESTONE and figures.current is not None:
        # What `key_result_status` judges such a key result by, without measuring it again.
        status = engine.status_for_gap(progress, expected, success_bar, thresholds)
    else:
        status = engine.key_result_status(figures, on, success_bar, thresholds)
    return KeyResultReport(
        key_result=kr,
        progress=progress,
        expected=expected,
        status=status,
        target=engine.effective_target(figures),
        figures=figures,
    )


def base_reports(
    loaded: LoadedObjectives,
    on: datetime.date,
    thresholds: engine.StatusThresholds,
) -> tuple[list[ObjectiveReport], dict[int, engine.ObjectiveNode]]:
    """Measure each loaded objective by its own key results; return reports and engine nodes."""
    reports: list[ObjectiveReport] = []
    nodes: dict[int, engine.ObjectiveNode] = {}
    for objective in loaded.objectives:
        bar = SUCCESS_BAR.get(ObjectiveKind(objective.kind), 1.0)
        start = objective.cycle.start_date
        kr_reports = [
            measure_key_result(kr, start, on, bar, thresholds)
            for kr in loaded.key_results.get(objective.pk, [])
        ]
        parts = [(r.progress, r.key_result.weight) for r in kr_reports]
        expected = engine.objective_progress(
            [(r.expected, r.key_result.weight) for r in kr_reports]
        )
        links = loaded.parent_links.get(objective.pk, [])
        reports.append(
            ObjectiveReport(
                objective=objective,
                progress=engine.objective_progress(parts),
                expected=expected,
                status=engine.Status.ON_TRACK,
                key_results=kr_reports,
                parent_ids=[link.parent_id for link in links],
                parent_links=links,
                tags=loaded.tags.get(objective.pk, []),
            )
        )
        nodes[objective.pk] = engine.ObjectiveNode(key_results=tuple(parts))
    return reports, nodes


def children_in_nested_cycles(loaded: LoadedObjectives) -> LoadedObjectives | None:
    """Load the objectives of other cycles aligned (however deep) below the loaded ones.

    A month objective may serve its quarter's objective; when children count in progress, the
    quarter's page must count it although it loads only the quarter's objectives. Only public,
    live children count: the page's viewer is unknown here. One query per level of nesting,
    plus four to load what is found; none of it when nothing crosses a cycle.
    """
    return nested_children(
        {objective.pk for objective in loaded.objectives},
        {objective.cycle_id for objective in loaded.objectives},
    )


def nested_children(known: set[int], cycle_ids: set[int]) -> LoadedObjectives | None:
    """`children_in_nested_cycles` for the objectives `known` of the cycles `cycle_ids`."""
    if not known:
        return None
    crossing = (
        Alignment.objects.filter(parent__cycle_id__in=cycle_ids, child__is_private=False)
        .exclude(child__cycle_id=F("parent__cycle_id"))
        .exclude(child__state=ObjectiveState.ARCHIVED)
        .values_list("parent_id", "child_id")
    )
    frontier = {child for parent, child in crossing if parent in known} - known
    found: set[int] = set()
    while frontier:
        found |= frontier
        frontier = (
            set(
                Alignment.objects.filter(among("parent_id", frontier), child__is_private=False)
                .exclude(child__state=ObjectiveState.ARCHIVED)
                .values_list("child_id", flat=True)
            )
            - found
            - known
        )
    if not found:
        return None
    listed = sorted(found)
    return load_objectives(Objective.objects.filter(among("pk", listed)), listed)


def measure_objectives(
    loaded: LoadedObjectives,
    on: datetime.date,
    organisation: Organisation | None = None,
) -> list[ObjectiveReport]:
    """Compute progress, expected progress and status for loaded objectives."""
    organisation = organisation or Organisation.current()
    thresholds = organisation.status_thresholds()
    reports, nodes = base_reports(loaded, on, thresholds)
    counted, links = reports, loaded.parent_links
    if organisation.include_children_in_progress:
        nested = children_in_nested_cycles(loaded)
        if nested is not None:
            nested_reports, nested_nodes = base_reports(nested, on, thresholds)
            counted = reports + nested_reports
            nodes |= nested_nodes
            links = defaultdict(list, {**loaded.parent_links, **nested.parent_links})
        children: dict[int, list[tuple[int, Decimal]]] = {}
        for report in counted:
            for link in links.get(report.objective.pk, []):
                children.setdefault(link.parent_id, []).append((report.objective.pk, link.weight))
        nodes = {
            pk: engine.ObjectiveNode(
                key_results=node.key_results, children=tuple(children.get(pk, ()))
            )
            for pk, node in nodes.items()
        }
        rolled = engine.roll_up_progress(nodes, include_children=True)
        for report in reports:
            report.progress = rolled[report.objective.pk]
    with_data = objectives_with_data(
        counted,
        LoadedObjectives(loaded.objectives, loaded.key_results, links, loaded.tags),
        organisation.include_children_in_progress,
    )
    for report in reports:
        report.status = objective_status(
            report, thresholds, has_data=report.objective.pk in with_data
        )
    return reports


def objectives_with_data(
    reports: list[ObjectiveReport], loaded: LoadedObjectives, include_children: bool
) -> set[int]:
    """Return the objectives with something to judge: a key result with data, or (when children
    count in progress) an aligned child with data, however deep."""
    with_data = {
        report.objective.pk
        for report in reports
        if engine.objective_has_data(kr.status for kr in report.key_results)
    }
    if not include_children:
        return with_data
    # Walk up from every objective with data to its parents: each edge is read once.
    pending = list(with_data)
    while pending:
        child = pending.pop()
        for link in loaded.parent_links.get(child, []):
            if link.parent_id not in with_data:
                with_data.add(link.parent_id)
                pending.append(link.parent_id)
    return with_data


def objective_status(
    report: ObjectiveReport, thresholds: engine.StatusThresholds, *, has_data: bool = True
) -> engine.Status:
    """Judge an objective against its pace line, by its kind's success bar.

    An objective with nothing measured yet (`objectives_with_data`) is NO_DATA, not off track.
    """
    if not has_data:
        return engine.Status.NO_DATA
    if report.key_results and all(r.status == engine.Status.DONE for r in report.key_results):
        return engine.Status.DONE
    bar = SUCCESS_BAR.get(ObjectiveKind(report.objective.kind), 1.0)
    status = engine.status_for_gap(report.progress, report.expected, bar, thresholds)
    # A weighted mean can reach 1 while a milestone is still open: that is not done yet.
    return engine.Status.ON_TRACK if status == engine.Status.DONE else status


BATCH = 500


def measure_in_batches(
    queryset: QuerySet[Objective],
    on: datetime.date,
    organisation: Organisation | None = None,
    batch: int | None = None,
) -> Iterator[list[ObjectiveReport]]:
    """`measure_objectives(load_objectives(queryset), …)`, yielded `batch` objectives at a time.

    The same reports in the queryset's order, for a whole-cycle job whose memory must not grow
    with the cycle: only ids and each objective's key-result figures (progress, weight) are
    kept for the whole cycle. When children count in progress, a first pass measures every
    objective to roll progress up (the tree spans batches); the second pass yields the reports.
    Each batch costs a fixed number of queries (`load_objectives`).
    """
    organisation = organisation or Organisation.current()
    thresholds = organisation.status_thresholds()
    ids = list(queryset.values_list("pk", flat=True))
    size = batch or BATCH
    chunks = [ids[start : start + size] for start in range(0, len(ids), size)]

    def loaded_batch(chunk: list[int]) -> LoadedObjectives:
        return load_objectives(queryset.filter(among("pk", chunk)), chunk)

    rolled: dict[int, float] = {}
    with_data: set[int] = set()
    if organisation.include_children_in_progress:
        rolled, with_data = rolled_up(chunks, loaded_batch, on, thresholds)
    for chunk in chunks:
        loaded = loaded_batch(chunk)
        reports, _nodes = base_reports(loaded, on, thresholds)
        if not organisation.include_children_in_progress:
            with_data = objectives_with_data(reports, loaded, False)
        for report in reports:
            if organisation.include_children_in_progress:
                report.progress = rolled[report.objective.pk]
            report.status = objective_status(
                report, thresholds, has_data=report.objective.pk in with_data
            )
        yield reports


def rolled_up(
    chunks: list[list[int]],
    loaded_batch: Callable[[list[int]], LoadedObjectives],
    on: datetime.date,
    thresholds: engine.StatusThresholds,
) -> tuple[dict[int, float], set[int]]:
    """Measure every objective batch by batch, keeping only what the roll-up reads: each
    objective's key-result figures, its parent links, and whether it has data of its own; then
    roll up as `measure_objectives` does (nested cycles' children included)."""
    nodes: dict[int, engine.ObjectiveNode] = {}
    parents: dict[int, list[tuple[int, Decimal]]] = defaultdict(list)
    with_data: set[int] = set()
    known: set[int] = set()
    cycle_ids: set[int] = set()

    def keep(loaded: LoadedObjectives) -> None:
        reports, batch_nodes = base_reports(loaded, on, thresholds)
        nodes.update(batch_nodes)
        for report in reports:
            pk = report.objective.pk
            known.add(pk)
            cycle_ids.add(report.objective.cycle_id)
            parents[pk] = [(link.parent_id, link.weight) for link in report.parent_links]
            if engine.objective_has_data(kr.status for kr in report.key_results):
                with_data.add(pk)

    for chunk in chunks:
        keep(loaded_batch(chunk))
    nested = nested_children(set(known), cycle_ids)
    if nested is not None:
        keep(nested)
    children: dict[int, list[tuple[int, Decimal]]] = {}
    for child, links in parents.items():
        for parent_id, weight in links:
            children.setdefault(parent_id, []).append((child, weight))
    tree = {
        pk: engine.ObjectiveNode(key_results=node.key_results, children=tuple(children.get(pk, ())))
        for pk, node in nodes.items()
    }
    rolled = engine.roll_up_progress(tree, include_children=True)
    pending = list(with_data)
    while pending:
        child = pending.pop()
        for parent_id, _weight in parents.get(child, []):
            if parent_id not in with_data:
                with_data.add(parent_id)
                pending.append(parent_id)
    return rolled, with_data
