"""Check-in compliance per unit and cycle: on time, late, missed and streaks, per person.

Who is counted: everyone in the unit (and the units below it) whose check-in holds at least
one key result of the cycle. Timeliness is judged on the first submitted entry of each week
(a correction does not make a check-in late). Three queries, whatever the number of people.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet

from okrflow.checkins.models import CheckIn
from okrflow.checkins.schedule import weeks_of
from okrflow.checkins.scope import key_result_counts
from okrflow.cycles.models import Cycle
from okrflow.engine.cadence import CheckinWeek, Timeliness, judge_week, streaks
from okrflow.listed import among
from okrflow.org.models import OrgUnit, Person


class OnTimeShare:
    """On-time, late and missed counts, and the share of due weeks checked in on time."""

    on_time: int
    late: int
    missed: int

    @property
    def due(self) -> int:
        return self.on_time + self.late + self.missed

    @property
    def rate(self) -> float | None:
        """Return the share of due weeks checked in on time, None before any week was due."""
        return None if self.due == 0 else self.on_time / self.due


@dataclass
class PersonCompliance(OnTimeShare):
    person: Person
    marks: list[Timeliness]
    key_results: int
    on_time: int = 0
    late: int = 0
    missed: int = 0
    current_streak: int = 0
    longest_streak: int = 0


@dataclass
class ComplianceReport:
    cycle: Cycle
    unit: OrgUnit | None
    weeks: list[CheckinWeek]
    rows: list[PersonCompliance] = field(default_factory=list)

    def total(self, name: str) -> int:
        return sum(getattr(row, name) for row in self.rows)

    @property
    def rate(self) -> float | None:
        due = self.total("due")
        return None if due == 0 else self.total("on_time") / due

    def as_data(self) -> dict[str, Any]:
        """Return the report as JSON-ready data."""
        return {
            "cycle": self.cycle.name,
            "unit": self.unit.name if self.unit else None,
            "weeks": [
                {
                    "week": week.start.isoformat(),
                    "due": week.due.isoformat() if week.due else None,
                    "shifted": week.is_shifted,
                }
                for week in self.weeks
            ],
            "people": [
                {
                    "username": row.person.user.get_username(),
                    "name": row.person.full_name,
                    "unit": row.person.unit.name if row.person.unit else None,
                    "key_results": row.key_results,
                    "on_time": row.on_time,
                    "late": row.late,
                    "missed": row.missed,
                    "rate": None if row.rate is None else round(row.rate, 4),
                    "current_streak": row.current_streak,
                    "longest_streak": row.longest_streak,
                    "weeks": [mark.value for mark in row.marks],
                }
                for row in self.rows
            ],
            "totals": {
                "on_time": self.total("on_time"),
                "late": self.total("late"),
                "missed": self.total("missed"),
                "rate": None if self.rate is None else round(self.rate, 4),
            },
        }


def people_in(unit: OrgUnit | None) -> QuerySet[Person]:
    """Return the people of a unit and every unit below it (everyone when unit is None)."""
    people = Person.objects.select_related("unit", "user").order_by("full_name", "id")
    if unit is None:
        return people
    return people.filter(unit__path__startswith=unit.path)


def first_submissions(
    cycle: Cycle, scope: Any
) -> dict[tuple[int, datetime.date], datetime.datetime]:
    """Return when each person first submitted each week's check-in (`scope`: person ids, a
    list of them as one array parameter on PostgreSQL, or a subquery)."""
    rows = (
        CheckIn.objects.submitted()
        .originals()
        .filter(among("person_id", scope), cycle=cycle)
        .values_list("person_id", "week", "submitted_at")
    )
    return {(person_id, week): submitted_at for person_id, week, submitted_at in rows}


def judge_weeks(
    cycle: Cycle,
    weeks: list[CheckinWeek],
    submitted: dict[tuple[int, datetime.date], datetime.datetime],
    person_id: int,
    now: datetime.datetime,
) -> list[Timeliness]:
    """Judge one person's check-in of every week of the cycle."""
    return [
        judge_week(
            week,
            submitted.get((person_id, week.start)),
            now,
            cycle.checkin_hour,
            cycle.time_zone,
        )
        for week in weeks
    ]


@dataclass
class ComplianceTotals(OnTimeShare):
    """A unit's compliance in figures only, without loading anyone: for dashboards at scale."""

    people: int = 0
    on_time: int = 0
    late: int = 0
    missed: int = 0
    missed_last: list[int] = field(default_factory=list)  # person ids, in name order
    expected: list[int] = field(default_factory=list)  # everyone expected, in name order


JUDGED = (Timeliness.ON_TIME, Timeliness.LATE, Timeliness.MISSED)


def compliance_totals(
    cycle: Cycle, people: QuerySet[Person], now: datetime.datetime
) -> ComplianceTotals:
    """Count on-time, late and missed check-ins of everyone expected; three queries."""
    weeks = weeks_of(cycle)
    scope = people.values("pk")
    key_results = key_result_counts(cycle, scope)
    submitted = first_submissions(cycle, scope)
    totals = ComplianceTotals()
    for person_id in people.values_list("pk", flat=True):
        if not key_results.get(person_id):
            continue
        marks = judge_weeks(cycle, weeks, submitted, person_id, now)
        totals.expected.append(person_id)
        totals.people += 1
        totals.on_time += marks.count(Timeliness.ON_TIME)
        totals.late += marks.count(Timeliness.LATE)
        totals.missed += marks.count(Timeliness.MISSED)
        judged = [mark for mark in marks if mark in JUDGED]
        if judged and judged[-1] == Timeliness.MISSED:
            totals.missed_last.append(person_id)
    return totals


def compliance_report(
    cycle: Cycle,
    people: QuerySet[Person],
    now: datetime.datetime,
    unit: OrgUnit | None = None,
) -> ComplianceReport:
    """Judge every expected person's weeks of the cycle up to `now`."""
    weeks = weeks_of(cycle)
    loaded = list(people)
    scope = people.values("pk")
    key_results = key_result_counts(cycle, scope)
    submitted = first_submissions(cycle, scope)
    report = ComplianceReport(cycle=cycle, unit=unit, weeks=weeks)
    for person in loaded:
        count = key_results.get(person.pk, 0)
        if count == 0:
            continue
        marks = judge_weeks(cycle, weeks, submitted, person.pk, now)
        current, longest = streaks(marks)
        report.rows.append(
            PersonCompliance(
                person=person,
                marks=marks,
                key_results=count,
                on_time=marks.count(Timeliness.ON_TIME),
                late=marks.count(Timeliness.LATE),
                missed=marks.count(Timeliness.MISSED),
                current_streak=current,
                longest_streak=longest,
            )
        )
    return report
