"""Reads the check-in pages share: open actions, the next 1:1, feedback, a person's weeks."""

from __future__ import annotations

import datetime
from collections import defaultdict
from functools import cached_property

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


class CycleCheckIns:
    """Every entry of one person's check-ins in one cycle, read in one query, oldest first.

    The check-in page asks four things of them (the week's entry as it stands, its chain, the
    weeks submitted, the last submitted check-in before the week); each is answered here from
    the same rows as `effective_checkin`, `chain_of`, `week_marks` and the page's previous
    check-in read them (tests compare both). A person has one entry a week and a correction
    now and then: a few dozen rows at most.
    """

    def __init__(self, person: Person, cycle: Cycle) -> None:
        self.entries = list(CheckIn.objects.filter(person=person, cycle=cycle).order_by("id"))
        for entry in self.entries:  # known already: never read again through the entry
            entry.person, entry.cycle = person, cycle

    @cached_property
    def corrected_ids(self) -> frozenset[int]:
        return frozenset(entry.corrects_id for entry in self.entries if entry.corrects_id)

    def is_effective(self, entry: CheckIn) -> bool:
        return entry.pk not in self.corrected_ids

    def effective(self, week: datetime.date) -> CheckIn | None:
        """The week's entry as it stands: the draft, or the last entry of its chain."""
        found = [e for e in self.entries if e.week == week and self.is_effective(e)]
        return found[-1] if found else None

    def chain(self, week: datetime.date) -> list[CheckIn]:
        """Every entry of the week, oldest first."""
        return [entry for entry in self.entries if entry.week == week]

    def submitted_weeks(self) -> dict[datetime.date, datetime.datetime | None]:
        """Each submitted week's original entry's submission time (what timeliness judges)."""
        return {
            entry.week: entry.submitted_at
            for entry in self.entries
            if entry.is_submitted and entry.corrects_id is None
        }

    def previous(self, week: datetime.date) -> CheckIn | None:
        """The last submitted check-in before `week` as it stands (its newest entry)."""
        earlier = [
            entry
            for entry in self.entries
            if entry.week < week and entry.is_submitted and self.is_effective(entry)
        ]
        return max(earlier, key=lambda entry: (entry.week, entry.pk), default=None)


def chain_of(checkin: CheckIn) -> list[CheckIn]:
    """Return every entry of a check-in's week for its person, oldest first."""
    return list(
        CheckIn.objects.filter(
            person_id=checkin.person_id, cycle_id=checkin.cycle_id, week=checkin.week
        ).order_by("id")
    )


def week_marks(
    cycle: Cycle, entries: CycleCheckIns, *, expected: bool = True
) -> list[tuple[CheckinWeek, Timeliness]]:
    """Return how each open week of the cycle stands for the person of `entries`.

    Someone with no key result in the cycle (`expected=False`) owes no check-in: a week they
    did not write is "not due", never missed (compliance and reminders leave them out too).
    """
    submitted = entries.submitted_weeks()
    now = timezone.now()
    marks = []
    for week in open_weeks(cycle):
        moment = submitted.get(week.start)
        if moment is None and not expected:
            marks.append((week, Timeliness.NOT_DUE))
            continue
        marks.append((week, judge_week(week, moment, now, cycle.checkin_hour, cycle.time_zone)))
    return marks
