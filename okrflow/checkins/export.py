"""Check-in data for `okrflow okrs --json` and other exports, in a fixed number of queries."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from okrflow.checkins.models import CheckInState, KeyResultCheckIn
from okrflow.checkins.schedule import local_now
from okrflow.okrs.export_tree import number_or_none


def line_date(line: KeyResultCheckIn) -> str:
    if line.value_record is not None:
        return line.value_record.measured_on.isoformat()
    checkin = line.checkin
    assert checkin.submitted_at is not None
    return local_now(checkin.cycle, checkin.submitted_at).date().isoformat()


def checkin_data_for(objective_ids: Any) -> dict[str, dict[int, Any]]:
    """Return the check-in history of these objectives' key results, in one query.

    `objective_ids` is a list of ids or a queryset of them (`.values("pk")`). Only submitted
    entries that no correction replaced count. The result:

        {"key_results": {kr_id: [{"date": "2026-05-15", "value": 3000, "confidence": 0.9,
                                   "person": "specialist.marketing", "pace": "slow"}, ...]},
         "objectives": {objective_id: {"date": ..., "person": ..., "obstacles": ...,
                                       "solutions": ..., "late_work": ..., "pace": ...}}}

    Check-ins are oldest first; an objective's entry is the latest check-in that wrote
    obstacles, solutions or late work. `pace` is the person's own sense of pace ("fast",
    "normal", "slow") or null.

    A key result or objective without check-ins is absent from its map.
    """
    lines = (
        KeyResultCheckIn.objects.filter(
            key_result__objective_id__in=objective_ids,
            checkin__state=CheckInState.SUBMITTED,
            checkin__corrections__isnull=True,
        )
        .select_related("checkin__cycle", "checkin__person__user", "value_record", "key_result")
        .order_by("checkin__week", "checkin__submitted_at", "id")
    )
    key_results: dict[int, list[dict[str, Any]]] = defaultdict(list)
    objectives: dict[int, dict[str, Any]] = {}
    for line in lines:
        checkin = line.checkin
        person = checkin.person.user.get_username()
        key_results[line.key_result_id].append(
            {
                "date": line_date(line),
                "value": number_or_none(line.value),
                "confidence": None if line.confidence is None else float(line.confidence),
                "person": person,
                "pace": checkin.pace or None,
            }
        )
        if checkin.obstacles or checkin.solutions or checkin.late_work:
            objectives[line.key_result.objective_id] = {
                "date": line_date(line),
                "week": checkin.week.isoformat(),
                "person": person,
                "obstacles": checkin.obstacles,
                "solutions": checkin.solutions,
                "late_work": checkin.late_work,
                "pace": checkin.pace or None,
            }
    return {"key_results": dict(key_results), "objectives": objectives}


def fill_checkins(objectives: list[dict[str, Any]], objective_ids: Any) -> None:
    """Add each KR's check-ins and each objective's latest obstacles and solutions (one query).

    Registered with `okrflow.okrs.export_extras` by `CheckinsConfig.ready()`.
    """
    history = checkin_data_for(objective_ids)
    for objective in objectives:
        objective["latest_checkin"] = history["objectives"].get(objective["id"])
        for kr in objective["key_results"]:
            kr["checkins"] = history["key_results"].get(kr["id"], [])
