"""What a person's calendar feed holds: check-in deadlines, 1:1 dates, key result due dates.

Only the person's own dates: their check-in days, the next check-ins agreed in their 1:1s
(as the person or as the manager), and the due dates of the key results they own in objectives
they may see. Everything is read in a handful of queries and written in the person's language.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from okrflow.checkins.models import OneOnOne
from okrflow.checkins.schedule import due_moment, weeks_of
from okrflow.checkins.scope import key_result_counts
from okrflow.cycles.models import Cycle, CycleState
from okrflow.engine.ical import FeedEvent, build_calendar
from okrflow.okrs.models import KeyResult, Objective, ObjectiveState
from okrflow.org.models import Person

UID_DOMAIN = "okrflow"
CHECKIN_LENGTH = datetime.timedelta(minutes=30)
ONE_DAY = datetime.timedelta(days=1)


def day_text(day: datetime.date) -> str:
    """Write a day as the reader's language does: 05/02/2027, or 5 Feb 2027 in English."""
    return date_format(day, "SHORT_DATE_FORMAT")


def feed_cycles(today: datetime.date) -> list[Cycle]:
    """Return the active cycles and the planned (draft) ones not yet over, oldest first."""
    return list(
        Cycle.objects.filter(
            Q(state=CycleState.ACTIVE) | Q(state=CycleState.DRAFT, end_date__gte=today)
        ).order_by("start_date", "id")
    )


def checkin_events(
    person: Person, cycles: list[Cycle], absolute: Callable[[str], str]
) -> list[FeedEvent]:
    """Return one event per check-in deadline; a holiday moves it earlier, as the app does.

    In an active cycle only someone with key results to report on owes check-ins; a planned
    cycle shows its whole rhythm, holidays included, so people can plan around Tết.
    """
    owing = {
        cycle.pk
        for cycle in cycles
        if cycle.state == CycleState.ACTIVE
        and key_result_counts(cycle, [person.pk]).get(person.pk, 0) > 0
    }
    link = absolute(reverse("checkins:mine"))
    events = []
    for cycle in cycles:
        planned = cycle.state == CycleState.DRAFT
        if not planned and cycle.pk not in owing:
            continue
        for week in weeks_of(cycle):
            moment = due_moment(cycle, week)
            if moment is None or week.due is None:
                continue
            summary = _("Check-in due: %(cycle)s") % {"cycle": cycle.name}
            if planned:
                summary = _("Check-in due (planned cycle): %(cycle)s") % {"cycle": cycle.name}
            description = _("Write your weekly check-in for the week of %(week)s.") % {
                "week": day_text(week.start)
            }
            if week.is_shifted:
                description += " " + _(
                    "Moved earlier from %(day)s because of a public holiday."
                ) % {"day": day_text(week.nominal)}
            events.append(
                FeedEvent(
                    uid=f"checkin-{cycle.pk}-{week.start.isoformat()}-{person.pk}@{UID_DOMAIN}",
                    summary=summary,
                    start=moment,
                    end=moment + CHECKIN_LENGTH,
                    description=description,
                    url=link,
                )
            )
    return events


def meeting_events(
    person: Person, cycles: list[Cycle], absolute: Callable[[str], str]
) -> list[FeedEvent]:
    """Return the next check-in dates agreed at the end of 1:1s the person took part in."""
    meetings = (
        OneOnOne.objects.filter(
            Q(person=person) | Q(manager=person),
            cycle__in=cycles,
            ended_at__isnull=False,
            next_checkin_on__isnull=False,
        )
        .select_related("person", "manager")
        .order_by("next_checkin_on", "id")
    )
    events = []
    for meeting in meetings:
        other = meeting.manager if meeting.person_id == person.pk else meeting.person
        name = other.full_name if other is not None else ""
        assert meeting.next_checkin_on is not None
        events.append(
            FeedEvent(
                uid=f"one-on-one-{meeting.pk}-{person.pk}@{UID_DOMAIN}",
                summary=_("1:1 check-in with %(name)s") % {"name": name},
                start=meeting.next_checkin_on,
                end=meeting.next_checkin_on + ONE_DAY,
                description=_("The next check-in agreed at the end of your last 1:1."),
                url=absolute(reverse("checkins:meeting", args=[meeting.person_id])),
            )
        )
    return events


def due_date_events(
    person: Person, cycles: list[Cycle], absolute: Callable[[str], str]
) -> list[FeedEvent]:
    """Return the due dates of the live key results the person owns, where they may see them."""
    visible = Objective.objects.visible_to(person.user).exclude(state=ObjectiveState.ARCHIVED)
    key_results = (
        KeyResult.objects.filter(
            owner=person, is_archived=False, objective__cycle__in=cycles, objective__in=visible
        )
        .select_related("objective")
        .order_by("due_date", "id")
    )
    return [
        FeedEvent(
            uid=f"kr-due-{kr.pk}@{UID_DOMAIN}",
            summary=_("Key result due: %(title)s") % {"title": kr.title},
            start=kr.due_date,
            end=kr.due_date + ONE_DAY,
            description=_("Objective: %(title)s") % {"title": kr.objective.title},
            url=absolute(reverse("objective_detail", args=[kr.objective_id]) + f"#kr-{kr.pk}"),
        )
        for kr in key_results
    ]


def person_calendar(person: Person, absolute: Callable[[str], str]) -> bytes:
    """Return the person's whole feed as an iCalendar file, in their language."""
    with translation.override(person.language):
        cycles = feed_cycles(timezone.localdate())
        events = (
            checkin_events(person, cycles, absolute)
            + meeting_events(person, cycles, absolute)
            + due_date_events(person, cycles, absolute)
        )
        name = _("OKRs: %(name)s") % {"name": person.full_name}
        return build_calendar(name, events, timezone.now(), person.language)
