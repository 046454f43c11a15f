"""Reads the check-in pages share: open actions, the next 1:1, feedback, a person's weeks."""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.db.models import Q
from django.utils import timezone

from okrflow.checkins.models import (
    AgreedAction,
    CheckIn,
    CheckInFeedback,
    OneOnOne,
)
from okrflow.checkins.schedule import open_weeks
from okrflow.cycles.models import Cycle
from okrflow.engine.cadence import CheckinWeek, Timeliness, judge_week
from okrflow.org.models import Person


def open_actions_for(person: Person) -> list[AgreedAction]:
    """Return the actions agreed in this person's 1:1s (or given to them) that are not done."""
    return list(
        AgreedAction.objects.filter(initiative__is_done=False)
        .filter(Q(meeting__person=person) | Q(initiative__owner=person))
        .select_related("initiative__key_result", "initiative__owner", "meeting")
        .order_by("initiative__due_date", "id")
    )


def next_meeting(person: Person, today: datetime.date) -> OneOnOne | None:
    """Return the last ended 1:1 that set a next check-in date from today on."""
    return (
        OneOnOne.objects.filter(person=person, next_checkin_on__gte=today, ended_at__isnull=False)
        .order_by("-ended_at")
        .first()
    )


def feedback_by_checkin(checkins: list[CheckIn]) -> dict[int, list[CheckInFeedback]]:
    """Return the feedback on each check-in of a chain, keyed by the week's original entry."""
    found: dict[int, list[CheckInFeedback]] = defaultdict(list)
    rows = CheckInFeedback.objects.filter(checkin__in=checkins).select_related("author")
    for row in rows:
        found[row.checkin_id].append(row)
    return found


def chain_of(checkin: CheckIn) -> list[CheckIn]:
    """Return every entry of a check-in's week for its person, oldest first."""
    return list(
        CheckIn.objects.filter(
            person_id=checkin.person_id, cycle_id=checkin.cycle_id, week=checkin.week
        ).order_by("id")
    )


def week_marks(
    person: Person, cycle: Cycle, *, expected: bool = True
) -> list[tuple[CheckinWeek, Timeliness]]:
    """Return how each open week of the cycle stands for this person.

    Someone with no key result in the cycle (`expected=False`) owes no check-in: a week they
    did not write is "not due", never missed (compliance and reminders leave them out too).
    """
    submitted = dict(
        CheckIn.objects.submitted()
        .originals()
        .filter(person=person, cycle=cycle)
        .values_list("week", "submitted_at")
    )
    now = timezone.now()
    marks = []
    for week in open_weeks(cycle):
        moment = submitted.get(week.start)
        if moment is None and not expected:
            marks.append((week, Timeliness.NOT_DUE))
            continue
        marks.append((week, judge_week(week, moment, now, cycle.checkin_hour, cycle.time_zone)))
    return marks
