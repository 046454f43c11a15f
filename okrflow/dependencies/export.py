"""The `depends_on` ids `okrflow okrs --json` prints per objective and per key result."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.db.models import Q

from okrflow.dependencies.models import Dependency


def goal_ref(objective_id: int | None, key_result_id: int | None) -> dict[str, int]:
    if objective_id:
        return {"objective": objective_id}
    return {"key_result": key_result_id or 0}


def fill_depends_on(objectives: list[dict[str, Any]]) -> None:
    """Add `depends_on` to each objective and key result of a batch (one query).

    Each entry names what is waited for: {"objective": id} or {"key_result": id}, with
    "expected_by".
    """
    objective_ids = [objective["id"] for objective in objectives]
    kr_ids = [kr["id"] for objective in objectives for kr in objective["key_results"]]
    found: dict[tuple[str, int], list[dict[str, Any]]] = defaultdict(list)
    if objective_ids:
        rows = Dependency.objects.filter(
            Q(dependent_objective_id__in=objective_ids) | Q(dependent_key_result_id__in=kr_ids)
        ).values_list(
            "dependent_objective_id",
            "dependent_key_result_id",
            "target_objective_id",
            "target_key_result_id",
            "expected_by",
        )
        for dep_objective, dep_kr, target_objective, target_kr, expected_by in rows:
            key = ("objective", dep_objective) if dep_objective else ("key_result", dep_kr)
            entry = goal_ref(target_objective, target_kr)
            found[key].append({**entry, "expected_by": expected_by.isoformat()})
    for objective in objectives:
        objective["depends_on"] = found.get(("objective", objective["id"]), [])
        for kr in objective["key_results"]:
            kr["depends_on"] = found.get(("key_result", kr["id"]), [])
