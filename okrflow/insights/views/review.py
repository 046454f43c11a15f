"""The cycle review: grades and bands, closing the cycle, reflections and carrying over."""

from __future__ import annotations

from functools import cache
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from okrflow.compiled_reads import formed_values
from okrflow.cycles.models import Cycle, CycleState
from okrflow.front.cycle_choice import cycles_of
from okrflow.front.params import parse_id, version_or_400
from okrflow.insights.actions import carry_over_objective, close_cycle, save_reflection
from okrflow.insights.collect import visible_objectives
from okrflow.insights.models import Reflection
from okrflow.insights.review import (
    build_review,
    review_totals,
    section_objectives,
    stored_review,
)
from okrflow.insights.snapshots import stored_insights
from okrflow.insights.stored import viewer_scope
from okrflow.insights.views.common import require_member
from okrflow.okrs.models import CoOwner, Objective
from okrflow.org.access import Access, access_for
from okrflow.org.models import OrgUnit


def error_text(error: ValidationError) -> str:
    return " ".join(error.messages)


REVIEW_LINES_LIMIT = 150  # up to this many objectives, the review lists them all on one page
REVIEW_PAGE = 20  # above it, one department at a time, this many objectives a page


@require_GET
@login_required
def review(request: HttpRequest, cycle_id: int) -> HttpResponse:
    """Show a cycle's grades by unit; for an active cycle, what closing it now would give.

    A large cycle shows its totals and one line per department, and the objectives of one
    department at a time, a page at a time.
    """
    require_member(request)
    # Every cycle is read once a request for the top bar's switch (`cycles_of`): the cycle
    # reviewed and the later ones it may carry objectives into are among them.
    cycles = cycles_of(request)
    cycle = next((cycle for cycle in cycles if cycle.pk == cycle_id), None)
    if cycle is None:
        raise Http404
    access = access_for(request.user)
    # What the reader may see of the cycle, built only when asked for: a large cycle's stored
    # review reads the totals and one page of ids instead.
    visible = cache(lambda: visible_objectives(request.user, cycle))
    scope = None
    stored = None
    if not cycle.is_closed:
        refresh = stored_insights(cycle)
        if refresh is not None:
            lazy_ids: Any = SimpleLazyObject(lambda: visible().values("pk"))
            scope = viewer_scope(cycle, refresh, lazy_ids, request.user)
            stored = stored_review(scope)
    totals = stored or review_totals(cycle, visible())
    context = {
        "cycle": cycle,
        "can_close": access.is_admin and cycle.state == CycleState.ACTIVE,
        "later_cycles": sorted(
            (
                later
                for later in cycles
                if later.state != CycleState.CLOSED and later.start_date > cycle.start_date
            ),
            key=lambda later: later.start_date,
        ),
    }
    if totals is None:
        return render(request, "insights/review.html", {**context, "not_ready": True})
    page = None
    chosen = None
    shown = None
    if totals.objectives > REVIEW_LINES_LIMIT:
        wanted = request.GET.get("section", "")
        chosen = next((s for s in totals.sections if s.key == wanted), totals.sections[0])
        if stored is not None:
            # A page of the department's objectives through the snapshot rows' index; the
            # stored totals know how many there are.
            paginator = Paginator(section_objectives(scope, chosen), REVIEW_PAGE)
            paginator.count = chosen.count  # type: ignore[misc]
        else:
            paginator = Paginator(chosen.objective_ids, REVIEW_PAGE)
        page = paginator.get_page(request.GET.get("page"))
        # Checked against what the reader may see once, on these few ids directly (not through
        # the cycle's visible objectives); the review's queries then read ids.
        ids = visible_page(access, cycle, list(page.object_list))
        shown = Objective.objects.filter(pk__in=ids).order_by("position", "id")
    data = build_review(
        cycle, visible() if shown is None else shown, ids if page is not None else None
    )
    editable = {
        line.objective.pk for line in data.lines if access.can_edit_objective(line.objective)
    }
    return render(
        request,
        "insights/review.html",
        {
            **context,
            "review": data,
            "totals": totals,
            "chosen": chosen,
            "page": page,
            "editable": editable,
            "committed": totals.success_rate("committed"),
            "aspirational": totals.success_rate("aspirational"),
        },
    )


def visible_page(access: Access, cycle: Cycle, page: list[int]) -> list[int]:
    """Return those of a page's objectives the reader may see (`visible_to`), live, of the
    cycle, in their order: one statement compiled once per form of the reader's access
    (`compiled_reads.formed_values`), as `visible_to` would filter."""
    if access.is_admin:
        form: tuple[Any, ...] = ("admin",)
        values: tuple[Any, ...] = (cycle.pk, tuple(page))
    else:
        assert access.person is not None  # a member (`require_member`)
        led = tuple(access.led_unit_paths.values()) if access.led_unit_ids else ()
        reports = tuple(sorted(access.reports_outside_led_units))
        projects = tuple(sorted(access.member_project_ids))
        form = ("member", len(led), bool(reports), bool(projects))
        values = (cycle.pk, tuple(page), access.person.pk, reports, projects, *led)
    return [
        pk
        for (pk,) in formed_values(
            "review page in view", form, visible_page_ids, Objective.objects.db, values
        )
    ]


def visible_page_ids(values: list[Any]) -> QuerySet[Any]:
    """The live objectives of a cycle among some ids that a reader may see, in their order:
    `visible_to`'s filter (`Access.private_objectives_filter`) built from `visible_page`'s
    values."""
    cycle, ids = values[0], values[1]
    objectives = Objective.objects.live().filter(cycle=cycle, pk__in=ids)
    if len(values) > 2:
        person, reports, projects, led_paths = values[2], values[3], values[4], values[5:]
        query = Q(owner_person_id=person)
        if led_paths:
            led = Q(pk__in=[])
            for path in led_paths:
                led |= Q(path__startswith=path)
            units = OrgUnit.objects.filter(led).values("pk")
            query |= Q(owner_unit_id__in=units)
            query |= Q(owner_person__unit_id__in=units)
        if reports:
            query |= Q(owner_person_id__in=reports)
        if projects:
            query |= Q(owner_project_id__in=projects)
        mine = CoOwner.objects.filter(person_id=person)
        query |= Q(pk__in=mine.filter(objective__isnull=False).values("objective_id")) | Q(
            pk__in=mine.filter(key_result__isnull=False).values("key_result__objective_id")
        )
        objectives = objectives.filter(Q(is_private=False) | query)
    return objectives.order_by("position", "id").values_list("pk")


@require_POST
@login_required
def close(request: HttpRequest, cycle_id: int) -> HttpResponse:
    """Close a cycle (admins): grade and freeze it, then show its review."""
    cycle = get_object_or_404(Cycle, pk=cycle_id)
    try:
        result = close_cycle(
            request.user,
            cycle,
            use_original_targets=request.POST.get("targets") == "original",
        )
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(
            request,
            _("%(cycle)s is closed: %(count)d objectives graded, %(ok)d successful.")
            % {"cycle": cycle.name, "count": len(result.grades), "ok": result.successes},
        )
    return redirect("insights:review", cycle_id=cycle.pk)


def editable_objective(request: HttpRequest, objective_id: int) -> Objective:
    """Return an objective the user may see (404) and change (403)."""
    require_member(request)
    objective = get_object_or_404(
        Objective.objects.select_related("cycle", "owner_person", "owner_unit", "owner_project"),
        pk=objective_id,
    )
    access = access_for(request.user)
    if not access.can_view_objective(objective):
        raise Http404
    if not access.can_edit_objective(objective):
        raise PermissionDenied(_("Only the owner, their managers or an admin can do this."))
    return objective


@require_http_methods(["GET", "POST"])
@login_required
def reflection(request: HttpRequest, objective_id: int) -> HttpResponse:
    """Write what went well, what did not, and the lessons, for one objective."""
    objective = editable_objective(request, objective_id)
    current = Reflection.objects.filter(objective=objective).first()
    errors: dict[str, list[str]] = {}
    values = {
        "went_well": current.went_well if current else "",
        "went_badly": current.went_badly if current else "",
        "lessons": current.lessons if current else "",
    }
    if request.method == "POST":
        values = {name: request.POST.get(name, "") for name in values}
        opened_at = version_or_400(request.POST.get("version", ""))
        try:
            save_reflection(
                request.user,
                objective,
                **values,
                expected_version=opened_at,
            )
        except ValidationError as error:
            errors = (
                error.message_dict if hasattr(error, "error_dict") else {"__all__": error.messages}
            )
        else:
            messages.success(request, _("Reflection saved."))
            url = reverse("insights:review", kwargs={"cycle_id": objective.cycle_id})
            return redirect(f"{url}#objective-{objective.pk}")
    return render(
        request,
        "insights/reflection.html",
        {
            "objective": objective,
            "cycle": objective.cycle,
            "values": values,
            "errors": errors,
            "general_errors": errors.get("__all__", []),
            "version": current.version if current else "",
        },
        status=400 if errors else 200,
    )


@require_POST
@login_required
def carry_over(request: HttpRequest, objective_id: int) -> HttpResponse:
    """Carry an unfinished objective into a later cycle, then open the copy's review."""
    objective = editable_objective(request, objective_id)
    target_id = parse_id(request.POST.get("cycle", ""))
    target = Cycle.objects.filter(pk=target_id).first() if target_id is not None else None
    url = reverse("insights:review", kwargs={"cycle_id": objective.cycle_id})
    if target is None:
        messages.error(request, _("Choose the cycle to carry the objective into."))
        return redirect(f"{url}#objective-{objective.pk}")
    try:
        link = carry_over_objective(request.user, objective, cycle=target)
    except ValidationError as error:
        messages.error(request, error_text(error))
        return redirect(f"{url}#objective-{objective.pk}")
    messages.success(
        request,
        _("Carried into %(cycle)s as a draft with what remains of its key results.")
        % {"cycle": target.name},
    )
    return redirect(f"{url}#objective-{link.source_id}")
