"""Team check-ins: who has checked in this week, for a manager (everyone, for an admin)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from okrflow.checkins.models import CheckIn, OneOnOne
from okrflow.checkins.schedule import open_weeks
from okrflow.checkins.scope import key_results_by_person, managed_people
from okrflow.checkins.views.common import Place, find_place, request_access
from okrflow.engine.cadence import Timeliness, judge_week
from okrflow.org.models import Person

PEOPLE_PER_PAGE = 50


@dataclass
class TeamRow:
    person: Person
    key_results: int
    checkin: CheckIn | None  # the week's entry as it stands (draft or latest correction)
    mark: Timeliness | None  # None until submitted
    meeting: OneOnOne | None

    @property
    def state(self) -> str:
        """Return one of: no_key_results, not_started, prepared, on_time, late."""
        if self.checkin is None:
            return "not_started" if self.key_results else "no_key_results"
        if not self.checkin.is_submitted:
            return "prepared"
        return "late" if self.mark == Timeliness.LATE else "on_time"


def team_rows(place: Place, people: list[Person]) -> list[TeamRow]:
    """Build the rows in four queries, whatever the number of people."""
    cycle, week = place.cycle, place.week
    ids = [p.pk for p in people]
    key_results = key_results_by_person(cycle, ids)
    entries: dict[int, list[CheckIn]] = {}
    for entry in CheckIn.objects.filter(cycle=cycle, week=week.start, person_id__in=ids).order_by(
        "id"
    ):
        entries.setdefault(entry.person_id, []).append(entry)
    meetings = {
        m.person_id: m
        for m in OneOnOne.objects.filter(cycle=cycle, week=week.start, person_id__in=ids)
    }
    now = timezone.now()
    rows = []
    for person in people:
        chain = entries.get(person.pk, [])
        mark = None
        if chain and chain[0].is_submitted:
            mark = judge_week(week, chain[0].submitted_at, now, cycle.checkin_hour, cycle.time_zone)
        rows.append(
            TeamRow(
                person=person,
                key_results=len(key_results.get(person.pk, [])),
                checkin=chain[-1] if chain else None,
                mark=mark,
                meeting=meetings.get(person.pk),
            )
        )
    return rows


def neighbours(place: Place) -> tuple[Any, Any]:
    weeks = open_weeks(place.cycle)
    index = weeks.index(place.week)
    earlier = weeks[index - 1] if index > 0 else None
    later = weeks[index + 1] if index + 1 < len(weeks) else None
    return earlier, later


@require_GET
@login_required
def team(request: HttpRequest) -> HttpResponse:
    """Show the manager's people and where each stands with this week's check-in."""
    access = request_access(request)
    place = find_place(request)
    if place is None:
        return render(request, "checkins/team.html", {"no_week": True})
    paginator = Paginator(managed_people(access), PEOPLE_PER_PAGE)
    page = paginator.get_page(request.GET.get("page"))
    rows = team_rows(place, list(page.object_list))
    counts = {state: 0 for state in ("on_time", "late", "prepared", "not_started")}
    for row in rows:
        if row.state in counts:
            counts[row.state] += 1
    earlier, later = neighbours(place)
    return render(
        request,
        "checkins/team.html",
        {
            "cycle": place.cycle,
            "week": place.week,
            "is_current": place.is_current,
            "rows": rows,
            "page": page,
            "counts": counts,
            "expected": sum(1 for row in rows if row.key_results),
            "earlier": earlier,
            "later": later,
        },
    )
