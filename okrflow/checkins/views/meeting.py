"""The 1:1 page: before (the prepared check-in), during (notes KR by KR), end, after."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from okrflow.checkins.actions import agree_action, end_one_on_one, save_meeting_notes
from okrflow.checkins.models import OneOnOne
from okrflow.checkins.schedule import local_today, next_due_day
from okrflow.checkins.scope import effective_checkin, key_results_for, may_manage, may_see
from okrflow.checkins.selectors import open_actions_for
from okrflow.checkins.views.common import (
    ALL,
    Place,
    error_dict,
    find_place,
    person_or_404,
    read_date,
    request_access,
    url_with_place,
)
from okrflow.checkins.views.rows import last_values
from okrflow.front.params import parse_id, safe_next
from okrflow.okrs.actions import set_initiative_done
from okrflow.okrs.models import Initiative, KeyResult
from okrflow.org.models import Person


def meeting_place(request: HttpRequest, person_id: int) -> tuple[Person, Place]:
    person = person_or_404(person_id)
    if not may_see(request_access(request), person):
        raise Http404("not your 1:1")
    place = find_place(request)
    if place is None:
        raise Http404("no open week")
    return person, place


def meeting_context(
    request: HttpRequest, person: Person, place: Place, **extra: Any
) -> dict[str, Any]:
    cycle, week = place.cycle, place.week
    meeting = (
        OneOnOne.objects.filter(person=person, cycle=cycle, week=week.start)
        .select_related("manager")
        .first()
    )
    checkin = effective_checkin(person, cycle, week.start)
    key_results = key_results_for(person, cycle)
    lines = {line.key_result_id: line for line in checkin.lines.all()} if checkin else {}
    notes = {note.key_result_id: note.body for note in meeting.kr_notes.all()} if meeting else {}
    history = last_values(key_results)
    agreed = (
        list(meeting.actions.select_related("initiative__owner", "initiative__key_result"))
        if meeting
        else []
    )
    agreed_ids = {a.initiative_id for a in agreed}
    today = local_today(cycle)
    manager = person.manager
    default_next = next_due_day(cycle, max(today, week.due or week.nominal))
    return {
        "person": person,
        "manager": manager,
        "cycle": cycle,
        "week": week,
        "meeting": meeting,
        "phase": meeting.phase if meeting else "before",
        "checkin": checkin,
        "items": [
            {
                "kr": kr,
                "line": lines.get(kr.pk),
                "note": notes.get(kr.pk, ""),
                "last": history.get(kr.pk),
            }
            for kr in key_results
        ],
        "agreed": agreed,
        "earlier_actions": [
            a for a in open_actions_for(person) if a.initiative_id not in agreed_ids
        ],
        "owners": [p for p in (person, manager) if p is not None],
        "is_manager": may_manage(request_access(request), person),
        "default_next_iso": default_next.isoformat() if default_next else "",
        "today": today,
        "errors": {},
        "general_errors": [],
        "typed": {},
        **extra,
    }


@require_GET
@login_required
def meeting(request: HttpRequest, person_id: int) -> HttpResponse:
    """Show the week's 1:1 for the person and their manager."""
    person, place = meeting_place(request, person_id)
    return render(request, "checkins/meeting.html", meeting_context(request, person, place))


def kr_notes_from(post: Any) -> dict[int, str]:
    notes: dict[int, str] = {}
    for name in post:
        kr_id = parse_id(name.removeprefix("note-")) if name.startswith("note-") else None
        if kr_id is not None:
            notes[kr_id] = post.get(name, "")
    return notes


def failed(
    request: HttpRequest, person: Person, place: Place, error: Exception, typed: dict[str, str]
) -> HttpResponse:
    errors = error_dict(error)  # type: ignore[arg-type]
    status = 403 if isinstance(error, PermissionDenied) else 200
    context = meeting_context(
        request, person, place, errors=errors, general_errors=errors.get(ALL, []), typed=typed
    )
    return render(request, "checkins/meeting.html", context, status=status)


@require_POST
@login_required
def meeting_notes(request: HttpRequest, person_id: int) -> HttpResponse:
    """Save the 1:1's notes (htmx answers with a small "saved" status)."""
    person, place = meeting_place(request, person_id)
    try:
        save_meeting_notes(
            request.user,
            person=person,
            cycle=place.cycle,
            week=place.week.start,
            notes=request.POST.get("notes", ""),
            kr_notes=kr_notes_from(request.POST),
        )
    except (ValidationError, PermissionDenied) as error:
        if request.htmx:  # type: ignore[attr-defined]
            message = " ".join(m for ms in error_dict(error).values() for m in ms)
            status = 403 if isinstance(error, PermissionDenied) else 200
            return render(request, "checkins/_saved.html", {"error": message}, status=status)
        return failed(request, person, place, error, dict(request.POST.items()))
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "checkins/_saved.html", {"saved": True})
    messages.success(request, _("Notes saved."))
    return redirect(
        url_with_place("checkins:meeting", place.cycle, place.week, person_id=person.pk)
    )


def ensure_meeting(request: HttpRequest, person: Person, place: Place) -> OneOnOne:
    found = OneOnOne.objects.filter(person=person, cycle=place.cycle, week=place.week.start).first()
    if found is not None:
        return found
    return save_meeting_notes(request.user, person=person, cycle=place.cycle, week=place.week.start)


@require_POST
@login_required
def meeting_action(request: HttpRequest, person_id: int) -> HttpResponse:
    """Agree an action: it becomes an initiative under one of the person's key results."""
    person, place = meeting_place(request, person_id)
    post = request.POST
    typed = {name: post.get(name, "") for name in ("key_result", "title", "owner", "due_date")}
    try:
        allowed = {str(kr.pk): kr for kr in key_results_for(person, place.cycle)}
        owners = {str(p.pk): p for p in (person, person.manager) if p is not None}
        errors = {}
        if typed["key_result"] not in allowed:
            errors["key_result"] = _("Choose one of the key results.")
        if typed["owner"] not in owners:
            errors["owner"] = _("Give the action to the person or their manager.")
        if errors:
            raise ValidationError(errors)
        key_result: KeyResult = allowed[typed["key_result"]]
        agree_action(
            request.user,
            ensure_meeting(request, person, place),
            key_result=key_result,
            title=typed["title"],
            owner=owners[typed["owner"]],
            due_date=read_date(typed["due_date"]),
        )
    except (ValidationError, PermissionDenied) as error:
        return failed(request, person, place, error, typed)
    messages.success(request, _("Action agreed; it is now an initiative under the key result."))
    url = url_with_place("checkins:meeting", place.cycle, place.week, person_id=person.pk)
    return redirect(url + "#actions")


@require_POST
@login_required
def meeting_end(request: HttpRequest, person_id: int) -> HttpResponse:
    """End the 1:1 and set the next check-in date."""
    person, place = meeting_place(request, person_id)
    typed = {"next_checkin_on": request.POST.get("next_checkin_on", "")}
    try:
        if not may_manage(request_access(request), person):
            raise PermissionDenied(_("The manager ends the 1:1."))
        end_one_on_one(
            request.user,
            ensure_meeting(request, person, place),
            next_checkin_on=read_date(typed["next_checkin_on"]),
        )
    except (ValidationError, PermissionDenied) as error:
        return failed(request, person, place, error, typed)
    messages.success(
        request, _("1:1 ended. The agreed actions will follow up at the next check-in.")
    )
    return redirect(
        url_with_place("checkins:meeting", place.cycle, place.week, person_id=person.pk)
    )


@require_POST
@login_required
def action_done(request: HttpRequest, initiative_id: int) -> HttpResponse:
    """Mark an agreed action done (or open again)."""
    initiative = get_object_or_404(
        Initiative.objects.select_related("owner", "key_result"), pk=initiative_id
    )
    done = request.POST.get("done", "1") == "1"
    try:
        initiative = set_initiative_done(request.user, initiative, done)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    initiative = Initiative.objects.select_related("owner", "key_result").get(pk=initiative.pk)
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "checkins/_action.html", {"initiative": initiative})
    return redirect(safe_next(request, request.POST.get("next"), "/checkins/"))
