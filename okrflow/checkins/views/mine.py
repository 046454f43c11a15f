"""My check-in (one screen, every key result), and the history of a person's check-ins."""

from __future__ import annotations

from contextlib import nullcontext
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from okrflow.checkins import shapes_input as checkin_shapes
from okrflow.checkins.actions import CheckInInput, record_checkin
from okrflow.checkins.confidence import ConfidenceLevel, level_of
from okrflow.checkins.models import CheckIn
from okrflow.checkins.schedule import due_moment, local_today, measured_day
from okrflow.checkins.scope import key_results_for, may_see
from okrflow.checkins.selectors import (
    CycleCheckIns,
    feedback_by_checkin,
    next_meeting,
    open_actions_for,
    week_marks,
)
from okrflow.checkins.views.common import (
    ALL,
    TEXT_NAMES,
    Place,
    error_dict,
    find_place,
    form_context,
    person_or_404,
    read_checkin_form,
    request_access,
    url_with_place,
)
from okrflow.checkins.views.late_rows import late_work_context
from okrflow.checkins.views.rows import build_rows
from okrflow.engine.cadence import Timeliness
from okrflow.org.models import Person

MISSED_SHOWN = 3


def mine_context(
    request: HttpRequest,
    person: Person,
    place: Place,
    *,
    posted: CheckInInput | None = None,
    errors: dict[str, list[str]] | None = None,
) -> dict[str, Any]:
    cycle, week = place.cycle, place.week
    today = local_today(cycle)
    # The person's check-ins in the cycle, read once: the week's entry, its chain, the weeks'
    # marks and last time's check-in all come from them.
    entries = CycleCheckIns(person, cycle)
    checkin = entries.effective(week.start)
    key_results = key_results_for(person, cycle)
    draft = checkin if checkin is not None and not checkin.is_submitted else None
    # Nothing to check in (no key result in the cycle): nothing is due, overdue or missed.
    expected = bool(key_results)
    marks = week_marks(cycle, entries, expected=expected)
    missed = [w for w, mark in marks if mark == Timeliness.MISSED and w != week]
    chain = entries.chain(week.start) if checkin is not None and checkin.is_submitted else []
    feedback = feedback_by_checkin(chain)
    moment = due_moment(cycle, week)
    previous = entries.previous(week.start)
    if posted is not None:
        overall = posted.confidence
    else:
        overall = level_of(draft.confidence if draft else getattr(previous, "confidence", None))
    source: Any = posted or draft
    return {
        "person": person,
        "cycle": cycle,
        "week": week,
        "is_current": place.is_current,
        "due_moment": moment,
        "is_overdue": expected and moment is not None and timezone.now() > moment,
        "nothing_due": not expected,
        "checkin": checkin,
        "is_submitted": checkin is not None and checkin.is_submitted,
        "chain": chain,
        "feedback": [item for entry in chain for item in feedback.get(entry.pk, [])],
        "rows": build_rows(
            person,
            cycle,
            key_results,
            today,
            draft=draft,
            posted=posted,
            errors=errors,
            as_of=measured_day(cycle, week),
        ),
        "shapes": checkin_shapes.form_shapes(
            key_results, week.start, today, request.POST if posted is not None else None, errors
        ),
        "errors": errors or {},
        "general_errors": (errors or {}).get(ALL, []),
        "texts": {
            name: getattr(source, name, "") if source is not None else "" for name in TEXT_NAMES
        },
        "pace": getattr(source, "pace", "") if source is not None else "",
        "overall": overall or "",
        "levels": ConfidenceLevel.choices,
        "previous": previous,
        "open_actions": open_actions_for(person),
        "next_meeting": next_meeting(person, today),
        "missed": missed[-MISSED_SHOWN:],
        "missed_earlier": max(0, len(missed) - MISSED_SHOWN),
        "marks": marks,
        "lines": (
            checkin.lines.select_related("key_result__objective")
            if checkin is not None and checkin.is_submitted
            else []
        ),
        "can_recognise": False,
        "is_open": not cycle.is_closed,
        "feedback_errors": {},
        "typed": "",
        **form_context(_("Submit check-in"), reverse("checkins:mine"), allow_draft=True),
        **late_work_context(
            checkin if checkin is not None and checkin.is_submitted else None, key_results
        ),
        "late_next": "mine",
    }


@require_http_methods(["GET", "POST"])
@login_required
def mine(request: HttpRequest) -> HttpResponse:
    """Show this week's check-in on one screen; save it as a draft or submit it."""
    person = request_access(request).person
    if person is None:
        return render(request, "checkins/mine.html", {"no_person": True})
    place = find_place(request)
    if place is None:
        return render(request, "checkins/mine.html", {"no_week": True, "person": person})
    if request.method == "GET":
        return render(request, "checkins/mine.html", mine_context(request, person, place))
    posted = read_checkin_form(request.POST)
    submit = request.POST.get("action") != "draft"
    try:
        shapes = checkin_shapes.prepare(
            posted, request.POST, lambda: key_results_for(person, place.cycle)
        )
        # The parts and slots (#16) are saved with the check-in, in its transaction; without
        # any, `record_checkin`'s own transaction is the whole of it (no savepoint inside one).
        with transaction.atomic() if shapes else nullcontext():
            record_checkin(
                request.user,
                person=person,
                cycle=place.cycle,
                week=place.week.start,
                data=posted,
                submit=submit,
            )
            if submit and shapes:
                checkin_shapes.record(request.user, shapes, measured_day(place.cycle, place.week))
    except (ValidationError, PermissionDenied) as error:
        status = 403 if isinstance(error, PermissionDenied) else 200
        context = mine_context(request, person, place, posted=posted, errors=error_dict(error))
        return render(request, "checkins/mine.html", context, status=status)
    messages.success(request, _("Check-in submitted. Thank you!") if submit else _("Draft saved."))
    return redirect(url_with_place("checkins:mine", place.cycle, place.week))


def history_context(person: Person) -> dict[str, Any]:
    entries = list(
        CheckIn.objects.filter(person=person)
        .select_related("cycle")
        .prefetch_related("lines__key_result", "feedback")
        .order_by("-week", "-id")
    )
    corrected = {entry.corrects_id for entry in entries if entry.corrects_id}
    return {
        "person": person,
        "entries": entries,
        "corrected": corrected,
    }


@require_GET
@login_required
def history(request: HttpRequest) -> HttpResponse:
    """List my check-ins, newest first, corrections included."""
    person = request_access(request).person
    if person is None:
        raise Http404("no person")
    return render(request, "checkins/history.html", history_context(person))


@require_GET
@login_required
def person_history(request: HttpRequest, person_id: int) -> HttpResponse:
    """List a person's check-ins, for them, their managers and admins."""
    person = person_or_404(person_id)
    if not may_see(request_access(request), person):
        raise Http404("not yours to see")
    return render(request, "checkins/history.html", history_context(person))
