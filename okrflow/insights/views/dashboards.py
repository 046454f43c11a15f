"""Company, unit and person dashboards, the F.A.C.T.S. page and the full risk list."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from okrflow.engine.risk import RiskKind, Severity
from okrflow.insights.boards import (
    build_alignment_map,
    build_heat_map,
    risk_rows,
    summarise,
    summarise_compliance,
    top_risks,
)
from okrflow.insights.calibration import (
    person_calibration,
    reliability_view,
    unit_calibration,
)
from okrflow.insights.charts import build_sparkline
from okrflow.insights.facts import build_facts
from okrflow.insights.risk_text import kind_explanation, kind_label
from okrflow.insights.sources import compliance_for
from okrflow.insights.views.common import load_page, page_cycle, require_member, visible
from okrflow.okrs.models import Objective
from okrflow.org.access import access_for
from okrflow.org.models import OrgUnit, Person

RISKS_ON_DASHBOARD = 8
RISKS_ON_UNIT_PAGE = 6
MAP_DEPTH_ON_DASHBOARD = 2
MAP_ROWS_ON_DASHBOARD = 150


def empty(request: HttpRequest, template: str, extra: dict[str, Any] | None = None) -> HttpResponse:
    return render(request, template, {"cycle": None, **(extra or {})})


def objective_rows(data: Any) -> list[dict[str, Any]]:
    """Pair each objective's key results with a sparkline, for the lists."""
    rows = []
    for oi in data.insights.objectives:
        krs = [
            {"insight": kri, "sparkline": build_sparkline(kri, data.insights.on)}
            for kri in oi.key_results
        ]
        rows.append({"insight": oi, "key_results": krs})
    return rows


@require_GET
@login_required
def company(request: HttpRequest) -> HttpResponse:
    """Show the whole company: status, heat map by unit, risks, check-ins and the alignment map."""
    require_member(request)
    cycle = page_cycle(request)
    if cycle is None:
        return empty(request, "insights/company.html")
    data = load_page(cycle, visible(request, cycle))
    units = list(OrgUnit.objects.order_by("path"))
    return render(
        request,
        "insights/company.html",
        {
            "cycle": cycle,
            "insights": data.insights,
            "summary": summarise(data.insights, data.risks),
            "risks": risk_rows(top_risks(data.risks, RISKS_ON_DASHBOARD)),
            "risk_count": len(data.risks),
            "heat": build_heat_map(data.insights, units),
            "map_rows": build_alignment_map(
                data.insights, MAP_DEPTH_ON_DASHBOARD, MAP_ROWS_ON_DASHBOARD
            ),
            "map_limit": MAP_ROWS_ON_DASHBOARD,
            "compliance": summarise_compliance(compliance_for(cycle, None, timezone.now())),
            "kinds": risk_kinds(data.risks),
        },
    )


def risk_kinds(items: list[Any]) -> list[dict[str, Any]]:
    """Count risks per kind, every kind listed even at zero."""
    return [
        {
            "kind": kind.value,
            "label": kind_label(kind),
            "explanation": kind_explanation(kind),
            "count": sum(1 for item in items if item.risk.kind == kind),
        }
        for kind in RiskKind
    ]


def objectives_of_unit(unit: OrgUnit) -> Any:
    """Select the objectives of a unit and everything below it: units, people, projects."""
    return Objective.objects.filter(
        Q(owner_unit__path__startswith=unit.path)
        | Q(owner_person__unit__path__startswith=unit.path)
        | Q(owner_project__unit__path__startswith=unit.path)
    ).values("pk")


@require_GET
@login_required
def unit(request: HttpRequest, unit_id: int) -> HttpResponse:
    """Show one unit with the units below it: status, heat map, risks, check-ins, calibration."""
    require_member(request)
    unit = get_object_or_404(OrgUnit.objects.select_related("lead", "parent"), pk=unit_id)
    cycle = page_cycle(request)
    if cycle is None:
        return empty(request, "insights/unit.html", {"unit": unit})
    data = load_page(cycle, visible(request, cycle).filter(pk__in=objectives_of_unit(unit)))
    units = list(OrgUnit.objects.filter(path__startswith=unit.path).order_by("path"))
    access = access_for(request.user)
    calibration, people = unit_calibration(unit)
    may_see_people = access.is_admin or unit.pk in access.led_unit_ids
    return render(
        request,
        "insights/unit.html",
        {
            "cycle": cycle,
            "unit": unit,
            "children": [u for u in units if u.parent_id == unit.pk],
            "insights": data.insights,
            "summary": summarise(data.insights, data.risks),
            "risks": risk_rows(top_risks(data.risks, RISKS_ON_UNIT_PAGE)),
            "risk_count": len(data.risks),
            "kinds": risk_kinds(data.risks),
            "heat": build_heat_map(data.insights, units, max_depth=unit.depth + 1),
            "objective_rows": objective_rows(data),
            "compliance": summarise_compliance(compliance_for(cycle, unit, timezone.now())),
            "calibration": reliability_view(calibration),
            "calibration_people": people if may_see_people else None,
        },
    )


@require_GET
@login_required
def person(request: HttpRequest, person_id: int) -> HttpResponse:
    """Show one person's objectives and key results, their risks and their calibration."""
    require_member(request)
    person = get_object_or_404(Person.objects.select_related("unit", "user"), pk=person_id)
    cycle = page_cycle(request)
    if cycle is None:
        return empty(request, "insights/person.html", {"person": person})
    theirs = Objective.objects.filter(Q(owner_person=person) | Q(key_results__owner=person)).values(
        "pk"
    )
    data = load_page(cycle, visible(request, cycle).filter(pk__in=theirs))
    access = access_for(request.user)
    may_see_calibration = (
        access.is_admin
        or (access.person is not None and access.person.pk == person.pk)
        or access.manages_person(person.pk, person.unit_id)
    )
    return render(
        request,
        "insights/person.html",
        {
            "cycle": cycle,
            "person": person,
            "insights": data.insights,
            "summary": summarise(data.insights, data.risks),
            "risks": risk_rows(data.risks),
            "objective_rows": objective_rows(data),
            "calibration": reliability_view(person_calibration(person))
            if may_see_calibration
            else None,
            "may_see_calibration": may_see_calibration,
        },
    )


@require_GET
@login_required
def facts(request: HttpRequest) -> HttpResponse:
    """Measure the article's five benefits: Focus, Alignment, Commitment, Tracking, Stretching."""
    require_member(request)
    cycle = page_cycle(request)
    if cycle is None:
        return empty(request, "insights/facts.html")
    data = load_page(cycle, visible(request, cycle))
    panels = {panel.key: panel for panel in build_facts(data.insights, timezone.now())}
    return render(
        request,
        "insights/facts.html",
        {"cycle": cycle, "insights": data.insights, "panels": panels},
    )


@require_GET
@login_required
def risks(request: HttpRequest) -> HttpResponse:
    """List every risk of the cycle, filtered by kind or severity."""
    require_member(request)
    cycle = page_cycle(request)
    if cycle is None:
        return empty(request, "insights/risks.html")
    queryset = visible(request, cycle)
    unit_id = request.GET.get("unit", "")
    chosen_unit = OrgUnit.objects.filter(pk=int(unit_id)).first() if unit_id.isdigit() else None
    if chosen_unit is not None:
        queryset = queryset.filter(pk__in=objectives_of_unit(chosen_unit))
    data = load_page(cycle, queryset)
    kind = request.GET.get("kind", "")
    severity = request.GET.get("severity", "")
    kinds = {k.value for k in RiskKind}
    severities = {s.value for s in Severity}
    items = [
        item
        for item in data.risks
        if (kind not in kinds or item.risk.kind == kind)
        and (severity not in severities or item.risk.severity == severity)
    ]
    return render(
        request,
        "insights/risks.html",
        {
            "cycle": cycle,
            "risks": risk_rows(items),
            "kinds": risk_kinds(data.risks),
            "kind": kind,
            "severity": severity,
            "unit": chosen_unit,
            "total": len(data.risks),
        },
    )
