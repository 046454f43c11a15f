"""The focus report: every owner and objective outside the article's ranges."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, F, Q, Value

from okrflow.cycles.models import Cycle
from okrflow.engine.focus import OwnerKind, check_objective_focus, check_owner_focus, is_team
from okrflow.okrs.actions.common import describe_focus_finding
from okrflow.okrs.models import Objective
from okrflow.org.models import Organisation, OrgUnit, Person, Project


@dataclass
class FocusLine:
    owner_kind: str
    owner_id: int
    owner_name: str
    code: str
    count: int
    minimum: int
    maximum: int
    message: str
    objective_id: int | None = None
    objective_title: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def build_focus_report(cycle: Cycle, organisation: Organisation | None = None) -> list[FocusLine]:
    """List owners out of range (1–3 for a person, 3–5 otherwise) and objectives outside 3–5 KRs.

    People count when they belong to a unit; units always count; projects count once they own
    an objective. Teams and projects may hold fewer than the minimum unless the organisation
    says otherwise. Five queries, whatever the size of the organisation.
    """
    rules = (organisation or Organisation.current()).focus_rules()
    live = Q(objectives__cycle=cycle) & ~Q(objectives__state="archived")
    lines: list[FocusLine] = []
    owners: list[tuple[OwnerKind, Any]] = [
        (OwnerKind.PERSON, Person.objects.filter(unit__isnull=False)),
        (OwnerKind.UNIT, OrgUnit.objects.all()),
        (OwnerKind.PROJECT, Project.objects.filter(objectives__cycle=cycle).distinct()),
    ]
    for kind, queryset in owners:
        name_field = "full_name" if kind == OwnerKind.PERSON else "name"
        depth = F("depth") if kind == OwnerKind.UNIT else Value(0)
        rows = queryset.annotate(
            total=Count("objectives", filter=live), unit_depth=depth
        ).values_list("pk", name_field, "total", "unit_depth")
        for pk, name, total, unit_depth in rows.order_by(name_field, "pk"):
            for finding in check_owner_focus(kind, total, rules, team=is_team(unit_depth)):
                lines.append(
                    FocusLine(
                        kind.value,
                        pk,
                        name,
                        finding.code,
                        finding.count,
                        finding.minimum,
                        finding.maximum,
                        describe_focus_finding(finding),
                    )
                )
    objectives = (
        Objective.objects.live()
        .filter(cycle=cycle)
        .select_related("owner_person", "owner_unit", "owner_project")
        .annotate(total=Count("key_results", filter=Q(key_results__is_archived=False)))
        .order_by("position", "pk")
    )
    for objective in objectives:
        for finding in check_objective_focus(objective.total, rules, objective.pk):
            lines.append(
                FocusLine(
                    objective.owner_kind,
                    objective.owner.pk,
                    objective.owner_name,
                    finding.code,
                    finding.count,
                    finding.minimum,
                    finding.maximum,
                    describe_focus_finding(finding),
                    objective.pk,
                    objective.title,
                )
            )
    return lines
