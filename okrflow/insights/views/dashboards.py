"""Company, unit and person dashboards, the F.A.C.T.S. page and the full risk list."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from okrflow.compiled_reads import all_rows, rows_by_ids, values_by_ids
from okrflow.engine.risk import RiskKind, Severity
from okrflow.front.params import parse_id
from okrflow.insights.boards import ComplianceSummary, risk_rows, summarise_stored_compliance
from okrflow.insights.calibration import (
    CALIBRATION_CYCLES,
    person_calibration,
    reliability_view,
    unit_calibration,
)
from okrflow.insights.facts import build_facts
from okrflow.insights.risk_text import kind_explanation, kind_label
from okrflow.insights.sources import checkins_available
from okrflow.insights.standings import stored_compliance
from okrflow.insights.stored import (
    Scope,
    risk_counts,
    stored_alignment_map,
    stored_heat_map,
    summarise_stored,
    top_stored_risks,
    with_objects,
)
from okrflow.insights.views.common import (
    listed_objectives,
    objectives_of_unit,
    require_member,
    stored_page,
)
from okrflow.okrs.models import KeyResult, Objective
from okrflow.org.access import access_for
from okrflow.org.models import OrgUnit, Person

RISKS_ON_DASHBOARD = 8
RISKS_ON_UNIT_PAGE = 6
MAP_DEPTH_ON_DASHBOARD = 2
HEAT_DEPTH_ON_DASHBOARD = 2  # company, departments, teams …
# … unless more units than this are that deep: then teams are on their departments' pages.
HEAT_ROWS_ON_DASHBOARD = 60
# A page draws a bounded number of rows whatever the organisation's size: the alignment map
# shows its first rows and "Show more" fetches the next ones (htmx); the lists say how many
# there are and link to the rest.
MAP_ROWS_ON_DASHBOARD = 30
OBJECTIVES_LISTED = 30  # a person's objectives (a handful)
OBJECTIVES_ON_UNIT_PAGE = 10  # a unit's: its full list is on the unit's own page
RISKS_ON_PERSON_PAGE = 100
RISKS_PER_PAGE = 25


def scope_figures(scope: Scope, risks_shown: int, user: Any) -> dict[str, Any]:
    """Return what the top of every dashboard shows: counts, risks by kind, the worst risks."""
    counts = risk_counts(scope)
    return {
        "refresh": scope.refresh,
        "summary": summarise_stored(scope, counts),
        "risks": risk_rows(top_stored_risks(scope, risks_shown), user),
        "risk_count": sum(counts.values()),
        "kinds": risk_kinds(counts),
    }


@require_GET
@login_required
def company(request: HttpRequest) -> HttpResponse:
    """Show the whole company: status, heat map by unit, risks, check-ins and the alignment map."""
    require_member(request)
    scope = stored_page(request, "insights/company.html", totals=True)
    if isinstance(scope, HttpResponse):
        return scope
    cycle = scope.cycle
    # How many units each top level holds (one grouped query), then only the units shown.
    per_depth = dict(
        OrgUnit.objects.filter(depth__lte=HEAT_DEPTH_ON_DASHBOARD)
        .order_by()
        .values_list("depth")
        .annotate(count=Count("pk"))
    )
    heat_depth = HEAT_DEPTH_ON_DASHBOARD
    while (
        heat_depth > 1
        and sum(n for depth, n in per_depth.items() if depth <= heat_depth) > HEAT_ROWS_ON_DASHBOARD
    ):
        heat_depth -= 1
    units = all_rows(
        f"units to depth {heat_depth}",
        lambda: OrgUnit.objects.filter(depth__lte=heat_depth).order_by("path"),
        OrgUnit.objects.db,
    )
    # Every top unit is among them: the whole's counts and compliance read no more units.
    assert scope.tree is not None
    scope.tree.know_roots(units)
    # One read of the stored totals for the heat map's units and the whole (the top units and
    # what is outside units): the counts at the top reuse it.
    scope.read([*(unit.pk for unit in units), None])
    return render(
        request,
        "insights/company.html",
        {
            "cycle": cycle,
            **scope_figures(scope, RISKS_ON_DASHBOARD, request.user),
            "heat": stored_heat_map(scope, units, heat_depth),
            **map_page(scope, None),
            "compliance": compliance_of(scope, None),
        },
    )


def map_page(scope: Scope, after: int | None) -> dict[str, Any]:
    """Return the alignment map's rows after the given position, and where the next ones start."""
    rows = stored_alignment_map(scope, MAP_DEPTH_ON_DASHBOARD, MAP_ROWS_ON_DASHBOARD + 1, after)
    more = len(rows) > MAP_ROWS_ON_DASHBOARD
    rows = rows[:MAP_ROWS_ON_DASHBOARD]
    return {"map_rows": rows, "map_more_after": rows[-1].snapshot.map_order if more else None}


@require_GET
@login_required
def alignment_map_rows(request: HttpRequest) -> HttpResponse:
    """Return the next rows of the company dashboard's alignment map ("Show more")."""
    require_member(request)
    after = parse_id(request.GET.get("after", ""))
    scope = stored_page(request, "insights/_alignment_map_more.html", totals=True)
    if isinstance(scope, HttpResponse):
        return scope
    return render(
        request,
        "insights/_alignment_map_more.html",
        {"cycle": scope.cycle, **map_page(scope, after)},
    )


def compliance_of(scope: Scope, unit: OrgUnit | None) -> ComplianceSummary | None:
    """Return a unit's check-in compliance (everyone's when None) from the stored standings."""
    if not checkins_available():
        return None
    assert scope.tree is not None
    return summarise_stored_compliance(
        stored_compliance(scope.cycle, unit, timezone.now(), scope.tree)
    )


def risk_kinds(counts: dict[str, int]) -> list[dict[str, Any]]:
    """List the risk kinds with their counts, every kind even at zero."""
    return [
        {
            "kind": kind.value,
            "label": kind_label(kind),
            "explanation": kind_explanation(kind),
            "count": counts.get(kind.value, 0),
        }
        for kind in RiskKind
    ]


def unit_with_lead(ids: list[int]) -> QuerySet[OrgUnit]:
    return OrgUnit.objects.select_related("lead", "parent").filter(pk=ids[0])


def unit_and_children(ids: list[int]) -> QuerySet[OrgUnit]:
    """A unit (the first id) and the units right below it (the second: the same)."""
    return OrgUnit.objects.filter(Q(pk=ids[0]) | Q(parent_id=ids[1])).order_by("path")


@require_GET
@login_required
def unit(request: HttpRequest, unit_id: int) -> HttpResponse:
    """Show one unit with the units below it: status, heat map, risks, check-ins, calibration."""
    require_member(request)
    # Compiled once (`compiled_reads`): the unit with its lead and parent.
    found = rows_by_ids("insights unit", unit_with_lead, OrgUnit.objects.db, [unit_id])
    if not found:
        raise Http404
    unit = found[0]
    scope = stored_page(
        request,
        "insights/unit.html",
        lambda objectives: objectives.filter(pk__in=objectives_of_unit(unit)),
        {"unit": unit},
        totals=True,
        unit=unit,
    )
    if isinstance(scope, HttpResponse):
        return scope
    cycle = scope.cycle
    # The heat map shows the unit and the units right below it: only those are read.
    units = rows_by_ids("unit and below", unit_and_children, OrgUnit.objects.db, [unit.pk] * 2)
    assert scope.tree is not None
    scope.tree.know(units)
    scope.read(
        [u.pk for u in units]
    )  # one read of the stored totals: the unit's and the heat map's
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
            **scope_figures(scope, RISKS_ON_UNIT_PAGE, request.user),
            "heat": stored_heat_map(scope, units, unit.depth + 1),
            "objective_rows": listed_objectives(scope, OBJECTIVES_ON_UNIT_PAGE),
            "compliance": compliance_of(scope, unit),
            "calibration": reliability_view(calibration),
            "calibration_people": people if may_see_people else None,
            "calibration_cycles": CALIBRATION_CYCLES,
        },
    )


def person_with_unit(ids: list[int]) -> QuerySet[Person]:
    return Person.objects.select_related("unit", "user").filter(pk=ids[0])


def owned_objectives(ids: list[int]) -> QuerySet[Any]:
    return Objective.objects.filter(owner_person_id=ids[0]).values_list("pk")


def owned_key_results(ids: list[int]) -> QuerySet[Any]:
    return KeyResult.objects.filter(owner_id=ids[0]).values_list("objective_id")


@require_GET
@login_required
def person(request: HttpRequest, person_id: int) -> HttpResponse:
    """Show one person's objectives and key results, their risks and their calibration."""
    require_member(request)
    db = Person.objects.db
    found = rows_by_ids("insights person", person_with_unit, db, [person_id])
    if not found:
        raise Http404
    person = found[0]
    # Their objectives and those of their key results, by two indexed queries: a short list
    # that every later query starts from (never the cycle's objectives). All three
    # statements compiled once (`compiled_reads`).
    theirs = sorted(
        {
            *(pk for (pk,) in values_by_ids("owned objectives", owned_objectives, db, [person.pk])),
            *(
                pk
                for (pk,) in values_by_ids("owned key results", owned_key_results, db, [person.pk])
            ),
        }
    )
    scope = stored_page(
        request,
        "insights/person.html",
        lambda objectives: objectives.filter(pk__in=theirs),
        {"person": person},
    )
    if isinstance(scope, HttpResponse):
        return scope
    # The few they may see, once, filtered directly (no subquery over the cycle's visible
    # objectives): later queries filter on these ids alone, by the objective index.
    scope.objective_ids = list(  # type: ignore[assignment]
        Objective.objects.live()
        .filter(cycle=scope.cycle, pk__in=theirs)
        .visible_to(request.user)
        .values_list("pk", flat=True)
    )
    cycle = scope.cycle
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
            **scope_figures(scope, RISKS_ON_PERSON_PAGE, request.user),
            "objective_rows": listed_objectives(scope, OBJECTIVES_LISTED),
            "calibration": reliability_view(person_calibration(person))
            if may_see_calibration
            else None,
            "may_see_calibration": may_see_calibration,
            "calibration_cycles": CALIBRATION_CYCLES,
        },
    )


@require_GET
@login_required
def facts(request: HttpRequest) -> HttpResponse:
    """Measure the article's five benefits: Focus, Alignment, Commitment, Tracking, Stretching."""
    require_member(request)
    scope = stored_page(request, "insights/facts.html", totals=True)
    if isinstance(scope, HttpResponse):
        return scope
    cycle = scope.cycle
    panels = {panel.key: panel for panel in build_facts(scope, timezone.now())}
    return render(
        request,
        "insights/facts.html",
        {"cycle": cycle, "refresh": scope.refresh, "panels": panels},
    )


@require_GET
@login_required
def risks(request: HttpRequest) -> HttpResponse:
    """List every risk of the cycle, filtered by kind or severity."""
    require_member(request)
    unit_id = parse_id(request.GET.get("unit", ""))
    chosen_unit = OrgUnit.objects.filter(pk=unit_id).first() if unit_id is not None else None
    scope = stored_page(
        request,
        "insights/risks.html",
        lambda objectives: (
            objectives.filter(pk__in=objectives_of_unit(chosen_unit)) if chosen_unit else objectives
        ),
        totals=True,
        unit=chosen_unit,
    )
    if isinstance(scope, HttpResponse):
        return scope
    cycle = scope.cycle
    kind = request.GET.get("kind", "")
    severity = request.GET.get("severity", "")
    chosen = scope.risks()
    if kind in {k.value for k in RiskKind}:
        chosen = chosen.filter(kind=kind)
    if severity in {s.value for s in Severity}:
        chosen = chosen.filter(severity=severity)
    counts = risk_counts(scope)
    paginator = Paginator(with_objects(chosen), RISKS_PER_PAGE)
    # The stored totals know how many risks the filters leave: no count over the cycle's risks.
    shown_counts = risk_counts(scope, severity if severity in {s.value for s in Severity} else "")
    paginator.count = (  # type: ignore[misc]
        shown_counts.get(kind, 0)
        if kind in {k.value for k in RiskKind}
        else sum(shown_counts.values())
    )
    page = paginator.get_page(request.GET.get("page"))
    return render(
        request,
        "insights/risks.html",
        {
            "cycle": cycle,
            "refresh": scope.refresh,
            "risks": risk_rows(list(page.object_list), request.user),
            "page": page,
            "shown": page.paginator.count,
            "kinds": risk_kinds(counts),
            "kind": kind,
            "severity": severity,
            "unit": chosen_unit,
            "total": sum(counts.values()),
            # An empty filtered list says nothing about the key results the filters left out.
            "filtered": bool(kind or severity or chosen_unit),
        },
    )
