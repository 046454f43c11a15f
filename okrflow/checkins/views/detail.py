"""One check-in: read it, correct it, comment on it, recognise it."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from okrflow.checkins.actions import (
    CheckInInput,
    comment_on_checkin,
    correct_checkin,
    recognise_checkin,
)
from okrflow.checkins.confidence import ConfidenceLevel, level_of
from okrflow.checkins.models import CheckIn
from okrflow.checkins.schedule import local_today, measured_day, week_of
from okrflow.checkins.scope import key_results_for, may_manage, may_see
from okrflow.checkins.selectors import chain_of, feedback_by_checkin
from okrflow.checkins.views.common import (
    ALL,
    TEXT_NAMES,
    error_dict,
    form_context,
    read_checkin_form,
    request_access,
)
from okrflow.checkins.views.late_rows import late_work_context
from okrflow.checkins.views.rows import build_rows
from okrflow.engine.cadence import judge_week


def visible_checkin(request: HttpRequest, checkin_id: int) -> CheckIn:
    """Return the check-in, or 404 for anyone but the person, their managers and admins."""
    checkin = get_object_or_404(
        CheckIn.objects.select_related("person__unit", "person__user", "cycle", "corrects"),
        pk=checkin_id,
    )
    if not may_see(request_access(request), checkin.person):
        raise Http404("not yours to see")
    return checkin


def feedback_context(request: HttpRequest, checkin: CheckIn, **extra: Any) -> dict[str, Any]:
    chain = chain_of(checkin)
    feedback = feedback_by_checkin(chain)
    access = request_access(request)
    return {
        "checkin": checkin,
        "feedback": [item for entry in chain for item in feedback.get(entry.pk, [])],
        "can_recognise": checkin.is_submitted and may_manage(access, checkin.person),
        "is_open": not checkin.cycle.is_closed,
        "feedback_errors": {},
        "typed": "",
        **extra,
    }


@require_GET
@login_required
def detail(request: HttpRequest, checkin_id: int) -> HttpResponse:
    """Show a check-in with its lines, feedback and corrections."""
    checkin = visible_checkin(request, checkin_id)
    chain = chain_of(checkin)
    week = week_of(checkin.cycle, checkin.week)
    original = chain[0]
    timeliness = None
    if week is not None and original.is_submitted:
        timeliness = judge_week(
            week,
            original.submitted_at,
            timezone.now(),
            checkin.cycle.checkin_hour,
            checkin.cycle.time_zone,
        )
    context = feedback_context(request, checkin)
    context |= {
        "lines": checkin.lines.select_related("key_result__objective", "value_record"),
        "chain": chain,
        "latest": chain[-1],
        "week": week,
        "timeliness": timeliness,
        "can_correct": checkin.is_submitted and chain[-1] == checkin and context["is_open"],
    }
    # The late work is turned into initiatives from the entry that says what is true now.
    late_krs = (
        key_results_for(checkin.person, checkin.cycle)
        if checkin.late_work and chain[-1] == checkin
        else []
    )
    context |= late_work_context(checkin, late_krs)
    return render(request, "checkins/detail.html", context)


def respond_with_feedback(
    request: HttpRequest, checkin: CheckIn, error: Exception | None, typed: str = ""
) -> HttpResponse:
    """Answer a feedback post: the feedback partial for htmx, else back to the check-in."""
    status = 403 if isinstance(error, PermissionDenied) else 200
    if request.htmx:  # type: ignore[attr-defined]
        errors = error_dict(error) if isinstance(error, ValidationError | PermissionDenied) else {}
        context = feedback_context(request, checkin, feedback_errors=errors, typed=typed)
        return render(request, "checkins/_feedback.html", context, status=status)
    if error is not None:
        for message in error_dict(error).values():  # type: ignore[arg-type]
            messages.error(request, " ".join(message))
        if status == 403:
            raise PermissionDenied(str(error))
    return redirect(reverse("checkins:detail", args=[checkin.pk]) + "#feedback")


@require_POST
@login_required
def comment(request: HttpRequest, checkin_id: int) -> HttpResponse:
    """Add a comment; htmx swaps the feedback list in place."""
    checkin = visible_checkin(request, checkin_id)
    body = request.POST.get("body", "")
    try:
        comment_on_checkin(request.user, checkin, body=body)
    except (ValidationError, PermissionDenied) as error:
        return respond_with_feedback(request, checkin, error, body)
    return respond_with_feedback(request, checkin, None)


@require_POST
@login_required
def recognise(request: HttpRequest, checkin_id: int) -> HttpResponse:
    """Give recognition ("well done"); only the person's managers may."""
    checkin = visible_checkin(request, checkin_id)
    try:
        recognise_checkin(request.user, checkin, body=request.POST.get("body", ""))
    except (ValidationError, PermissionDenied) as error:
        return respond_with_feedback(request, checkin, error)
    return respond_with_feedback(request, checkin, None)


@require_http_methods(["GET", "POST"])
@login_required
def correct(request: HttpRequest, checkin_id: int) -> HttpResponse:
    """Correct a submitted check-in: the form pre-filled with it; submitting adds a new entry."""
    checkin = visible_checkin(request, checkin_id)
    if not checkin.is_submitted:
        return redirect(
            reverse("checkins:mine") + f"?cycle={checkin.cycle_id}&week={checkin.week.isoformat()}"
        )
    posted: CheckInInput | None = None
    errors: dict[str, list[str]] = {}
    status = 200
    if request.method == "POST":
        posted = read_checkin_form(request.POST)
        try:
            correction = correct_checkin(request.user, checkin, data=posted)
        except (ValidationError, PermissionDenied) as error:
            errors = error_dict(error)
            status = 403 if isinstance(error, PermissionDenied) else 200
        else:
            messages.success(
                request, _("Correction saved. The earlier entry stays in the history.")
            )
            return redirect("checkins:detail", correction.pk)
    person, cycle = checkin.person, checkin.cycle
    reported = [line.key_result for line in checkin.lines.select_related("key_result__objective")]
    current = key_results_for(person, cycle)
    key_results = current + [kr for kr in reported if kr.pk not in {k.pk for k in current}]
    week = week_of(cycle, checkin.week)
    context = {
        "checkin": checkin,
        "person": person,
        "cycle": cycle,
        "week": week,
        "rows": build_rows(
            person,
            cycle,
            key_results,
            local_today(cycle),
            draft=checkin,
            posted=posted,
            errors=errors,
            as_of=None if week is None else measured_day(cycle, week),
        ),
        "errors": errors,
        "general_errors": errors.get(ALL, []),
        "texts": {name: getattr(posted or checkin, name) for name in TEXT_NAMES},
        "pace": (posted or checkin).pace,
        "overall": posted.confidence if posted else level_of(checkin.confidence) or "",
        "levels": ConfidenceLevel.choices,
        **form_context(
            _("Save correction"), reverse("checkins:correct", args=[checkin.pk]), allow_draft=False
        ),
    }
    return render(request, "checkins/correct.html", context, status=status)
