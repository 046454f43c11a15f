"""The cycle pages: the nested list, create, edit, activate and close (with grading)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from okrflow.administration.cycle_forms import (
    COMMON_TIME_ZONES,
    CycleForm,
    SuggestForm,
    suggested_fields,
)
from okrflow.administration.decorators import admin_required
from okrflow.cycles.actions import activate_cycle, create_cycle, suggested_parent, update_cycle
from okrflow.cycles.models import Cycle, CycleKind, CycleState
from okrflow.engine import cycle_calendar as calendar
from okrflow.front.errors import apply_errors, error_text
from okrflow.insights.actions import close_cycle
from okrflow.org.models import Organisation


@dataclass
class CycleRow:
    """One cycle in the nested list, with how deep it sits."""

    cycle: Cycle
    depth: int


def nested_rows(cycles: list[Cycle]) -> list[CycleRow]:
    """Flatten the cycles into tree order: each cycle followed by the cycles inside it."""
    by_parent: dict[int | None, list[Cycle]] = {}
    known = {cycle.pk for cycle in cycles}
    for cycle in cycles:
        parent = cycle.parent_id if cycle.parent_id in known else None
        by_parent.setdefault(parent, []).append(cycle)
    rows: list[CycleRow] = []
    seen: set[int] = set()

    def walk(parent: int | None, depth: int) -> None:
        for cycle in by_parent.get(parent, []):
            if cycle.pk in seen:
                continue  # the database forbids loops; this only guards the recursion
            seen.add(cycle.pk)
            rows.append(CycleRow(cycle, depth))
            walk(cycle.pk, depth + 1)

    walk(None, 0)
    return rows


@require_GET
@admin_required
def cycle_list(request: HttpRequest) -> HttpResponse:
    """Show every cycle as a tree (years, their quarters, their months) with its state."""
    cycles = list(
        Cycle.objects.annotate(
            objective_count=Count("objectives", filter=~Q(objectives__state="archived"))
        ).order_by("-start_date", "name")
    )
    return render(
        request,
        "administration/cycles.html",
        {"section": "cycles", "rows": nested_rows(cycles), "total": len(cycles)},
    )


def first_quarter_without_cycle(day: datetime.date) -> datetime.date:
    """Return a day of this quarter, or of the first quarter after it that has no cycle yet."""
    taken = set(
        Cycle.objects.filter(start_date__gte=day.replace(day=1, month=1)).values_list(
            "kind", "start_date"
        )
    )
    for _quarter in range(8):  # two years ahead is as far as a suggestion should look
        start, end = calendar.quarter_bounds(day)
        if (CycleKind.QUARTER, start) not in taken:
            return day
        day = end + datetime.timedelta(days=1)
    return day


def new_cycle_initial(request: HttpRequest) -> tuple[SuggestForm, dict[str, object]]:
    """Read the kind and day asked for (today's quarter at first) and suggest the rest."""
    organisation = Organisation.current()
    # Its own ids: the cycle form below has fields of the same names.
    asked = SuggestForm(request.GET or None, auto_id="suggest_%s")
    if asked.is_bound and asked.is_valid():
        kind, day = asked.cleaned_data["kind"], asked.cleaned_data["day"]
    else:
        kind, day = CycleKind.QUARTER, first_quarter_without_cycle(timezone.localdate())
        if not asked.is_bound:
            asked = SuggestForm(initial={"kind": kind, "day": day}, auto_id="suggest_%s")
    bounds = calendar.calendar_bounds(kind, day) or (day, day + datetime.timedelta(days=27))
    parent = suggested_parent(kind, *bounds)
    initial = suggested_fields(kind, day, translation.get_language() or "vi", parent)
    initial |= {
        "checkin_weekday": organisation.default_checkin_weekday,
        "checkin_hour": organisation.default_checkin_hour,
        "time_zone": organisation.default_time_zone,
    }
    return asked, initial


@require_http_methods(["GET", "POST"])
@admin_required
def cycle_create(request: HttpRequest) -> HttpResponse:
    """Create a cycle, the period and enclosing cycle filled in from a kind and a day."""
    asked, initial = new_cycle_initial(request)
    form = CycleForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            cycle = create_cycle(request.user, **form.action_fields())
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Cycle “%(name)s” created.") % {"name": cycle.name})
            return redirect("administration:cycles")
    return render(
        request,
        "administration/cycle_form.html",
        {
            "section": "cycles",
            "form": form,
            "asked": asked,
            "creating": True,
            "time_zones": COMMON_TIME_ZONES,
        },
    )


@require_http_methods(["GET", "POST"])
@admin_required
def cycle_edit(request: HttpRequest, cycle_id: int) -> HttpResponse:
    """Change a cycle's name and check-in rhythm; its period too while it is a draft."""
    cycle = get_object_or_404(Cycle, pk=cycle_id)
    initial = {
        "name": cycle.name,
        "kind": cycle.kind,
        "start_date": cycle.start_date,
        "end_date": cycle.end_date,
        "parent": cycle.parent_id or "",
        "checkin_weekday": cycle.checkin_weekday,
        "checkin_hour": cycle.checkin_hour,
        "time_zone": cycle.time_zone,
    }
    form = CycleForm(request.POST or None, initial=initial, cycle=cycle)
    if request.method == "POST" and form.is_valid():
        try:
            update_cycle(request.user, cycle, **form.action_fields())
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Cycle “%(name)s” saved.") % {"name": cycle.name})
            return redirect("administration:cycles")
    return render(
        request,
        "administration/cycle_form.html",
        {
            "section": "cycles",
            "form": form,
            "cycle": cycle,
            "creating": False,
            "time_zones": COMMON_TIME_ZONES,
        },
    )


@require_POST
@admin_required
def cycle_activate(request: HttpRequest, cycle_id: int) -> HttpResponse:
    """Open a draft cycle for check-ins."""
    cycle = get_object_or_404(Cycle, pk=cycle_id)
    try:
        activate_cycle(request.user, cycle)
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, _("Cycle “%(name)s” is active.") % {"name": cycle.name})
    return redirect("administration:cycles")


@require_http_methods(["GET", "POST"])
@admin_required
def cycle_close(request: HttpRequest, cycle_id: int) -> HttpResponse:
    """Ask to confirm, then grade every objective and close the cycle (`close_cycle`)."""
    cycle = get_object_or_404(Cycle, pk=cycle_id)
    if request.method == "POST":
        try:
            result = close_cycle(
                request.user, cycle, use_original_targets=request.POST.get("targets") == "original"
            )
        except ValidationError as error:
            messages.error(request, error_text(error))
        else:
            messages.success(
                request,
                _("%(cycle)s is closed: %(count)d objectives graded, %(ok)d successful.")
                % {"cycle": cycle.name, "count": len(result.grades), "ok": result.successes},
            )
        return redirect("administration:cycles")
    open_children = cycle.children.exclude(state=CycleState.CLOSED).order_by("start_date")
    return render(
        request,
        "administration/cycle_close.html",
        {
            "section": "cycles",
            "cycle": cycle,
            "objective_count": cycle.objectives.exclude(state="archived").count(),
            "open_children": list(open_children),
            "review_url": reverse("insights:review", kwargs={"cycle_id": cycle.pk}),
        },
    )
