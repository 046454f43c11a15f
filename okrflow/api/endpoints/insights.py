"""Insights: the risks found, the grades of closed cycles, and a cycle's focus report."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.http import HttpRequest
from ninja import Path, Query, Router, Schema

from okrflow.api.endpoints.common import PageQuery, answers, member_access, page, visible_objectives
from okrflow.api.pagination import page_of
from okrflow.api.schemas import FocusReportOut, GradePage, Id, RiskPage
from okrflow.cycles.models import Cycle
from okrflow.front.browse_data import (
    FOCUS_LINES_SHOWN,
    objectives_out_of_focus,
    owners_out_of_focus,
    visible_in_cycle,
)
from okrflow.front.params import MAX_ID
from okrflow.insights.models import KeyResultGrade, ObjectiveGrade, RiskSnapshot
from okrflow.insights.risk_text import kind_label, severity_label
from okrflow.org.models import Organisation, OrgUnit, Person

router = Router(tags=["insights"])
ID = Path(..., ge=1, le=MAX_ID)


class CycleFilter(Schema):
    cycle: Id | None = None


def risk_out(risk: RiskSnapshot) -> dict[str, Any]:
    # The evidence figures stay out: some are worded from private check-ins.
    return {
        "id": risk.pk,
        "cycle_id": risk.cycle_id,
        "objective_id": risk.objective_id,
        "key_result_id": risk.key_result_id,
        "owner_id": risk.owner_id,
        "kind": risk.kind,
        "kind_label": kind_label(risk.kind),
        "severity": risk.severity,
        "severity_label": severity_label(risk.severity),
        "rule": risk.code,
        "suggestion": risk.suggestion,
    }


@router.get("/risks", response=answers(RiskPage), summary="Risks found on visible objectives")
def list_risks(
    request: HttpRequest, params: PageQuery, filters: Query[CycleFilter]
) -> dict[str, Any]:
    queryset = RiskSnapshot.objects.filter(objective__in=visible_objectives(request).values("pk"))
    if filters.cycle is not None:
        queryset = queryset.filter(cycle_id=filters.cycle)
    rows, cursor = page_of(queryset, params.cursor, params.limit)
    return page((risk_out(row) for row in rows), cursor)


@router.get("/grades", response=answers(GradePage), summary="Grades of visible objectives")
def list_grades(
    request: HttpRequest, params: PageQuery, filters: Query[CycleFilter]
) -> dict[str, Any]:
    queryset = ObjectiveGrade.objects.filter(
        objective__in=visible_objectives(request).values("pk")
    ).select_related("closing")
    if filters.cycle is not None:
        queryset = queryset.filter(closing__cycle_id=filters.cycle)
    rows, cursor = page_of(queryset, params.cursor, params.limit)
    by_objective: dict[int, list[KeyResultGrade]] = defaultdict(list)
    for grade in KeyResultGrade.objects.filter(
        key_result__objective_id__in=[row.objective_id for row in rows]
    ).select_related("key_result"):
        by_objective[grade.key_result.objective_id].append(grade)
    items = [
        {
            "id": row.pk,
            "objective_id": row.objective_id,
            "cycle_id": row.closing.cycle_id,
            "kind": row.kind,
            "score": row.score,
            "band": row.band,
            "success": row.success,
            "key_results": [
                {
                    "key_result_id": grade.key_result_id,
                    "final_value": grade.final_value,
                    "target_used": grade.target_used,
                    "progress": grade.progress,
                    "score": grade.score,
                    "band": grade.band,
                }
                for grade in by_objective.get(row.objective_id, [])
            ],
        }
        for row in rows
    ]
    return page(items, cursor)


@router.get(
    "/cycles/{cycle_id}/focus-report",
    response=answers(FocusReportOut),
    summary="Owners and objectives outside the focus ranges",
)
def focus_report(request: HttpRequest, cycle_id: int = ID) -> dict[str, Any]:
    member_access(request)
    cycle = Cycle.objects.get(pk=cycle_id)
    rules = Organisation.current().focus_rules()
    owners = owners_out_of_focus(
        request.user,
        cycle,
        rules,
        units=OrgUnit.objects.all(),
        people=Person.objects.filter(unit__isnull=False),
    )
    objectives = objectives_out_of_focus(visible_in_cycle(request.user, cycle), rules)
    return {
        "cycle_id": cycle.pk,
        "owners": [line.as_dict() for line in owners[: FOCUS_LINES_SHOWN * 2]],
        "objectives": [line.as_dict() for line in objectives[:FOCUS_LINES_SHOWN]],
        "truncated": len(objectives) > FOCUS_LINES_SHOWN or len(owners) > FOCUS_LINES_SHOWN * 2,
    }
