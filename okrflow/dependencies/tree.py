"""Hand-offs drawn on the company tree: a line under each objective that waits for another."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Q

from okrflow.dependencies.models import Dependency


@dataclass
class HandOff:
    """One "waits for" line: the objective waited for (if the reader sees it) and by when."""

    objective_id: int
    title: str
    expected_by: date


def attach_hand_offs(rows: list[Any]) -> None:
    """Set `hand_offs` on each tree row whose objective (or one of its key results) waits.

    Only goals on the tree (what the reader sees) are named; one query.
    """
    shown = {row.report.objective.pk: row for row in rows}
    for row in rows:
        row.hand_offs = []
    if not shown:
        return
    links = Dependency.objects.filter(
        Q(dependent_objective_id__in=shown) | Q(dependent_key_result__objective_id__in=shown)
    ).values_list(
        "dependent_objective_id",
        "dependent_key_result__objective_id",
        "target_objective_id",
        "target_key_result__objective_id",
        "expected_by",
    )
    found: dict[int, dict[int, date]] = defaultdict(dict)
    for dep_objective, dep_kr_objective, target_objective, target_kr_objective, day in links:
        source = dep_objective or dep_kr_objective
        target = target_objective or target_kr_objective
        if target in shown and target != source:
            known = found[source].get(target)
            found[source][target] = min(day, known) if known else day
    for source, targets in found.items():
        shown[source].hand_offs = [
            HandOff(target, shown[target].report.objective.title, day)
            for target, day in sorted(targets.items(), key=lambda item: item[1])
        ]
