"""Calibration over closed cycles: how well each person's weekly confidence predicted the grade."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from okrflow.compiled_reads import formed_values
from okrflow.cycles.models import Cycle, CycleState
from okrflow.engine.calibration import Calibration, Prediction, calibrate, calibrate_by
from okrflow.engine.grading import success_bar
from okrflow.insights.sources import confidence_outcomes
from okrflow.org.models import OrgUnit, Person


def predictions(
    rows: Iterable[tuple[float, Decimal, str, int, int | None, int]],
) -> list[Prediction]:
    """Pair each confidence with whether its key result reached its objective's bar."""
    return [
        Prediction(
            confidence=confidence,
            outcome=score >= success_bar(kind),
            person_id=person_id,
            unit_id=unit_id,
            key_result_id=kr_id,
        )
        for confidence, score, kind, person_id, unit_id, kr_id in rows
    ]


# The closed cycles calibration reads: the latest ones. A page then reads a bounded history,
# not every confidence ever given (and nothing at all before a first cycle closes).
CALIBRATION_CYCLES = 4


def calibration_cycles() -> list[int]:
    """Return the ids of the latest closed cycles, those calibration reads (one short query)."""
    # Compiled once (`compiled_reads.formed_values`): every unit and person page asks.
    return [
        pk
        for (pk,) in formed_values(
            "calibration cycles",
            CALIBRATION_CYCLES,  # the statement's LIMIT
            lambda _values: (
                Cycle.objects.filter(state=CycleState.CLOSED)
                .order_by("-end_date", "-pk")
                .values_list("pk")[:CALIBRATION_CYCLES]
            ),
            Cycle.objects.db,
            (),
        )
    ]


def outcomes_in_closed_cycles(**filters: Any) -> list[Prediction]:
    """Return the predictions of the latest closed cycles' check-ins `filters` select."""
    cycles = calibration_cycles()
    if not cycles:
        return []  # no cycle closed yet: no grade to compare a confidence with
    return predictions(confidence_outcomes(key_result__objective__cycle_id__in=cycles, **filters))


def person_calibration(person: Person) -> Calibration:
    """Summarise the confidences a person gave in the latest closed cycles."""
    return calibrate(outcomes_in_closed_cycles(checkin__person=person))


def unit_calibration(unit: OrgUnit) -> tuple[Calibration, list[tuple[Person, Calibration]]]:
    """Summarise a unit (and the units below it), and each of its people."""
    found = outcomes_in_closed_cycles(checkin__person__unit__path__startswith=unit.path)
    by_person = calibrate_by(found, lambda p: p.person_id)
    people: dict[Any, Person] = Person.objects.in_bulk([pk for pk in by_person if pk is not None])
    rows = sorted(
        ((people[pk], summary) for pk, summary in by_person.items() if pk in people),
        key=lambda row: row[0].full_name,
    )
    return calibrate(found), rows


def reliability_view(summary: Calibration | None) -> dict[str, Any] | None:
    """Return the summary with the points of its reliability diagram (160 × 160 SVG)."""
    if summary is None:
        return None
    from okrflow.front.templatetags.okrflow import percent

    points = [
        {
            "x": round(20 + (row.mean_confidence or 0) * 130, 1),
            "y": round(140 - (row.observed_rate or 0) * 130, 1),
            "r": round(3 + min(6.0, row.count**0.5), 1),
            "label": f"{percent(row.mean_confidence)} → {percent(row.observed_rate)} ({row.count})",
        }
        for row in summary.rows
        if row.count
    ]
    return {"summary": summary, "points": points}
