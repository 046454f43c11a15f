"""What every insights page needs: the cycle, the visible objectives and their insights."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.functional import SimpleLazyObject

from okrflow.compiled_reads import formed_rows, rows_by_ids
from okrflow.cycles.models import Cycle
from okrflow.front.cycle_choice import chosen_cycle
from okrflow.insights.collect import CycleInsights, collect_insights, visible_objectives
from okrflow.insights.listing import ObjectiveRow, live_rows, stored_rows
from okrflow.insights.models import ObjectiveSnapshot
from okrflow.insights.risks import RiskItem, find_risks
from okrflow.insights.snapshots import stored_insights
from okrflow.insights.stored import Scope, scope_rows, viewer_scope
from okrflow.okrs.models import Objective
from okrflow.org.access import access_for
from okrflow.org.models import OrgUnit


@dataclass
class PageData:
    cycle: Cycle
    insights: CycleInsights
    risks: list[RiskItem]


def require_member(request: HttpRequest) -> None:
    """Refuse users outside the organisation with 404: insights are the organisation's own."""
    if not access_for(request.user).is_member:
        raise Http404


def objectives_of_unit(unit: OrgUnit) -> QuerySet[Objective]:
    """Select the objectives of a unit and everything below it: units, people, projects."""
    return Objective.objects.filter(
        Q(owner_unit__path__startswith=unit.path)
        | Q(owner_person__unit__path__startswith=unit.path)
        | Q(owner_project__unit__path__startswith=unit.path)
    ).values("pk")


def load_page(
    cycle: Cycle, queryset: QuerySet[Objective], ids: list[int] | None = None, *, risks: bool = True
) -> PageData:
    """Collect insights and risks for the given objectives (`ids` when a short list), today.

    Without `risks`, the rules are not run (a list of objectives with sparklines shows none).
    """
    insights = collect_insights(cycle, queryset, timezone.localdate(), ids=ids)
    return PageData(cycle, insights, find_risks(insights) if risks else [])


Narrow = Callable[[QuerySet[Objective]], QuerySet[Objective]]


def stored_page(
    request: HttpRequest,
    template: str,
    narrow: Narrow = lambda objectives: objectives,
    extra: dict[str, Any] | None = None,
    *,
    totals: bool = False,
    unit: OrgUnit | None = None,
) -> Scope | HttpResponse:
    """Return the stored insights of the objectives a page shows of the chosen cycle.

    With `totals`, the page shows the reader's objectives of `unit`'s subtree (of everything
    when None) and reads their stored totals; `narrow` must then select the same objectives.
    When there is no cycle, or a large one has no figures yet, return the page saying so.
    """
    cycle = chosen_cycle(request)
    if cycle is None:
        return render(request, template, {"cycle": None, **(extra or {})})
    refresh = stored_insights(cycle)
    if refresh is None:
        return render(request, template, {"cycle": cycle, "not_ready": True, **(extra or {})})
    if totals:
        # The stored totals and the viewer's rows answer for most of such a page: the
        # objectives in view are only built as a subquery if something asks for them.
        lazy_ids: Any = SimpleLazyObject(
            lambda: narrow(visible_objectives(request.user, cycle)).values("pk")
        )
        return viewer_scope(cycle, refresh, lazy_ids, request.user, unit)
    return Scope(cycle, refresh, narrow(visible_objectives(request.user, cycle)).values("pk"))


LISTED_OWNERS = ("objective__owner_person", "objective__owner_unit", "objective__owner_project")
# What a list shows of a snapshot and its objective (`listing.stored_rows`, the
# `objective_items` tag): not the objective's description nor the snapshot's other figures.
LISTED_FIELDS = (
    "status",
    "progress",
    "forecast",
    "outlook",
    "lines",
    "objective__title",
    "objective__kind",
    "objective__owner_person__full_name",
    "objective__owner_unit__name",
    "objective__owner_project__name",
    *LISTED_OWNERS,
)


def listed(snapshots: QuerySet[ObjectiveSnapshot]) -> QuerySet[ObjectiveSnapshot]:
    """The snapshots with what a list shows of them and their objectives' owners."""
    return snapshots.select_related(*LISTED_OWNERS).only(*LISTED_FIELDS)


# What a list shows of a snapshot alone and of its objective with its owners, read apart
# (`with_listed_objectives`).
SNAPSHOT_FIELDS = ("objective", *LISTED_FIELDS[:5])
OBJECTIVE_FIELDS = tuple(
    name.removeprefix("objective__") for name in LISTED_FIELDS[5:] if name.startswith("objective__")
)


def listed_objectives_by_ids(ids: list[int]) -> QuerySet[Objective]:
    """The listed snapshots' objectives with what a list shows of them and of their owners."""
    owners = [name.removeprefix("objective__") for name in LISTED_OWNERS]
    return Objective.objects.select_related(*owners).only(*OBJECTIVE_FIELDS).filter(pk__in=ids)


def with_listed_objectives(snapshots: list[ObjectiveSnapshot]) -> list[ObjectiveSnapshot]:
    """Give the snapshots their objectives (with owners), in one statement by their ids;
    a snapshot whose objective is gone since it was read is left out."""
    found = {
        objective.pk: objective
        for objective in rows_by_ids(
            "listed objectives",
            listed_objectives_by_ids,
            Objective.objects.db,
            [snapshot.objective_id for snapshot in snapshots],
        )
    }
    kept = []
    for snapshot in snapshots:
        objective = found.get(snapshot.objective_id)
        if objective is not None:
            snapshot.objective = objective
            kept.append(snapshot)
    return kept


def listed_objectives(scope: Scope, count: int) -> list[ObjectiveRow]:
    """Return the first `count` objectives in view with their key results (the lists with
    sparklines), from their stored snapshots (`okrflow.insights.listing`).

    With the reader's stored scope, the first in the alignment map's order, found through the
    snapshot rows' index (never by sorting every objective in view); with a short list of ids,
    the first by position. Listed live when a snapshot is missing or older than its lines.
    """
    shape = scope.shape()
    if shape is not None:
        # Compiled once per form of the reader's scope (`compiled_reads.formed_rows`). The
        # snapshots first, then their objectives by id: PostgreSQL plans the first few
        # snapshots in map order joined with their objectives and three kinds of owner in
        # 1.3 ms, on every page, and each read alone in 0.3 ms.
        form, values = shape
        snapshots: list[ObjectiveSnapshot] = formed_rows(
            "listed snapshots",
            (form, count),
            lambda shaped: (
                scope_rows(ObjectiveSnapshot, form, shaped)
                .only(*SNAPSHOT_FIELDS)
                .order_by("map_order")[:count]
            ),
            ObjectiveSnapshot.objects.db,
            values,
        )
        snapshots = with_listed_objectives(snapshots)
        wanted = len(snapshots)
    elif scope.viewer is not None:
        snapshots = list(listed(scope.objectives()).order_by("map_order")[:count])
        wanted = len(snapshots)
    else:
        snapshots = list(
            listed(scope.objectives()).order_by("objective__position", "objective_id")[:count]
        )
        wanted = min(count, len(scope.objective_ids))
    rows = stored_rows(scope.cycle, snapshots) if len(snapshots) == wanted else None
    if rows is not None:
        return rows
    return live_rows(load_first(scope, count).insights)


def load_first(scope: Scope, count: int) -> PageData:
    """Collect live insights for the first `count` objectives in view (the lists with sparklines).

    With the reader's stored scope, the first in the alignment map's order, found through the
    snapshot rows' index (never by sorting every objective in view).
    """
    if scope.viewer is not None:
        ids = list(
            scope.objectives().order_by("map_order").values_list("objective_id", flat=True)[:count]
        )
        order = {pk: n for n, pk in enumerate(ids)}
        data = load_page(scope.cycle, Objective.objects.filter(pk__in=ids), ids, risks=False)
        data.insights.objectives.sort(key=lambda oi: order[oi.objective.pk])
        return data
    ids = list(
        Objective.objects.filter(pk__in=scope.objective_ids)
        .order_by("position", "id")
        .values_list("pk", flat=True)[:count]
    )
    return load_page(
        scope.cycle,
        Objective.objects.filter(pk__in=ids).order_by("position", "id"),
        ids,
        risks=False,
    )
