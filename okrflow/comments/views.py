"""Comment threads on the objective and key result pages: htmx swaps, plain POST + redirect without JS."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from okrflow.comments.actions import EDIT_WINDOW, add_comment, delete_comment, edit_comment
from okrflow.comments.models import Comment
from okrflow.comments.people import people_to_mention
from okrflow.comments.threads import Thread, shown_comment, thread_of, threads_of
from okrflow.front.errors import error_text
from okrflow.front.params import parse_id
from okrflow.front.views.objective import visible_objective
from okrflow.front.views.sharing import visible_key_result
from okrflow.okrs.models import KeyResult, Objective
from okrflow.org.access import access_for


def posted_mentions(request: HttpRequest) -> list[int]:
    """The people picked from the completion list (they win when two share a name)."""
    found = [parse_id(raw) for raw in request.POST.getlist("mention")[:50]]
    return [pk for pk in found if pk is not None]


def page_url(objective: Objective, key_result: KeyResult | None, on_kr_page: bool) -> str:
    if key_result is not None and on_kr_page:
        return reverse("insights:key_result", args=[key_result.pk])
    return reverse("objective_detail", args=[objective.pk])


def back(
    request: HttpRequest, comment: Comment | None, objective: Objective, kr: Any
) -> HttpResponse:
    url = page_url(objective, kr, request.POST.get("page") == "kr")
    anchor = f"#comment-{comment.pk}" if comment is not None else "#comments"
    return redirect(url + anchor)


def thread_response(
    request: HttpRequest, thread: Thread, *, error: str = "", body: str = "", status: int = 200
) -> HttpResponse:
    context = {
        "thread": thread,
        "comment_error": error,
        "comment_draft": body,
        "on_kr_page": request.POST.get("page") == "kr",
        "count_out_of_band": True,
    }
    return render(request, "comments/_thread.html", context, status=status)


def add(request: HttpRequest, objective: Objective, key_result: KeyResult | None) -> HttpResponse:
    body = request.POST.get("body", "")
    try:
        comment = add_comment(
            request.user,
            body=body,
            objective=None if key_result else objective,
            key_result=key_result,
            mention_ids=posted_mentions(request),
        )
    except ValidationError as error:
        if request.htmx:
            thread = threads_of(request.user, objective, [key_result] if key_result else [])
            return thread_response(
                request,
                thread[key_result.pk if key_result else None],
                error=error_text(error),
                body=body,
                status=422,
            )
        messages.error(request, error_text(error))
        return back(request, None, objective, key_result)
    if request.htmx:
        return thread_response(request, thread_of(request.user, comment))
    messages.success(request, _("Comment added."))
    return back(request, comment, objective, key_result)


@require_POST
@login_required
def add_to_objective(request: HttpRequest, objective_id: int) -> HttpResponse:
    return add(request, visible_objective(request, objective_id), None)


@require_POST
@login_required
def add_to_key_result(request: HttpRequest, kr_id: int) -> HttpResponse:
    key_result = visible_key_result(request, kr_id)
    return add(request, key_result.objective, key_result)


def visible_comment(request: HttpRequest, comment_id: int) -> Comment:
    """Return the comment if the user may see its objective; 404 otherwise."""
    comment = (
        Comment.objects.visible_to(request.user)
        .select_related("objective", "key_result__objective", "author")
        .filter(pk=comment_id)
        .first()
    )
    if comment is None:
        raise Http404(_("No comment found."))
    return comment


def thread_place(comment: Comment) -> tuple[Objective, KeyResult | None]:
    objective = comment.objective or comment.key_result.objective  # type: ignore[union-attr]
    return objective, comment.key_result


@require_http_methods(["GET", "POST"])
@login_required
def edit(request: HttpRequest, comment_id: int) -> HttpResponse:
    """Show the edit form (GET) or save it (POST); only the author, within the edit window."""
    comment = visible_comment(request, comment_id)
    objective, key_result = thread_place(comment)
    shown = shown_comment(request.user, comment)
    on_kr_page = request.GET.get("page", request.POST.get("page")) == "kr"
    context: dict[str, Any] = {
        "shown": shown,
        "objective": objective,
        "key_result": key_result,
        "on_kr_page": on_kr_page,
        "edit_minutes": int(EDIT_WINDOW.total_seconds() // 60),
        "back_url": page_url(objective, key_result, on_kr_page) + f"#comment-{comment.pk}",
    }
    if request.method == "GET":
        if not shown.can_edit:
            raise PermissionDenied(_("You cannot edit this comment any more."))
        template = "comments/_edit_form.html" if request.htmx else "comments/edit.html"
        return render(request, template, context)
    body = request.POST.get("body", "")
    try:
        comment = edit_comment(
            request.user, comment, body=body, mention_ids=posted_mentions(request)
        )
    except ValidationError as error:
        context |= {"comment_error": error_text(error), "comment_draft": body}
        template = "comments/_edit_form.html" if request.htmx else "comments/edit.html"
        return render(request, template, context, status=422)
    if request.htmx:
        return render(
            request,
            "comments/_comment.html",
            {"shown": shown_comment(request.user, comment), "on_kr_page": on_kr_page},
        )
    messages.success(request, _("Comment changed."))
    return back(request, comment, objective, key_result)


@require_POST
@login_required
def delete(request: HttpRequest, comment_id: int) -> HttpResponse:
    comment = visible_comment(request, comment_id)
    objective, key_result = thread_place(comment)
    try:
        comment = delete_comment(request.user, comment)
    except ValidationError as error:
        messages.error(request, error_text(error))
        return back(request, comment, objective, key_result)
    if request.htmx:
        return render(
            request,
            "comments/_comment.html",
            {
                "shown": shown_comment(request.user, comment),
                "on_kr_page": request.POST.get("page") == "kr",
            },
        )
    messages.success(request, _("Comment deleted."))
    return back(request, comment, objective, key_result)


@require_GET
@login_required
def people(request: HttpRequest, objective_id: int) -> JsonResponse:
    """List people to @mention on this objective, matching `q` without diacritics (JSON)."""
    objective = visible_objective(request, objective_id)
    if access_for(request.user).person is None:
        raise PermissionDenied(_("Your account is not linked to a person in the organisation."))
    query = request.GET.get("q", "")
    found = people_to_mention(objective, query)
    return JsonResponse(
        {
            "people": [
                {
                    "id": person.pk,
                    "name": person.full_name,
                    "unit": person.unit.name if person.unit else "",
                }
                for person in found
            ]
        }
    )
