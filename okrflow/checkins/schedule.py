"""A cycle's check-in calendar: the pure cadence rules applied to a Cycle row."""

from __future__ import annotations

import datetime

from django.db import router
from django.utils import timezone

from okrflow.compiled_reads import rows_by_ids
from okrflow.cycles.clock import holidays_for as holidays_for
from okrflow.cycles.clock import local_now as local_now
from okrflow.cycles.clock import local_today as local_today
from okrflow.cycles.models import Cycle, CycleState
from okrflow.engine import cadence
from okrflow.engine.cadence import CheckinWeek
from okrflow.front.params import parse_id


def weeks_of(cycle: Cycle) -> list[CheckinWeek]:
    """Return every check-in week of the cycle, oldest first."""
    return cadence.cycle_weeks(
        cycle.start_date, cycle.end_date, cycle.checkin_weekday, holidays_for(cycle)
    )


def week_of(cycle: Cycle, start: datetime.date) -> CheckinWeek | None:
    """Return the cycle week starting on this Monday, or None when the cycle has no such week."""
    return next((week for week in weeks_of(cycle) if week.start == start), None)


def measured_day(
    cycle: Cycle, week: CheckinWeek, now: datetime.datetime | None = None
) -> datetime.date:
    """Return the day a week's check-in values are measured on: its check-in day, or today.

    A late check-in for an earlier week reports how things stood that week, so its values
    belong at that week's check-in day (the day before a holiday when one moved it), never at
    the day it was typed in: the history stays in order and the current value stays the newest.
    A check-in written before its day measures today (a value cannot be dated in the future).
    """
    return min(week.due or week.nominal, local_today(cycle, now))


def current_week(cycle: Cycle, now: datetime.datetime | None = None) -> CheckinWeek | None:
    """Return this week's check-in week, or None when today is outside the cycle's weeks."""
    return week_of(cycle, cadence.week_start(local_today(cycle, now)))


def open_weeks(cycle: Cycle, now: datetime.datetime | None = None) -> list[CheckinWeek]:
    """Return the weeks a check-in may be written for: every week up to and including this one."""
    today = local_today(cycle, now)
    return [week for week in weeks_of(cycle) if week.start <= today]


def due_moment(cycle: Cycle, week: CheckinWeek) -> datetime.datetime | None:
    """Return when the week's check-in is due, or None in a holiday week."""
    if week.due is None:
        return None
    return cadence.due_moment(week.due, cycle.checkin_hour, cycle.time_zone)


def next_due_day(cycle: Cycle, after: datetime.date) -> datetime.date | None:
    """Return the first due day of the cycle strictly after a date."""
    return next(
        (week.due for week in weeks_of(cycle) if week.due is not None and week.due > after), None
    )


def default_cycle(cycle_id: str | None = None) -> Cycle | None:
    """Pick the cycle asked for, else the active one containing today, else the newest active."""
    cycles = Cycle.objects.all()
    asked = parse_id(cycle_id)
    if asked is not None:
        # Every check-in POST names its cycle: the query is compiled once (`rows_by_ids`).
        found = rows_by_ids(
            "cycle by id",
            lambda marks: Cycle.objects.filter(pk__in=marks),
            router.db_for_read(Cycle),
            [asked],
        )
        if found:
            return found[0]
    today = timezone.localdate()
    active = cycles.filter(state=CycleState.ACTIVE)
    return (
        active.filter(start_date__lte=today, end_date__gte=today).first()
        or active.first()
        or cycles.first()
    )
