"""The late work of a check-in as shown: each item and the initiative it became (#16)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from okrflow.checkins.models import CheckIn
from okrflow.checkins.schedule import local_today
from okrflow.okrs.models import Initiative, KeyResult


@dataclass
class LateRow:
    item: str
    initiative: Initiative | None


def late_work_context(checkin: CheckIn | None, key_results: list[KeyResult]) -> dict[str, Any]:
    """Return the check-in's late items, each with the initiative it became (one query)."""
    if checkin is None or not checkin.late_work:
        return {"late_rows": [], "late_key_results": key_results}
    made = {
        link.item: link.initiative
        for link in checkin.late_initiatives.select_related("initiative")  # type: ignore[attr-defined]
    }
    cycle = checkin.cycle
    return {
        "late_rows": [LateRow(item, made.get(item)) for item in checkin.late_items],
        "late_key_results": key_results,
        "can_turn_late": checkin.is_submitted and not cycle.is_closed and bool(key_results),
        "late_min_day": max(local_today(cycle), cycle.start_date),
    }
