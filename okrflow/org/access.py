"""Who may see and change what: one `Access` per user, computed once per request.

The rules (PRODUCT.md, Transparency and Permissions):
- everyone in the organisation sees every non-private objective;
- a private objective is seen by its owner, the owner's manager chain and admins;
- an objective is edited by its owner, managers up the chain (the person's manager and
  theirs, the leads of the person's unit and of every unit above it), the project lead for a
  project's objectives, and admins;
- a co-owner of an objective edits it like its owner and sees it even when private; a
  co-owner of a key result edits that key result and records its values, and sees its
  objective even when private.
"""

from __future__ import annotations

import contextlib
from functools import cached_property
from typing import TYPE_CHECKING, Any

from django.db import connection
from django.db.models import Q, QuerySet

from okrflow.org.models import OrgUnit, Person, Project

FEW_REPORTS = 500  # past this many reports, a lead's are looked for from outside their units

if TYPE_CHECKING:
    from okrflow.okrs.models import KeyResult, Objective


class Access:
    """The permissions of one user, with the id sets the querysets filter on."""

    def __init__(self, user: Any) -> None:
        self.user = user

    @cached_property
    def person(self) -> Person | None:
        if not getattr(self.user, "is_authenticated", False):
            return None
        try:
            return Person.objects.select_related("unit").get(user_id=self.user.pk)
        except Person.DoesNotExist:
            return None

    @cached_property
    def is_admin(self) -> bool:
        if not getattr(self.user, "is_authenticated", False):
            return False
        return bool(self.user.is_superuser or (self.person and self.person.is_admin))

    @cached_property
    def is_member(self) -> bool:
        """Tell whether the user belongs to the organisation at all."""
        return self.is_admin or self.person is not None

    @cached_property
    def led_unit_paths(self) -> dict[int, str]:
        """The units this person leads themselves, with their paths."""
        if self.person is None:
            return {}
        return dict(OrgUnit.objects.filter(lead=self.person).values_list("pk", "path"))

    @cached_property
    def led_top_unit_ids(self) -> frozenset[int]:
        """The units this person leads that are not below another unit they lead."""
        paths = self.led_unit_paths
        return frozenset(
            pk
            for pk, path in paths.items()
            if not any(path != other and path.startswith(other) for other in paths.values())
        )

    @cached_property
    def led_unit_ids(self) -> frozenset[int]:
        """Units this person leads, with every unit below them."""
        if not self.led_unit_paths:
            return frozenset()
        return frozenset(self.led_units_query().values_list("pk", flat=True))

    @cached_property
    def chain_report_ids(self) -> frozenset[int]:
        """People whose manager chain includes this person.

        Walked down one level a query through the manager index: it reads this person's
        reports, never the whole organisation.
        """
        return frozenset(self.chain_report_units)

    @cached_property
    def chain_report_units(self) -> dict[int, int | None]:
        """This person's chain reports, each with their unit (see `chain_report_ids`)."""
        found = self.walk_down(None)
        assert found is not None
        return found

    def walk_down(self, budget: int | None) -> dict[int, int | None] | None:
        """Return the chain reports with their units; None once more than `budget` are found.

        One recursive query down the manager index (SQLite and PostgreSQL alike): it reads this
        person's reports, never the whole organisation; UNION ends a loop in the chain.
        """
        if self.person is None:
            return {}
        table = connection.ops.quote_name(Person._meta.db_table)
        step = f"SELECT p.id, p.unit_id FROM {table} p JOIN chain c ON p.manager_id = c.id"
        if budget is not None and connection.vendor == "postgresql":
            # A level's reports looked up by the index, person by person (at most a budget's
            # worth): PostgreSQL plans the join above as a hash of everyone, scanning all the
            # people at every level (1.1 ms of every insights page of a company's lead at
            # 10,000 people). OFFSET 0 keeps the subquery from being flattened into that join.
            step = (
                f"SELECT p.id, p.unit_id FROM chain c CROSS JOIN LATERAL"
                f" (SELECT id, unit_id FROM {table} WHERE manager_id = c.id OFFSET 0) p"
            )
        sql = (
            f"WITH RECURSIVE chain(id, unit_id) AS ("
            f" SELECT id, unit_id FROM {table} WHERE manager_id = %s UNION {step}"
            f") SELECT id, unit_id FROM chain WHERE id <> %s"
        )
        params: list[int] = [self.person.pk, self.person.pk]
        if budget is not None:
            sql += " LIMIT %s"
            params.append(budget + 1)
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            found = {pk: unit_id for pk, unit_id in cursor.fetchall()}
        if budget is not None and len(found) > budget:
            return None
        return found

    @cached_property
    def reports_outside_led_units(self) -> frozenset[int]:
        """Chain reports whose unit this person does not lead (nor one above it).

        The rest are seen through the units they lead already. Someone with many reports (a
        company lead) may have few people with a manager outside the units they lead: those
        are then checked up their own chains instead of walking down everyone below.
        """
        if self.person is None:
            return frozenset()
        led = self.led_unit_ids
        reports = self.walk_down(FEW_REPORTS if led else None)
        if reports is None:
            outside = (
                Person.objects.filter(manager__isnull=False)
                .exclude(unit_id__in=self.led_units_query())
                .order_by()
                .values_list("pk", flat=True)
            )
            candidates = list(outside[: FEW_REPORTS + 1])
            if len(candidates) <= FEW_REPORTS:
                return frozenset(self.under_me(candidates))
            reports = self.chain_report_units
        return frozenset(pk for pk, unit_id in reports.items() if unit_id not in led)

    def under_me(self, people: list[int]) -> set[int]:
        """Return those of `people` whose manager chain reaches this person (a query a level)."""
        assert self.person is not None
        me = self.person.pk
        current = {pk: pk for pk in people if pk != me}  # person → the manager reached so far
        found: set[int] = set()
        seen: dict[int, set[int]] = {pk: {pk} for pk in current}
        while current:
            managers = dict(
                Person.objects.filter(pk__in=sorted(set(current.values())))
                .order_by()
                .values_list("pk", "manager_id")
            )
            following = {}
            for pk, at in current.items():
                above = managers.get(at)
                if above is None or above in seen[pk]:
                    continue
                if above == me:
                    found.add(pk)
                    continue
                seen[pk].add(above)
                following[pk] = above
            current = following
        return found

    def led_units_query(self) -> Any:
        """The units this person leads, with every unit below, as a subquery."""
        query = Q(pk__in=[])
        for path in self.led_unit_paths.values():
            query |= Q(path__startswith=path)
        return OrgUnit.objects.filter(query).values("pk")

    @cached_property
    def project_roles(self) -> tuple[frozenset[int], frozenset[int]]:
        """The projects this person is a member or the lead of, and those they lead: one query."""
        if self.person is None:
            return frozenset(), frozenset()
        rows = (
            Project.objects.filter(Q(members=self.person) | Q(lead=self.person))
            .order_by()
            .values_list("pk", "lead_id")
            .distinct()
        )
        projects, led = set(), set()
        for pk, lead_id in rows:
            projects.add(pk)
            if lead_id == self.person.pk:
                led.add(pk)
        return frozenset(projects), frozenset(led)

    @property
    def led_project_ids(self) -> frozenset[int]:
        return self.project_roles[1]

    @property
    def member_project_ids(self) -> frozenset[int]:
        """The projects this person is a member of, or leads."""
        return self.project_roles[0]

    @cached_property
    def co_owned(self) -> tuple[frozenset[int], frozenset[int], frozenset[int]]:
        """Return the ids this person co-owns: objectives, key results, objectives of those KRs.

        Read lazily, once, and only when the fixed roles did not already decide a question.
        """
        if self.person is None:
            return frozenset(), frozenset(), frozenset()
        objectives: set[int] = set()
        key_results: set[int] = set()
        parents: set[int] = set()
        rows = self.co_owner_rows().values_list(
            "objective_id", "key_result_id", "key_result__objective_id"
        )
        for objective_id, key_result_id, parent_id in rows:
            if objective_id is not None:
                objectives.add(objective_id)
            else:
                key_results.add(key_result_id)
                parents.add(parent_id)
        return frozenset(objectives), frozenset(key_results), frozenset(parents)

    def co_owner_rows(self) -> QuerySet[Any]:
        """Return this person's co-owner rows, through the relation `okrs` adds to `Person`.

        `okrs` imports this module, so this module never imports `okrs` back: it reads the rows
        through the reverse relation of `CoOwner.person` (layering in docs/ARCHITECTURE.md).
        """
        assert self.person is not None
        rows: QuerySet[Any] = self.person.coowner_rows.all()
        return rows

    def co_owns_objective(self, objective_id: int | None) -> bool:
        return objective_id is not None and objective_id in self.co_owned[0]

    def co_owns_key_result(self, key_result_id: int | None) -> bool:
        return key_result_id is not None and key_result_id in self.co_owned[1]

    @cached_property
    def is_unit_lead(self) -> bool:
        return bool(self.led_unit_ids)

    @property
    def role(self) -> str:
        """Name the user's strongest role: admin, unit_lead or member."""
        if self.is_admin:
            return "admin"
        if self.is_unit_lead:
            return "unit_lead"
        return "member"

    def manages_person(self, person_id: int | None, unit_id: int | None) -> bool:
        """Tell whether this user is up the chain of the given person."""
        return unit_id in self.led_unit_ids or person_id in self.chain_report_ids

    def private_objectives_filter(self) -> Q:
        """Return the Q matching the private objectives this user may see."""
        if self.person is None:
            return Q(pk__in=[])
        query = Q(owner_person=self.person)
        if self.led_unit_ids:
            led = self.led_units_query()  # a subquery: short SQL even for a company lead
            query |= Q(owner_unit_id__in=led)
            query |= Q(owner_person__unit_id__in=led)
        if self.reports_outside_led_units:
            query |= Q(owner_person_id__in=self.reports_outside_led_units)
        if self.member_project_ids:
            query |= Q(owner_project_id__in=self.member_project_ids)
        return query | self.co_owned_objectives_filter()

    def co_owned_objectives_filter(self) -> Q:
        """Return the Q matching objectives this person co-owns, whole or by one key result.

        Subqueries, so that scoping a queryset costs no extra round trip.
        """
        if self.person is None:
            return Q(pk__in=[])
        mine = self.co_owner_rows()
        return Q(pk__in=mine.filter(objective__isnull=False).values("objective_id")) | Q(
            pk__in=mine.filter(key_result__isnull=False).values("key_result__objective_id")
        )

    def can_view_objective(self, objective: Objective) -> bool:
        if not self.is_member:
            return False
        if self.is_admin or not objective.is_private:
            return True
        return (
            self.can_edit_objective(objective)
            or objective.owner_project_id in self.member_project_ids
            or objective.pk in self.co_owned[2]
        )

    def can_edit_objective(self, objective: Objective) -> bool:
        """Tell whether this user may change the objective and its key results."""
        if self.is_admin:
            return True
        if self.person is None:
            return False
        return self.holds_fixed_edit_role(objective) or self.co_owns_objective(objective.pk)

    def holds_fixed_edit_role(self, objective: Objective) -> bool:
        """Tell whether the owner, manager-chain, unit-lead or project-lead rules allow editing."""
        assert self.person is not None
        if objective.owner_person_id is not None:
            if objective.owner_person_id == self.person.pk:
                return True
            owner_unit_id = objective.owner_person.unit_id if objective.owner_person else None
            return self.manages_person(objective.owner_person_id, owner_unit_id)
        if objective.owner_unit_id is not None:
            return objective.owner_unit_id in self.led_unit_ids
        project = objective.owner_project
        if project is None:
            return False
        return project.lead_id == self.person.pk or project.unit_id in self.led_unit_ids

    def can_agree_objective(self, objective: Objective) -> bool:
        """Tell whether this user may agree an objective proposed by someone below them."""
        if self.is_admin:
            return True
        if self.person is None:
            return False
        if objective.owner_person_id is not None:
            if objective.owner_person_id == self.person.pk:
                return False
            owner_unit_id = objective.owner_person.unit_id if objective.owner_person else None
            if owner_unit_id in self.led_unit_ids and owner_unit_id is not None:
                # A lead agrees for the people of their units, but not their own objectives.
                return True
            return objective.owner_person_id in self.chain_report_ids
        if objective.owner_unit_id is not None:
            unit = objective.owner_unit
            # The lead of a unit above agrees a unit's objectives; a root unit needs an admin.
            return unit is not None and unit.parent_id in self.led_unit_ids
        project = objective.owner_project
        return (
            project is not None
            and project.unit_id in self.led_unit_ids
            and (project.lead_id != self.person.pk)
        )

    def can_update_key_result(self, key_result: KeyResult) -> bool:
        """Tell whether this user may record values on a key result (its owner and co-owners may)."""
        if self.person is not None and key_result.owner_id == self.person.pk:
            return True
        return self.can_edit_objective(key_result.objective) or self.co_owns_key_result(
            key_result.pk
        )

    def can_edit_person(self, person: Person) -> bool:
        return self.is_admin or self.manages_person(person.pk, person.unit_id)


def access_for(user: Any) -> Access:
    """Return the user's Access, cached on the user object for the request."""
    cached = getattr(user, "_okrflow_access", None)
    if cached is None:
        cached = Access(user)
        with contextlib.suppress(AttributeError):
            user._okrflow_access = cached
    return cached
