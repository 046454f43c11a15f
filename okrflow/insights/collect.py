"""Load a cycle's objectives with their history, check-ins and forecasts in a fixed number of queries.

Every insights page, the CLI and the reports start here, so they all show the same numbers.
Queries: the four of `measure.load_objectives` (parent links among them), the organisation,
value history, check-in lines and done initiatives: eight, whatever the size of the cycle (ten
when it holds compound key results: their parts and the parts' values, #16).
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime
import functools
import gc
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property
from typing import Any

from django.db.models import QuerySet

from okrflow.cycles.models import Cycle
from okrflow.engine import kr_shapes
from okrflow.engine.progress import (
    KeyResultFigures,
    Period,
    Shape,
    Status,
    key_result_expected,
    key_result_progress,
    progress_function,
)
from okrflow.insights.forecasting import ProgressForecast, forecast_key_result
from okrflow.insights.sources import CheckinLine, checkin_lines
from okrflow.listed import among
from okrflow.okrs.measure import (
    SUCCESS_BAR,
    KeyResultReport,
    ObjectiveReport,
    figures_of,
    load_objectives,
    measure_objectives,
)
from okrflow.okrs.models import (
    Initiative,
    KeyResult,
    KeyResultPart,
    KeyResultPartValue,
    KeyResultValue,
    Objective,
    ObjectiveKind,
    ObjectiveState,
)
from okrflow.okrs.shapes import part_figures, parts_by_key_result
from okrflow.org.models import Organisation


@dataclass
class PartInsight:
    """One part of a compound key result with its own history and forecast (#16)."""

    part: KeyResultPart
    figures: KeyResultFigures
    progress: float
    values: list[tuple[datetime.date, Decimal]]
    forecast: ProgressForecast | None


@dataclass
class KeyResultInsight:
    """A key result with its history, check-ins and forecast."""

    report: KeyResultReport
    figures: KeyResultFigures
    bar: float
    values: list[tuple[datetime.date, Decimal]]
    checkins: list[CheckinLine]
    initiatives_done: list[datetime.date]
    forecast: ProgressForecast | None
    # A compound key result's parts; its forecast then combines theirs.
    parts: list[PartInsight] = field(default_factory=list)
    # Its `progress_function`, when the collector built it already (for the forecast).
    measure: Callable[[Decimal], float] | None = field(default=None, repr=False)

    @property
    def key_result(self) -> KeyResult:
        return self.report.key_result

    @cached_property
    def progress_of(self) -> Callable[[Decimal], float]:
        """Return the raw progress the key result would show at a value (`progress_at`)."""
        return self.measure or progress_function(self.figures)

    @cached_property
    def progress_points(self) -> list[tuple[datetime.date, float]]:
        """Return the dated raw progress of every recorded value."""
        progress = self.progress_of
        return [(day, progress(value)) for day, value in self.values]

    def pace_on(self, day: datetime.date) -> float:
        """Return the pace line on a day, scaled by the success bar."""
        figures = self.figures
        expected = pace_line(
            figures.shape,
            figures.start_date,
            figures.due_date,
            figures.per_period,
            figures.period,
            day,
        )
        return expected * self.bar


@functools.lru_cache(maxsize=65536, typed=True)
def pace_line(
    shape: Shape,
    start_date: datetime.date,
    due_date: datetime.date,
    per_period: int | None,
    period: Period | None,
    day: datetime.date,
) -> float:
    """`key_result_expected` of a key result of these dates on a day: it reads nothing else.

    A refresh asks it for every key result on every day of the heat map and of each check-in
    (some 800,000 times at 10,000 people) while the cycle's key results share a few windows.
    """
    figures = KeyResultFigures(
        shape=shape, start_date=start_date, due_date=due_date, per_period=per_period, period=period
    )
    return key_result_expected(figures, day)


@dataclass
class ObjectiveInsight:
    """An objective with its key results' insights and where it hangs in the alignment."""

    report: ObjectiveReport
    key_results: list[KeyResultInsight]
    unit_id: int | None
    parent_ids: list[int] = field(default_factory=list)
    archived_parents: list[tuple[int, str]] = field(default_factory=list)

    @property
    def objective(self) -> Objective:
        return self.report.objective

    @property
    def bar(self) -> float:
        return SUCCESS_BAR.get(ObjectiveKind(self.objective.kind), 1.0)

    @property
    def forecast(self) -> float | None:
        """Return the weighted forecast progress on the due dates (current progress where none)."""
        parts = []
        for kri in self.key_results:
            expected = kri.forecast.expected if kri.forecast else kri.report.progress
            parts.append((min(1.0, max(0.0, expected)), float(kri.key_result.weight)))
        total = sum(weight for _, weight in parts)
        if not parts or total <= 0:
            return None
        return sum(value * weight for value, weight in parts) / total

    @property
    def outlook(self) -> str:
        """Name where the forecast lands against the bar: likely, close or short."""
        forecast = self.forecast
        if self.report.status == Status.DONE:
            return "done"
        # Nothing measured yet: a forecast from no values would call it "short" from day one.
        if forecast is None or self.report.status == Status.NO_DATA:
            return "unknown"
        if forecast >= self.bar - 0.005:
            return "likely"
        if forecast >= self.bar - 0.15:
            return "close"
        return "short"


@dataclass
class CycleInsights:
    """Everything insights know about the visible objectives of one cycle on one day."""

    cycle: Cycle
    on: datetime.date
    objectives: list[ObjectiveInsight]

    @property
    def key_results(self) -> list[KeyResultInsight]:
        return [kri for oi in self.objectives for kri in oi.key_results]

    def objective(self, objective_id: int) -> ObjectiveInsight | None:
        return next((oi for oi in self.objectives if oi.objective.pk == objective_id), None)


@contextlib.contextmanager
def garbage_collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector for a whole-cycle job (`refresh-insights`).

    A full refresh at 10,000 people builds millions of short-lived objects a chunk at a time
    (model rows, figures, forecasts): each allocation burst set off collections that scanned
    everything alive, near half of the job's CPU. What it builds holds no reference cycles to
    speak of (reference counting frees each chunk): memory stays as bounded without it.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def visible_objectives(user: Any, cycle: Cycle) -> QuerySet[Objective]:
    """Return the live objectives of a cycle the user may see (everything for the system)."""
    queryset = Objective.objects.live().filter(cycle=cycle)
    if user is not None:
        queryset = queryset.filter(pk__in=Objective.objects.visible_to(user).values("pk"))
    return queryset.order_by("position", "id")


def insight_day(cycle: Cycle, today: datetime.date) -> datetime.date:
    """Return the day insights are computed on: today, or the last day of a finished cycle."""
    return min(today, cycle.end_date)


def status_day(cycle: Cycle, today: datetime.date) -> datetime.date:
    """Return the day statuses are judged on: today, or the day after a finished cycle's end.

    After the end every key result due by it is past due, as the objective pages (measured on
    today) judge it: one left without a value is off track there, so it is here too, not "no
    data yet" as on the last day. Forecasts and history still stop at the end (`insight_day`).
    """
    return min(today, cycle.end_date + datetime.timedelta(days=1))


def collect_insights(
    cycle: Cycle,
    queryset: QuerySet[Objective],
    today: datetime.date,
    organisation: Organisation | None = None,
    ids: list[int] | None = None,
    *,
    stored_rows: bool = False,
) -> CycleInsights:
    """Measure, load history and forecast every objective of the queryset.

    Pass `ids` (the queryset's objectives, or more: the others' rows are loaded and left unread)
    when they are one small page: the history is then selected by the listed key results' ids,
    an index lookup whatever the cycle's size, rather than by a subquery the planner may turn
    into a scan of the cycle's check-ins. With
    `stored_rows` (what the refresh of the stored insights reads: objectives of `cycle` only),
    the objectives share the cycle's instance and the key results' owners are not loaded.
    """
    on = insight_day(cycle, today)
    organisation = organisation or Organisation.current()
    loaded = (
        load_objectives(queryset, ids, cycle=cycle, key_result_owners=False)
        if stored_rows
        else load_objectives(queryset, ids)
    )
    reports = measure_objectives(loaded, status_day(cycle, today), organisation)
    scope: Any = (
        KeyResult.objects.filter(objective_id__in=queryset.values("pk"), is_archived=False).values(
            "pk"
        )
        if ids is None
        else listed_or_selected(
            [kr.pk for krs in loaded.key_results.values() for kr in krs],
            KeyResult.objects.filter(among("objective_id", ids), is_archived=False).values("pk"),
        )
    )
    values = value_history(scope)
    lines = checkin_lines(scope)
    done = done_initiatives(scope)
    # Each objective's parents as (id, state, title), from the links loaded above.
    parents = {
        pk: [(link.parent_id, link.parent.state, link.parent.title) for link in links]
        for pk, links in loaded.parent_links.items()
    }
    compound = [
        kr_report.key_result
        for report in reports
        for kr_report in report.key_results
        if kr_report.key_result.combine
    ]
    # Two more queries, only when the cycle holds compound key results.
    parts = parts_by_key_result(kr.pk for kr in compound) if compound else {}
    part_values = part_value_history(parts) if compound else {}
    objectives = []
    for report in reports:
        objective = report.objective
        bar = SUCCESS_BAR.get(ObjectiveKind(objective.kind), 1.0)
        key_results = []
        for kr_report in report.key_results:
            kr = kr_report.key_result
            # Measured from its own cycle's start: the same figures when that is this cycle.
            figures = (
                kr_report.figures
                if objective.cycle_id == cycle.pk
                else figures_of(kr, cycle.start_date)
            )
            history = values.get(kr.pk, [])
            kr_lines = lines.get(kr.pk, [])
            measure = progress_function(figures)
            forecast = forecast_key_result(figures, history, kr_lines, on, bar, progress=measure)
            part_insights = [
                part_insight(kr, part, part_values.get(part.pk, []), kr_lines, on, bar, cycle)
                for part in parts.get(kr.pk, [])
            ]
            if part_insights:
                forecast = compound_forecast(kr, part_insights, forecast)
            key_results.append(
                KeyResultInsight(
                    report=kr_report,
                    figures=figures,
                    bar=bar,
                    values=history,
                    checkins=kr_lines,
                    initiatives_done=done.get(kr.pk, []),
                    forecast=forecast,
                    parts=part_insights,
                    measure=measure,
                )
            )
        links = parents.get(objective.pk, [])
        objectives.append(
            ObjectiveInsight(
                report=report,
                key_results=key_results,
                unit_id=owner_unit_id(objective),
                parent_ids=[parent_id for parent_id, _, _ in links],
                archived_parents=[
                    (parent_id, title)
                    for parent_id, state, title in links
                    if state == ObjectiveState.ARCHIVED
                ],
            )
        )
    return CycleInsights(cycle=cycle, on=on, objectives=objectives)


# The most key result ids a history query lists (SQLite takes 32,766 parameters a query).
LISTED_KEY_RESULTS = 20_000


def listed_or_selected(key_result_ids: list[int], selected: QuerySet[KeyResult]) -> Any:
    """Return the ids themselves (an index lookup whatever the cycle's size), or the subquery
    selecting them when they are too many to list in one query."""
    return key_result_ids if len(key_result_ids) <= LISTED_KEY_RESULTS else selected


def part_insight(
    kr: KeyResult,
    part: KeyResultPart,
    values: list[tuple[datetime.date, Decimal]],
    lines: list[CheckinLine],
    on: datetime.date,
    bar: float,
    cycle: Cycle,
) -> PartInsight:
    """Forecast one part from its own history, like a key result of its shape."""
    figures = part_figures(part, kr, cycle.start_date)
    return PartInsight(
        part=part,
        figures=figures,
        progress=key_result_progress(figures),
        values=values,
        forecast=forecast_key_result(figures, values, lines, on, bar),
    )


def compound_forecast(
    kr: KeyResult, parts: list[PartInsight], own: ProgressForecast | None
) -> ProgressForecast | None:
    """Return the compound key result's forecast combined from its parts' (#16).

    Without a forecast for every part, the forecast of its combined history stands.
    """
    forecasts = [p.forecast for p in parts]
    if any(f is None for f in forecasts):
        return own
    combined = kr_shapes.combine_part_forecasts(
        [
            kr_shapes.PartForecast(f.expected, f.low, f.high, f.chance_of_bar)
            for f in forecasts
            if f is not None
        ],
        [p.part.weight for p in parts],
        kr_shapes.Combine(kr.combine),
    )
    base = own or next(f for f in forecasts if f is not None)
    if combined is None:
        return own
    return dataclasses.replace(
        base,
        expected=combined.expected,
        low=combined.low,
        high=combined.high,
        chance_of_bar=combined.chance_of_bar,
        points=min(f.points for f in forecasts if f is not None),
    )


def part_value_history(
    parts: dict[int, list[KeyResultPart]],
) -> dict[int, list[tuple[datetime.date, Decimal]]]:
    """Return each part's values by date (the last recorded on a day wins: a correction)."""
    ids = [part.pk for found in parts.values() for part in found]
    rows = (
        KeyResultPartValue.objects.filter(part_id__in=ids)
        .order_by("part_id", "measured_on", "id")
        .values_list("part_id", "measured_on", "value")
    )
    return dated_values(rows)


def export_part_forecasts(
    items: list[tuple[KeyResult, list[KeyResultPart]]], today: datetime.date
) -> dict[int, dict[str, Any] | None]:
    """Forecast every part of these compound key results for `okrflow okrs --json` (one query)."""
    values = part_value_history({kr.pk: parts for kr, parts in items})
    found: dict[int, dict[str, Any] | None] = {}
    for kr, parts in items:
        cycle = kr.objective.cycle
        bar = SUCCESS_BAR.get(ObjectiveKind(kr.objective.kind), 1.0)
        on = insight_day(cycle, today)
        for part in parts:
            forecast = part_insight(kr, part, values.get(part.pk, []), [], on, bar, cycle).forecast
            found[part.pk] = (
                None
                if forecast is None
                else {
                    "expected": round(forecast.expected, 4),
                    "low": round(forecast.low, 4),
                    "high": round(forecast.high, 4),
                    "chance_of_bar": None
                    if forecast.chance_of_bar is None
                    else round(forecast.chance_of_bar, 4),
                }
            )
    return found


def owner_unit_id(objective: Objective) -> int | None:
    """Return the unit an objective belongs to: its unit, its person's or its project's."""
    if objective.owner_unit_id:
        return objective.owner_unit_id
    if objective.owner_person_id and objective.owner_person is not None:
        return objective.owner_person.unit_id
    if objective.owner_project_id and objective.owner_project is not None:
        return objective.owner_project.unit_id
    return None


def value_history(scope: Any) -> dict[int, list[tuple[datetime.date, Decimal]]]:
    """Return each key result's values by date (the last one recorded on a day wins)."""
    rows = (
        KeyResultValue.objects.filter(among("key_result_id", scope))
        .order_by("key_result_id", "measured_on", "id")
        .values_list("key_result_id", "measured_on", "value")
    )
    return dated_values(rows)


def dated_values(
    rows: Iterable[tuple[int, datetime.date, Decimal]],
) -> dict[int, list[tuple[datetime.date, Decimal]]]:
    """Group rows sorted by (owner id, day, id) into each owner's (day, value) list, the last
    value of a day winning: one pass, nothing to sort again (a refresh reads 500,000)."""
    history: dict[int, list[tuple[datetime.date, Decimal]]] = {}
    for owner_id, day, value in rows:
        days = history.get(owner_id)
        if days is None:
            history[owner_id] = [(day, value)]
        elif days[-1][0] == day:
            days[-1] = (day, value)
        else:
            days.append((day, value))
    return history


def done_initiatives(scope: Any) -> dict[int, list[datetime.date]]:
    """Return the days each key result's initiatives were marked done."""
    found: dict[int, list[datetime.date]] = defaultdict(list)
    rows = Initiative.objects.filter(
        among("key_result_id", scope), is_done=True, done_at__isnull=False
    ).values_list("key_result_id", "done_at")
    for kr_id, done_at in rows:
        found[kr_id].append(done_at.date())
    return found
