"""Add and remove the hand-offs a goal waits for (POST, then back to the objective page)."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from okrflow.dependencies.actions import (
    add_dependency,
    find_goal,
    objective_of,
    parse_goal,
    remove_dependency,
)
from okrflow.dependencies.models import Dependency
from okrflow.dependencies.panel import goal_choices
from okrflow.front.errors import error_text
from okrflow.okrs.models import KeyResult, Objective


def back(request: HttpRequest, objective_id: int) -> HttpResponse:
    """Return to the page the form was on (a key result page), or the objective page."""
    target = request.POST.get("next", "")
    # Only a path on this site: anything else is not a page to go back to (and redirect()
    # would read a bare word as a view name).
    if target.startswith("/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return HttpResponseRedirect(target)
    return redirect("objective_detail", objective_id)


def read_date(raw: str) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat((raw or "").strip())
    except ValueError:
        return None


@require_GET
@login_required
def dependency_choices(request: HttpRequest, objective_id: int) -> HttpResponse:
    """The goals of the objective's cycle the reader may see, as the form's options (htmx)."""
    objective = Objective.objects.visible_to(request.user).filter(pk=objective_id).first()
    if objective is None:
        raise Http404("no objective")
    return render(
        request, "dependencies/_choices.html", {"choices": goal_choices(request.user, objective)}
    )


@require_POST
@login_required
def dependency_add(request: HttpRequest) -> HttpResponse:
    """Record that one of the user's goals waits for another goal they can see."""
    dependent = find_goal(request.user, parse_goal(request.POST.get("dependent", "")))
    if dependent is None:
        raise Http404(_("No objective found."))
    target = find_goal(request.user, parse_goal(request.POST.get("target", "")))
    raw_date = request.POST.get("expected_by", "")
    expected_by = read_date(raw_date)
    try:
        if raw_date.strip() and expected_by is None:
            raise ValidationError(
                {"expected_by": _("Write the date as YYYY-MM-DD, e.g. 2026-06-15.")}
            )
        add_dependency(
            request.user,
            dependent,
            target,
            expected_by=expected_by,
            note=request.POST.get("note", ""),
        )
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, _("Dependency recorded."))
    return back(request, objective_of(dependent).pk)


@require_POST
@login_required
def dependency_remove(request: HttpRequest, dependency_id: int) -> HttpResponse:
    """Remove a dependency of a goal the user may change (404 if they cannot see the goal)."""
    visible = Objective.objects.visible_to(request.user)
    dependency = (
        Dependency.objects.filter(pk=dependency_id)
        .filter(
            Q(dependent_objective__in=visible)
            | Q(
                dependent_key_result__in=KeyResult.objects.filter(objective__in=visible).values(
                    "pk"
                )
            )
        )
        .select_related("dependent_objective", "dependent_key_result")
        .first()
    )
    if dependency is None:
        raise Http404(_("No dependency found."))
    objective_id = objective_of(dependency.dependent).pk
    try:
        remove_dependency(request.user, dependency)
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, _("Dependency removed."))
    return back(request, objective_id)
