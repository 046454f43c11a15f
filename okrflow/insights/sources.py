"""Where insights read check-in data: the one adapter between this app and `okrflow.checkins`.

Check-ins (issue 4) store, per owner and cycle week, a `CheckIn` with the week's obstacles and
solutions, and per key result a `KeyResultCheckIn` line with the value and the confidence (a
probability: high 0.9, medium 0.6, low 0.3). Only submitted entries that no correction replaced
count. Obstacles are written per check-in, so every line of a check-in shares them; a line's
own note, when present, is read as that key result's obstacle.

Everything else in insights reads check-ins through these functions, so a change in the
check-in models is a change here only. Without the check-ins app, every function returns
nothing and insights fall back to the key results' value history.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from okrflow.cycles.models import Cycle
from okrflow.listed import among

# A line whose confidence is at most this, with an obstacle the week before did not have, is
# read as blocked: "low" is the owner's own word that the key result is in trouble.
BLOCKING_CONFIDENCE = 0.3


@dataclass(frozen=True)
class CheckinLine:
    """One key result's line of a submitted check-in."""

    key_result_id: int
    person_id: int
    day: datetime.date
    value: Decimal | None
    confidence: float | None
    obstacle: str
    # The person's own sense of pace at that check-in ("fast", "normal", "slow" or "").
    pace: str = ""

    @property
    def blocking(self) -> bool:
        return bool(self.obstacle) and (
            self.confidence is not None and self.confidence <= BLOCKING_CONFIDENCE
        )


def checkins_available() -> bool:
    """Tell whether the check-ins app provides its models."""
    try:
        from okrflow.checkins.models import KeyResultCheckIn  # noqa: F401
    except ImportError:
        return False
    return True


def checkin_lines(
    key_result_scope: Any, cycle: Cycle | None = None
) -> dict[int, list[CheckinLine]]:
    """Return each key result's submitted check-in lines, oldest first, in one query.

    `key_result_scope` is a list or a subquery of key result ids.
    """
    try:
        from okrflow.checkins.models import CheckInState, KeyResultCheckIn
    except ImportError:
        return {}
    rows = (
        KeyResultCheckIn.objects.filter(
            among("key_result_id", key_result_scope),
            checkin__state=CheckInState.SUBMITTED,
            checkin__corrections__isnull=True,
        )
        .order_by("checkin__week", "checkin__submitted_at", "id")
        .values_list(
            "key_result_id",
            "checkin__person_id",
            "checkin__week",
            "checkin__cycle__checkin_weekday",
            "value_record__measured_on",
            "value",
            "confidence",
            "note",
            "checkin__obstacles",
            "checkin__pace",
        )
    )
    lines: dict[int, list[CheckinLine]] = defaultdict(list)
    for (
        kr_id,
        person_id,
        week,
        weekday,
        measured_on,
        value,
        confidence,
        note,
        obstacles,
        pace,
    ) in rows:
        day = measured_on or week + datetime.timedelta(days=weekday or 0)
        lines[kr_id].append(
            CheckinLine(
                key_result_id=kr_id,
                person_id=person_id,
                day=day,
                value=value,
                confidence=None if confidence is None else float(confidence),
                obstacle=(note or obstacles or "").strip(),
                pace=pace or "",
            )
        )
    for items in lines.values():
        items.sort(key=lambda line: line.day)
    return dict(lines)


def latest_confidence(lines: list[CheckinLine]) -> tuple[float | None, datetime.date | None]:
    """Return the latest confidence given on a key result and its day."""
    for line in reversed(lines):
        if line.confidence is not None:
            return line.confidence, line.day
    return None, None


def compliance_for(cycle: Cycle, unit: Any, now: datetime.datetime) -> Any | None:
    """Return the check-ins app's compliance report for a unit (everyone when None)."""
    try:
        from okrflow.checkins.compliance import compliance_report, people_in
    except ImportError:
        return None
    return compliance_report(cycle, people_in(unit), now, unit=unit)


def compliance_totals_for(cycle: Cycle, unit: Any, now: datetime.datetime) -> Any | None:
    """Return the check-ins app's compliance figures for a unit (everyone when None)."""
    try:
        from okrflow.checkins.compliance import compliance_totals, people_in
    except ImportError:
        return None
    return compliance_totals(cycle, people_in(unit), now)


def confidence_outcomes(**filters: Any) -> list[tuple[float, Decimal, str, int, int | None, int]]:
    """Return every confidence given on a graded key result, with its grade.

    Rows are (confidence, score, objective kind, person who gave it, their unit, key result);
    `filters` narrow the check-in lines (e.g. ``checkin__person=person``). One query.
    """
    try:
        from okrflow.checkins.models import CheckInState, KeyResultCheckIn
    except ImportError:
        return []
    rows = (
        KeyResultCheckIn.objects.filter(
            checkin__state=CheckInState.SUBMITTED,
            checkin__corrections__isnull=True,
            confidence__isnull=False,
            key_result__grade__isnull=False,
            **filters,
        )
        .order_by("id")
        .values_list(
            "confidence",
            "key_result__grade__score",
            "key_result__objective__kind",
            "checkin__person_id",
            "checkin__person__unit_id",
            "key_result_id",
        )
    )
    return [
        (float(confidence), score, kind, person_id, unit_id, kr_id)
        for confidence, score, kind, person_id, unit_id, kr_id in rows
    ]


class CheckinReader:
    """Tell whose check-ins a reader may read: their own, their reports', everyone's for admins.

    The same rule as the check-in pages (which answer 404 to anyone else), so risk evidence and
    a key result's history quote a check-in's obstacles and confidences only to those readers.
    `user=None` is the system (commands run by an administrator): it reads everything.
    """

    def __init__(self, user: Any) -> None:
        from okrflow.org.access import access_for

        self.user = user
        self.access = None if user is None else access_for(user)
        self.known: dict[int, bool] = {}
        self.objectives: dict[int, bool] = {}

    def prepare(self, person_ids: set[int]) -> None:
        """Decide for many people at once (one query), before a page asks about each."""
        wanted = {pk for pk in person_ids if pk not in self.known}
        if self.access is None or not wanted:
            return
        try:
            from okrflow.checkins.scope import may_see
        except ImportError:
            return
        from okrflow.org.models import Person

        for person in Person.objects.filter(pk__in=wanted).only("pk", "unit_id"):
            self.known[person.pk] = may_see(self.access, person)

    def may_read(self, person_ids: set[int] | None) -> bool:
        """Tell whether every one of these people's check-ins is readable.

        None means "not recorded" (a risk stored before the people were): admins only.
        """
        if self.access is None:
            return True
        if person_ids is None:
            return self.access.is_admin
        self.prepare(person_ids)
        return all(self.known.get(pk, False) for pk in person_ids)

    def prepare_objectives(self, objective_ids: set[int]) -> None:
        """Learn which of these objectives the reader may see (one query), for evidence that
        names another objective (an archived parent)."""
        wanted = {pk for pk in objective_ids if pk not in self.objectives}
        if self.access is None or not wanted:
            return
        from okrflow.okrs.models import Objective

        visible = set(
            Objective.objects.visible_to(self.user)
            .filter(pk__in=wanted)
            .values_list("pk", flat=True)
        )
        self.objectives.update({pk: pk in visible for pk in wanted})

    def may_see_objective(self, objective_id: int) -> bool:
        if self.access is None:
            return True
        self.prepare_objectives({objective_id})
        return self.objectives[objective_id]
