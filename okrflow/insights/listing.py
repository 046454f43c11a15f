"""The unit and person pages' lists of objectives, each with its key results' sparklines.

A key result's forecast costs ~0.4 ms and needs its check-ins and initiatives: a list of ten
objectives would forecast some forty key results on every view. So the refresh stores each
objective's key result figures with its snapshot (`ObjectiveSnapshot.lines`: id, status,
progress and expected forecast, in the objective's order), and a list reads them back with
the key results' titles and value history (two indexed queries on the listed ids) to draw the
sparklines. Snapshots stored before they held these figures are listed live, as before.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet

from okrflow.compiled_reads import rows_by_ids, values_by_ids
from okrflow.cycles.models import Cycle
from okrflow.engine.progress import progress_function
from okrflow.insights.charts import Sparkline, draw_sparkline
from okrflow.insights.collect import CycleInsights, ObjectiveInsight, dated_values
from okrflow.insights.models import ObjectiveSnapshot
from okrflow.okrs.measure import figures_of
from okrflow.okrs.models import KeyResult, KeyResultValue, Objective

DIGITS = 6  # the stored figures' precision (they are shown as whole percentages)

# One stored line: [key result id, status, progress, expected forecast or None].
Line = list[Any]


def key_result_lines(oi: ObjectiveInsight) -> list[Line]:
    """Return what a list shows of an objective's key results, to store with its snapshot."""
    return [
        [
            kri.key_result.pk,
            str(kri.report.status),
            round(float(kri.report.progress), DIGITS),
            None if kri.forecast is None else round(float(kri.forecast.expected), DIGITS),
        ]
        for kri in oi.key_results
    ]


@dataclass
class KeyResultRow:
    """One key result of a listed objective."""

    key_result: KeyResult
    status: str
    progress: float
    forecast: float | None
    sparkline: Sparkline | None


@dataclass
class ObjectiveRow:
    """One listed objective with its figures and its key results."""

    objective: Objective
    status: str
    progress: float
    forecast: float | None
    outlook: str
    key_results: list[KeyResultRow]


def live_rows(insights: CycleInsights) -> list[ObjectiveRow]:
    """Return the rows of collected insights (computed on this request)."""
    return [
        ObjectiveRow(
            oi.objective,
            str(oi.report.status),
            float(oi.report.progress),
            oi.forecast,
            oi.outlook,
            [
                KeyResultRow(
                    kri.key_result,
                    str(kri.report.status),
                    float(kri.report.progress),
                    None if kri.forecast is None else kri.forecast.expected,
                    draw_sparkline(kri.figures, kri.progress_points),
                )
                for kri in oi.key_results
            ],
        )
        for oi in insights.objectives
    ]


# What a list reads of a key result: its title and what `figures_of` measures it by.
LISTED_FIELDS = (
    "title",
    "is_archived",
    "shape",
    "start_date",
    "due_date",
    "start_value",
    "target_value",
    "current_value",
    "direction",
    "relative_change",
    "per_period",
    "period",
)


def listed_key_results(ids: list[int]) -> QuerySet[KeyResult]:
    """The listed key results (`in_bulk` of what a list shows of them)."""
    return KeyResult.objects.only(*LISTED_FIELDS).filter(pk__in=ids).order_by()


def listed_values(ids: list[int]) -> QuerySet[Any]:
    """The listed key results' values by day (`collect.value_history`'s rows)."""
    return (
        KeyResultValue.objects.filter(key_result_id__in=ids)
        .order_by("key_result_id", "measured_on", "id")
        .values_list("key_result_id", "measured_on", "value")
    )


def stored_rows(cycle: Cycle, snapshots: list[ObjectiveSnapshot]) -> list[ObjectiveRow] | None:
    """Return the rows of stored snapshots (with `objective` and its owners loaded), in their
    order, in two more queries; None when one of them was stored without its lines."""
    if any(snapshot.lines is None for snapshot in snapshots):
        return None
    ids = [line[0] for snapshot in snapshots for line in snapshot.lines]
    # Both statements compiled once per number of key results (`compiled_reads`).
    key_results = {
        kr.pk: kr
        for kr in rows_by_ids("listed key results", listed_key_results, KeyResult.objects.db, ids)
    }
    history: dict[int, list[tuple[datetime.date, Decimal]]] = dated_values(
        values_by_ids("listed values", listed_values, KeyResultValue.objects.db, ids)
    )
    rows = []
    for snapshot in snapshots:
        krs = []
        for kr_id, status, progress, forecast in snapshot.lines:
            kr = key_results.get(kr_id)
            if kr is None or kr.is_archived:
                continue  # gone since the refresh: its next update drops it
            figures = figures_of(kr, cycle.start_date)
            to_progress = progress_function(figures)
            points = [(day, to_progress(value)) for day, value in history.get(kr_id, [])]
            krs.append(
                KeyResultRow(kr, status, progress, forecast, draw_sparkline(figures, points))
            )
        rows.append(
            ObjectiveRow(
                snapshot.objective,
                snapshot.status,
                snapshot.progress,
                snapshot.forecast,
                snapshot.outlook,
                krs,
            )
        )
    return rows
