"""Co-owners and followers of an objective and its key results, from the objective page."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from okrflow.front.errors import error_text
from okrflow.front.folding import folded_contains
from okrflow.front.params import parse_id
from okrflow.front.views.objective import visible_objective
from okrflow.okrs.actions.sharing import add_co_owner, follow, remove_co_owner, unfollow
from okrflow.okrs.models import CoOwner, KeyResult, Objective
from okrflow.org.access import access_for
from okrflow.org.models import Person

SEARCH_LIMIT = 20


def editable_objective(request: HttpRequest, objective_id: int) -> Objective:
    """Return the objective: 404 when the user may not see it, 403 when they may not edit it."""
    objective = visible_objective(request, objective_id)
    if not access_for(request.user).can_edit_objective(objective):
        raise PermissionDenied(_("You cannot change this objective."))
    return objective


def visible_key_result(request: HttpRequest, kr_id: int) -> KeyResult:
    """Return the key result if the user may see its objective; 404 otherwise."""
    kr = KeyResult.objects.filter(pk=kr_id).select_related("objective").first()
    if (
        kr is None
        or not Objective.objects.visible_to(request.user).filter(pk=kr.objective_id).exists()
    ):
        raise Http404(_("No key result found."))
    return kr


def chosen_key_result(objective: Objective, raw: Any) -> KeyResult | None:
    """Read the optional `key_result` field: one of this objective's key results, or None."""
    if raw in (None, ""):
        return None
    kr_id = parse_id(raw)
    kr = objective.key_results.filter(pk=kr_id).first() if kr_id is not None else None
    if kr is None:
        raise ValidationError(_("Choose one of this objective's key results."))
    return kr


def chosen_person(raw: Any) -> Person:
    person_id = parse_id(raw)
    person = (
        Person.objects.select_related("user").filter(pk=person_id).first()
        if person_id is not None
        else None
    )
    if person is None:
        raise ValidationError(_("Choose a person from the list."))
    return person


def back_to(objective: Objective, key_result: KeyResult | None = None) -> HttpResponse:
    response = redirect("objective_detail", objective.pk)
    response["Location"] += f"#kr-{key_result.pk}" if key_result else "#sharing"
    return response


@require_GET
@login_required
def co_owner_search(request: HttpRequest, objective_id: int) -> HttpResponse:
    """List active people matching the text who could become co-owners (for the htmx picker)."""
    objective = editable_objective(request, objective_id)
    query = request.GET.get("q", "").strip()[:100]
    taken = CoOwner.objects.filter(objective=objective).values("person_id")
    people = (
        Person.objects.filter(user__is_active=True)
        .exclude(pk__in=taken)
        .exclude(pk=objective.owner_person_id or 0)
        .select_related("unit")
        .order_by("full_name", "id")
    )
    if query:
        people = people.filter(folded_contains(["full_name"], query))
    return render(
        request,
        "front/_co_owner_results.html",
        {"people": list(people[:SEARCH_LIMIT]), "query": query},
    )


def change_co_owner(
    request: HttpRequest,
    objective_id: int,
    posted: tuple[str | None, str | None],
    action: Callable[..., object],
    success: Callable[[Person], str],
) -> HttpResponse:
    """Add or remove a person (posted id) as co-owner of the objective or one of its key results
    (posted id, or none for the whole objective)."""
    person_id, key_result_id = posted
    objective = editable_objective(request, objective_id)
    key_result = None
    try:
        key_result = chosen_key_result(objective, key_result_id)
        person = chosen_person(person_id)
        action(
            request.user,
            person=person,
            objective=None if key_result else objective,
            key_result=key_result,
        )
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, success(person))
    return back_to(objective, key_result)


@require_POST
@login_required
def co_owner_add(request: HttpRequest, objective_id: int) -> HttpResponse:
    return change_co_owner(
        request,
        objective_id,
        (request.POST.get("person"), request.POST.get("key_result")),
        add_co_owner,
        lambda person: _("%(name)s is now a co-owner.") % {"name": person.full_name},
    )


@require_POST
@login_required
def co_owner_remove(request: HttpRequest, objective_id: int) -> HttpResponse:
    return change_co_owner(
        request,
        objective_id,
        (request.POST.get("person"), request.POST.get("key_result")),
        remove_co_owner,
        lambda person: _("%(name)s is no longer a co-owner.") % {"name": person.full_name},
    )


def my_person(request: HttpRequest) -> Person:
    """Return the signed-in person; an account with no person has nothing to follow with."""
    person = access_for(request.user).person
    if person is None:
        raise PermissionDenied(_("Your account is not linked to a person in the organisation."))
    return person


def run_follow(request: HttpRequest, action: Any, done: str, **thing: Any) -> None:
    try:
        action(request.user, person=my_person(request), **thing)
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, done)


@require_POST
@login_required
def objective_follow(request: HttpRequest, objective_id: int) -> HttpResponse:
    objective = visible_objective(request, objective_id)
    run_follow(request, follow, _("You follow this objective."), objective=objective)
    return back_to(objective)


@require_POST
@login_required
def objective_unfollow(request: HttpRequest, objective_id: int) -> HttpResponse:
    objective = visible_objective(request, objective_id)
    run_follow(request, unfollow, _("You no longer follow this objective."), objective=objective)
    return back_to(objective)


@require_POST
@login_required
def key_result_follow(request: HttpRequest, kr_id: int) -> HttpResponse:
    kr = visible_key_result(request, kr_id)
    run_follow(request, follow, _("You follow this key result."), key_result=kr)
    return back_to(kr.objective, kr)


@require_POST
@login_required
def key_result_unfollow(request: HttpRequest, kr_id: int) -> HttpResponse:
    kr = visible_key_result(request, kr_id)
    run_follow(request, unfollow, _("You no longer follow this key result."), key_result=kr)
    return back_to(kr.objective, kr)
