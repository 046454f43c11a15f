"""Who checks in on what: the key results in a person's weekly check-in, loaded in bulk.

A person's check-in holds every live key result of the cycle that they own, plus the key
results of the objectives they own: their own objectives, the objectives of the units they
lead (directly, not the units below) and of the projects they lead. So the head of marketing
reports on the department's key results even where a specialist owns one, and both values
stay in the key result's history.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable
from typing import Any

from django.db.models import Q, QuerySet

from okrflow.checkins.models import CheckIn, CheckInState, KeyResultCheckIn
from okrflow.cycles.models import Cycle
from okrflow.okrs.models import KeyResult, ObjectiveState
from okrflow.org.access import Access
from okrflow.org.models import Person


def key_results_query(cycle: Cycle, scope: Any) -> QuerySet[KeyResult]:
    """Return the cycle's live key results that belong in the check-ins of `scope` (ids)."""
    return (
        KeyResult.objects.filter(objective__cycle=cycle, is_archived=False)
        .exclude(objective__state=ObjectiveState.ARCHIVED)
        .filter(
            Q(owner_id__in=scope)
            | Q(objective__owner_person_id__in=scope)
            | Q(objective__owner_unit__lead_id__in=scope)
            | Q(objective__owner_project__lead_id__in=scope)
        )
        .select_related("objective__owner_unit", "objective__owner_project", "objective__cycle")
        .order_by("objective__position", "objective_id", "position", "id")
    )


def people_of(kr: KeyResult) -> set[int]:
    """Return everyone whose check-in includes this key result."""
    objective = kr.objective
    found = {kr.owner_id}
    if objective.owner_person_id:
        found.add(objective.owner_person_id)
    if objective.owner_unit is not None and objective.owner_unit.lead_id:
        found.add(objective.owner_unit.lead_id)
    if objective.owner_project is not None:
        found.add(objective.owner_project.lead_id)
    return found


def key_results_by_person(
    cycle: Cycle, person_ids: Collection[int], scope: Any = None
) -> dict[int, list[KeyResult]]:
    """Return each person's check-in key results, in one query.

    `scope` may be a subquery selecting the same ids, so that large sets of people never hit
    the database's limit on query parameters.
    """
    found: dict[int, list[KeyResult]] = defaultdict(list)
    wanted = set(person_ids)
    for kr in key_results_query(cycle, scope if scope is not None else list(wanted)):
        for person_id in people_of(kr) & wanted:
            found[person_id].append(kr)
    return found


def key_result_counts(cycle: Cycle, scope: Any) -> dict[int, int]:
    """Count each person's check-in key results without loading them (for reports over many)."""
    counts: dict[int, int] = defaultdict(int)
    rows = (
        key_results_query(cycle, scope)
        .order_by()
        .values_list(
            "owner_id",
            "objective__owner_person_id",
            "objective__owner_unit__lead_id",
            "objective__owner_project__lead_id",
        )
    )
    for row in rows:
        for person_id in {person_id for person_id in row if person_id is not None}:
            counts[person_id] += 1
    return counts


def key_results_for(person: Person, cycle: Cycle) -> list[KeyResult]:
    """Return the key results in one person's check-in."""
    return key_results_by_person(cycle, [person.pk]).get(person.pk, [])


def managed_people(access: Access) -> QuerySet[Person]:
    """Return the people whose check-ins this user sees as a manager (everyone for admins)."""
    people = Person.objects.select_related("unit", "user").order_by("full_name", "id")
    if access.is_admin:
        return people.exclude(pk=access.person.pk) if access.person else people
    if access.person is None:
        return people.none()
    query = Q(pk__in=list(access.chain_report_ids))
    if access.led_unit_ids:
        query |= Q(unit_id__in=list(access.led_unit_ids))
    return people.filter(query).exclude(pk=access.person.pk)


def may_manage(access: Access, person: Person) -> bool:
    """Tell whether the user is an admin or up the person's manager chain."""
    if access.is_admin:
        return True
    if access.person is None or access.person.pk == person.pk:
        return False
    return access.manages_person(person.pk, person.unit_id)


def may_see(access: Access, person: Person) -> bool:
    """Tell whether the user may read the person's check-ins: the person, managers, admins."""
    return (access.person is not None and access.person.pk == person.pk) or may_manage(
        access, person
    )


def latest_confidences(person: Person, key_results: Iterable[KeyResult]) -> dict[int, Any]:
    """Return the person's last submitted confidence per key result (one query)."""
    rows = (
        KeyResultCheckIn.objects.filter(
            checkin__person=person,
            checkin__state=CheckInState.SUBMITTED,
            key_result__in=[kr.pk for kr in key_results],
            confidence__isnull=False,
        )
        .order_by("checkin__week", "checkin__submitted_at", "id")
        .values_list("key_result_id", "confidence")
    )
    return dict(rows)


def effective_checkin(person: Person, cycle: Cycle, week_start: Any) -> CheckIn | None:
    """Return the week's check-in as it stands: the draft, or the last entry of its chain."""
    return (
        CheckIn.objects.filter(person=person, cycle=cycle, week=week_start)
        .effective()
        .order_by("-id")
        .first()
    )
