"""Late work on a check-in: what became of each item, and turning one into an initiative (#16)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from okrflow.checkins.actions import late_work_to_initiative
from okrflow.checkins.views.common import error_dict, read_date
from okrflow.checkins.views.detail import visible_checkin
from okrflow.front.params import parse_id


@require_POST
@login_required
def late_to_initiative(request: HttpRequest, checkin_id: int) -> HttpResponse:
    """Turn one late item of a check-in into an initiative with a due date."""
    checkin = visible_checkin(request, checkin_id)
    back = reverse("checkins:detail", args=[checkin.pk]) + "#late-work"
    if request.POST.get("next") == "mine":
        back = (
            reverse("checkins:mine")
            + f"?cycle={checkin.cycle_id}&week={checkin.week.isoformat()}#late-work"
        )
    raw_day = request.POST.get("due_date", "")
    due = read_date(raw_day)
    try:
        if raw_day and due is None:
            raise ValidationError({"due_date": _("Enter the due date as a date.")})
        link = late_work_to_initiative(
            request.user,
            checkin,
            item=request.POST.get("item", ""),
            key_result_id=parse_id(request.POST.get("key_result")),
            due_date=due,
        )
    except ValidationError as error:
        for found in error_dict(error).values():
            messages.error(request, " ".join(found))
        return redirect(back)
    messages.success(
        request,
        _("“%(title)s” is now an initiative, due %(day)s.")
        % {"title": link.item, "day": date_format(link.initiative.due_date, "SHORT_DATE_FORMAT")}
        if link.initiative.due_date
        else link.item,
    )
    return redirect(back)
