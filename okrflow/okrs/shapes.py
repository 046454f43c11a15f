"""Compound key results and recurring slots, read from the database for pages, check-ins and JSON.

A compound key result is stored as a percentage from 0 to 100 whose value history is its
combined progress (written whenever a part is checked in), so the pace line, forecasts, risks
and grading read it like any other key result; its parts (`KeyResultPart`) hold the real figures.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from okrflow.engine import kr_shapes
from okrflow.engine import progress as engine
from okrflow.okrs.models import KeyResult, KeyResultPart, SlotOutcome

HUNDRED = Decimal(100)


def part_figures(
    part: KeyResultPart, kr: KeyResult, cycle_start: datetime.date
) -> engine.KeyResultFigures:
    """Describe one part to the engine; it starts on its own day, else the key result's."""
    direction = part.direction
    if part.shape in (engine.Shape.MILESTONE, engine.Shape.RECURRING):
        direction = engine.Direction.INCREASE
    return engine.KeyResultFigures(
        shape=engine.Shape(part.shape),
        start_date=part.start_date or kr.start_date or cycle_start,
        due_date=kr.due_date,
        start=part.start_value,
        target=part.target_value,
        current=part.current_value,
        direction=engine.Direction(direction),
        per_period=kr.per_period,
        period=engine.Period(kr.period) if kr.period else None,
    )


def engine_parts(
    kr: KeyResult, parts: Iterable[KeyResultPart], cycle_start: datetime.date
) -> list[kr_shapes.Part]:
    return [kr_shapes.Part(part_figures(p, kr, cycle_start), p.weight) for p in parts]


def combined_value(
    kr: KeyResult, parts: Iterable[KeyResultPart], cycle_start: datetime.date
) -> Decimal:
    """Return the compound key result's value: its combined progress in percent."""
    progress = kr_shapes.compound_progress(
        engine_parts(kr, parts, cycle_start), kr_shapes.Combine(kr.combine)
    )
    return (Decimal(str(progress)) * HUNDRED).quantize(Decimal("0.01"))


@dataclass
class PartRow:
    part: KeyResultPart
    progress: float
    expected: float


def part_rows(kr: KeyResult, parts: list[KeyResultPart], on: datetime.date) -> list[PartRow]:
    cycle_start = kr.objective.cycle.start_date
    rows = []
    for part in parts:
        figures = part_figures(part, kr, cycle_start)
        rows.append(
            PartRow(
                part,
                engine.key_result_progress(figures),
                engine.key_result_expected(figures, on),
            )
        )
    return rows


def parts_by_key_result(kr_ids: Iterable[int]) -> dict[int, list[KeyResultPart]]:
    """Return the parts of these key results (one query), in order."""
    found: dict[int, list[KeyResultPart]] = defaultdict(list)
    for part in KeyResultPart.objects.filter(key_result_id__in=list(kr_ids)).order_by(
        "key_result_id", "position", "id"
    ):
        found[part.key_result_id].append(part)
    return found


def slot_of(kr: KeyResult) -> kr_shapes.Slot | None:
    if not kr.has_slot:
        return None
    return kr_shapes.Slot(kr.slot_weekday, kr.slot_hour, kr.slot_day_of_month)


def slot_data(kr: KeyResult) -> dict[str, int] | None:
    """Return the slot as `okrflow okrs --json` writes it."""
    if kr.slot_weekday is not None:
        return {"weekday": kr.slot_weekday, "hour": kr.slot_hour}
    if kr.slot_day_of_month is not None:
        return {"day_of_month": kr.slot_day_of_month, "hour": kr.slot_hour}
    return None


def holidays_of(kr: KeyResult) -> frozenset[datetime.date]:
    from okrflow.cycles.clock import holidays_for

    return holidays_for(kr.objective.cycle)


def window_start(kr: KeyResult) -> datetime.date:
    return kr.start_date or kr.objective.cycle.start_date


def recorded_slots(kr: KeyResult) -> dict[datetime.date, bool]:
    """Return each slot's newest recorded answer (the history is append-only)."""
    answers: dict[datetime.date, bool] = {}
    for slot_on, met in (
        SlotOutcome.objects.filter(key_result=kr).order_by("id").values_list("slot_on", "met")
    ):
        answers[slot_on] = met
    return answers


@dataclass
class SlotCell:
    planned: datetime.date
    day: datetime.date | None
    mark: str

    @property
    def is_moved(self) -> bool:
        return self.day is not None and self.day != self.planned


def slot_strip(kr: KeyResult, now: datetime.datetime | None = None) -> list[SlotCell]:
    """Return every slot of the key result's window with its mark, for the KR page's strip."""
    from okrflow.cycles.clock import local_now

    slot = slot_of(kr)
    if slot is None:
        return []
    days = kr_shapes.slot_days(slot, window_start(kr), kr.due_date, holidays_of(kr))
    local = local_now(kr.objective.cycle, now).replace(tzinfo=None)
    marks = kr_shapes.judge_slots(slot, days, recorded_slots(kr), local)
    return [SlotCell(d.planned, d.day, mark.value) for d, mark in marks]


def week_slots(kr: KeyResult, week_start: datetime.date) -> list[kr_shapes.SlotDay]:
    """Return the key result's slots that fall in one check-in week."""
    slot = slot_of(kr)
    if slot is None:
        return []
    days = kr_shapes.slot_days(slot, window_start(kr), kr.due_date, holidays_of(kr))
    return kr_shapes.slots_in_week(days, week_start)


def number(value: Decimal | None) -> int | float | None:
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


# Forecasts each part of a batch of compound key results (`okrflow okrs --json`); insights
# sets it from its AppConfig.ready() (okrs sits below insights). Keyed by part id.
PartForecaster = Callable[
    [list[tuple[KeyResult, list[KeyResultPart]]], datetime.date], dict[int, dict[str, Any] | None]
]
_part_forecaster: list[PartForecaster] = []


def set_part_forecaster(forecaster: PartForecaster) -> None:
    _part_forecaster[:] = [forecaster]


def fill_shapes(objectives: list[dict[str, Any]], on: datetime.date) -> None:
    """Add `parts` to each compound key result of a batch of `okrs --json` objectives (one query)."""
    compound = [kr for o in objectives for kr in o["key_results"] if kr.get("combine")]
    if not compound:
        return
    found = parts_by_key_result(kr["id"] for kr in compound)
    krs = {
        kr.pk: kr
        for kr in KeyResult.objects.filter(pk__in=[k["id"] for k in compound]).select_related(
            "objective__cycle"
        )
    }
    forecasts: dict[int, dict[str, Any] | None] = {}
    if _part_forecaster:
        forecasts = _part_forecaster[0]([(kr, found[kr.pk]) for kr in krs.values()], on)
    for data in compound:
        kr = krs[data["id"]]
        data["parts"] = [
            {
                "label": row.part.label,
                "shape": row.part.shape,
                "start": number(row.part.start_value),
                "start_date": (row.part.start_date or window_start(kr)).isoformat(),
                "target": number(row.part.target_value),
                "current": number(row.part.current_value),
                "unit": row.part.unit,
                "weight": number(row.part.weight),
                "progress": round(row.progress, 4),
                "forecast": forecasts.get(row.part.pk),
            }
            for row in part_rows(kr, found[kr.pk], on)
        ]
