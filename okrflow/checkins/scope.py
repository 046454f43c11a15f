"""Who checks in on what: the key results in a person's weekly check-in, loaded in bulk.

A person's check-in holds every live key result of the cycle that they own, plus the key
results of the objectives they own: their own objectives, the objectives of the units they
lead (directly, not the units below) and of the projects they lead. So the head of marketing
reports on the department's key results even where a specialist owns one, and both values
stay in the key result's history. Co-owners check in too: a co-owner of an objective on all
its key results, a co-owner of a key result on that one. Each person's check-in is their own
row (one per person per week), so an owner and a co-owner checking in on the same key result
the same week write two check-ins and two values, each attributed to who wrote it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from typing import Any

from django.db import connections, router
from django.db.models import IntegerField, Q, QuerySet, Value

from okrflow.checkins.models import CheckIn, CheckInState, KeyResultCheckIn
from okrflow.compiled_reads import rows_by_ids
from okrflow.cycles.models import Cycle
from okrflow.okrs.models import CoOwner, KeyResult, ObjectiveState
from okrflow.org.access import Access
from okrflow.org.models import Person

# Up to this many people (a list), their key results' ids are read first, then the rows by id.
FEW_PEOPLE = 50


def key_results_query(cycle: Cycle, scope: Any) -> QuerySet[KeyResult]:
    """Return the cycle's live key results that belong in the check-ins of `scope` (ids).

    For a few people (a check-in, a person's page) the ids come first from a UNION of six
    lookups, each of which an index answers (a key result's owner, an objective's owner person,
    a led unit, a led project, a co-owner row of a key result or of an objective), then the rows
    by primary key: one OR across the joins made the database read every key result of the
    cycle (~100 ms of every check-in at 90,000 key results). For many people (a report over a
    unit or the company) most of the cycle is wanted anyway, and the single pass over it is
    the cheaper plan.
    """
    if isinstance(scope, list | tuple | set | frozenset) and len(scope) <= FEW_PEOPLE:
        chosen = Q(pk__in=sorted(set(key_result_ids(cycle, scope).values_list("pk", flat=True))))
    else:
        chosen = Q(objective__cycle=cycle) & (
            Q(owner_id__in=scope)
            | Q(objective__owner_person_id__in=scope)
            | Q(objective__owner_unit__lead_id__in=scope)
            | Q(objective__owner_project__lead_id__in=scope)
            | Q(pk__in=co_owner_rows(scope).values("key_result_id"))
            | Q(objective_id__in=co_owner_rows(scope).values("objective_id"))
        )
    return key_result_rows(chosen)


def key_result_rows(chosen: Q) -> QuerySet[KeyResult]:
    """The live key results `chosen` picks, with their objectives' owners and cycle, in the
    order of a check-in (the objectives', then the key results' own)."""
    return (
        KeyResult.objects.filter(chosen)
        .filter(is_archived=False)
        .exclude(objective__state=ObjectiveState.ARCHIVED)
        .select_related(
            "objective__owner_unit",
            "objective__owner_project",
            "objective__owner_person",
            "objective__cycle",
        )
        .order_by("objective__position", "objective_id", "position", "id")
    )


def key_result_ids(cycle: Cycle, scope: Any) -> QuerySet[KeyResult]:
    """Return the ids of the cycle's live key results tied to `scope` by any rule (duplicates
    kept): archived key results and those of archived objectives are left out."""
    in_cycle = (
        KeyResult.objects.filter(objective__cycle=cycle, is_archived=False)
        .exclude(objective__state=ObjectiveState.ARCHIVED)
        .order_by()
    )
    rules = [
        Q(owner_id__in=scope),
        Q(objective__owner_person_id__in=scope),
        Q(objective__owner_unit__lead_id__in=scope),
        Q(objective__owner_project__lead_id__in=scope),
        Q(coowners__person_id__in=scope),
        Q(objective__coowners__person_id__in=scope),
    ]
    first, *rest = (in_cycle.filter(rule).values("pk") for rule in rules)
    return first.union(*rest, all=True)


def co_owner_rows(scope: Any) -> QuerySet[CoOwner]:
    return CoOwner.objects.filter(person_id__in=scope)


# Up to this many objectives, their ids are sent as they are rather than as a subquery.
FEW_OBJECTIVES = 200


def co_owners_by_key_result(
    cycle: Cycle, scope: Any, key_results: Iterable[tuple[int, int]]
) -> dict[int, set[int]]:
    """Return, per key result id, the people of `scope` co-owning it or its objective (one query).

    `key_results` are (key result id, objective id) pairs of `key_results_query(cycle, scope)`;
    the rows are matched by subquery, so a large cycle never hits the limit on query parameters.
    """
    krs_of_objective: dict[int, list[int]] = defaultdict(list)
    for kr_id, objective_id in key_results:
        krs_of_objective[objective_id].append(kr_id)
    found: dict[int, set[int]] = defaultdict(set)
    if not krs_of_objective:
        return found
    if len(krs_of_objective) <= FEW_OBJECTIVES:
        # One person's check-in: the ids themselves, a query the database plans at once.
        kr_ids: Any = [kr_id for ids in krs_of_objective.values() for kr_id in ids]
        objective_ids: Any = list(krs_of_objective)
    else:
        in_check_ins = key_results_query(cycle, scope).order_by()
        kr_ids = in_check_ins.values("pk")
        objective_ids = in_check_ins.values("objective_id")
    rows = (
        co_owner_rows(scope)
        .filter(Q(key_result_id__in=kr_ids) | Q(objective_id__in=objective_ids))
        .values_list("person_id", "objective_id", "key_result_id")
    )
    for person_id, objective_id, key_result_id in rows:
        for kr_id in krs_of_objective.get(objective_id, []) if objective_id else [key_result_id]:
            found[kr_id].add(person_id)
    return found


def people_of(kr: KeyResult, co_owners: set[int] | None = None) -> set[int]:
    """Return everyone whose check-in includes this key result (`co_owners`: its co-owners)."""
    objective = kr.objective
    found = {kr.owner_id} | (co_owners or set())
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
    """Return each person's check-in key results, in two queries (key results, co-owners).

    `scope` may be a subquery selecting the same ids, so that large sets of people never hit
    the database's limit on query parameters.
    """
    found: dict[int, list[KeyResult]] = defaultdict(list)
    wanted = set(person_ids)
    scope = scope if scope is not None else list(wanted)
    key_results = list(key_results_query(cycle, scope))
    co_owners = co_owners_by_key_result(
        cycle, scope, [(kr.pk, kr.objective_id) for kr in key_results]
    )
    for kr in key_results:
        for person_id in people_of(kr, co_owners.get(kr.pk)) & wanted:
            found[person_id].append(kr)
    return found


def key_result_counts(cycle: Cycle, scope: Any) -> dict[int, int]:
    """Count each person's check-in key results without loading them (for reports over many).

    One query: the key results with their fixed people, united with their co-owners' ids.
    """
    base = key_results_query(cycle, scope).order_by()
    none = Value(None, output_field=IntegerField())
    fixed = base.values_list(
        "pk",
        "owner_id",
        "objective__owner_person_id",
        "objective__owner_unit__lead_id",
        "objective__owner_project__lead_id",
    )
    co_owners_of_kr = (
        base.filter(coowners__person_id__in=scope)
        .annotate(a=none, b=none, c=none)
        .values_list("pk", "coowners__person_id", "a", "b", "c")
    )
    co_owners_of_objective = (
        base.filter(objective__coowners__person_id__in=scope)
        .annotate(a=none, b=none, c=none)
        .values_list("pk", "objective__coowners__person_id", "a", "b", "c")
    )
    people_by_kr: dict[int, set[int]] = defaultdict(set)
    for kr_id, *people in fixed.union(co_owners_of_kr, co_owners_of_objective, all=True):
        people_by_kr[kr_id] |= {person_id for person_id in people if person_id is not None}
    counts: dict[int, int] = defaultdict(int)
    for people in people_by_kr.values():
        for person_id in people:
            counts[person_id] += 1
    return counts


# Stand-ins for a cycle's and a person's id in `key_result_ids`, compiled once (no real id is
# negative); each is replaced by the real id in the compiled statement's parameters.
CYCLE_MARK, PERSON_MARK = -7_000_000_001, -7_000_000_002


@dataclass(frozen=True)
class CompiledIds:
    sql: str
    params: tuple[Any, ...]

    def run(self, using: str, cycle_id: int, person_id: int) -> set[int]:
        marks = {CYCLE_MARK: cycle_id, PERSON_MARK: person_id}
        params = [
            marks.get(value, value) if isinstance(value, int) else value for value in self.params
        ]
        with connections[using].cursor() as cursor:
            cursor.execute(self.sql, params)
            return {int(row[0]) for row in cursor.fetchall()}


_compiled_ids: dict[str, CompiledIds] = {}


def checkin_key_result_ids(person: Person, cycle: Cycle) -> set[int]:
    """Return the ids of the key results in one person's check-in (one query, the same rules
    as `key_results_for`), for a writer that reads the rows themselves under its lock.

    Every check-in asks it: `key_result_ids`' six-part UNION is compiled once per database (the
    ORM's compiling cost about as much CPU as the database's answer), then run with the ids.
    """
    using = router.db_for_read(KeyResult)
    compiled = _compiled_ids.get(using)
    if compiled is None:
        query = key_result_ids(Cycle(pk=CYCLE_MARK), [PERSON_MARK]).query
        sql, params = query.get_compiler(using).as_sql()
        compiled = _compiled_ids[using] = CompiledIds(sql, tuple(params))
    return compiled.run(using, cycle.pk, person.pk)


def key_results_for(person: Person, cycle: Cycle) -> list[KeyResult]:
    """Return the key results in one person's check-in, in two queries (their ids, the rows).

    Each id the lookups find is tied to this person by one of the rules of `people_of`, the
    same rules: no co-owner query is needed to tell whose key result it is. Both queries are
    compiled once per process (every check-in page and POST asks): `checkin_key_result_ids`,
    then the rows by `compiled.rows_by_ids`.
    """
    ids = sorted(checkin_key_result_ids(person, cycle))
    return rows_by_ids(
        "key results of a check-in",
        lambda marks: key_result_rows(Q(pk__in=marks)),
        router.db_for_read(KeyResult),
        ids,
    )


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


def manages_anyone(access: Access) -> bool:
    """Tell whether the user has a team to see: an admin, a unit lead, or someone's manager.

    One indexed EXISTS on the direct reports (a chain has reports only if its first link has),
    instead of the whole chain, which reads every person's manager (10,000 rows at 10,000
    people) on each check-in page only to show a tab.
    """
    if access.is_admin or access.is_unit_lead:
        return True
    if access.person is None:
        return False
    if "chain_report_ids" in access.__dict__:  # already worked out for this request
        return bool(access.chain_report_ids)
    return Person.objects.filter(manager_id=access.person.pk).exists()


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
