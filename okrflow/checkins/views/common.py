"""What the check-in views share: finding the cycle and week asked for, reading forms, errors."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, QueryDict
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from okrflow.checkins.actions import CheckInInput, LineInput
from okrflow.checkins.models import Pace
from okrflow.checkins.schedule import current_week, default_cycle, open_weeks, week_of
from okrflow.cycles.models import Cycle
from okrflow.engine.cadence import CheckinWeek
from okrflow.front.cycle_choice import chosen_cycle
from okrflow.front.params import parse_id
from okrflow.org.access import Access, access_for
from okrflow.org.models import Person

LINE_FIELD = re.compile(r"^kr-([0-9]+)-(value|confidence|note)$")
ALL = "__all__"


@dataclass
class Place:
    """The cycle and week a page is about."""

    cycle: Cycle
    week: CheckinWeek
    is_current: bool


def request_access(request: HttpRequest) -> Access:
    return access_for(request.user)


def read_date(text: str | None) -> datetime.date | None:
    if not text:
        return None
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        return None


def page_cycle(request: HttpRequest) -> Cycle | None:
    """Return the cycle a page is about: a form's hidden field, else the app-wide choice.

    GET pages follow the cycle picked in the top bar (remembered in the session), so the
    check-in pages and the rest of the app always show the same cycle.
    """
    if request.method == "POST":
        return default_cycle(request.POST.get("cycle"))
    return chosen_cycle(request)


def find_place(request: HttpRequest) -> Place | None:
    """Return the cycle and week asked for (default: this week of the page's cycle).

    None when the cycle has no open week yet. A week that is not one of the cycle's weeks up
    to today raises Http404.
    """
    cycle = page_cycle(request)
    if cycle is None:
        return None
    data = request.POST if request.method == "POST" else request.GET
    asked = read_date(data.get("week"))
    this_week = current_week(cycle)
    if asked is None:
        if this_week is not None:
            return Place(cycle, this_week, True)
        weeks = open_weeks(cycle)
        return Place(cycle, weeks[-1], False) if weeks else None
    week = week_of(cycle, asked)
    if week is None or week not in open_weeks(cycle):
        raise Http404("no such week")
    return Place(cycle, week, this_week is not None and week == this_week)


def place_query(cycle: Cycle, week: CheckinWeek | datetime.date) -> str:
    start = week.start if isinstance(week, CheckinWeek) else week
    return urlencode({"cycle": cycle.pk, "week": start.isoformat()})


def url_with_place(name: str, cycle: Cycle, week: Any, **kwargs: Any) -> str:
    return f"{reverse(name, kwargs=kwargs or None)}?{place_query(cycle, week)}"


def read_checkin_form(post: QueryDict) -> CheckInInput:
    """Read a check-in form: every `kr-<id>-…` field, and the whole check-in's fields."""
    lines: dict[int, LineInput] = {}
    for name in post:
        match = LINE_FIELD.match(name)
        kr_id = parse_id(match.group(1)) if match else None
        if match and kr_id is not None:
            line = lines.setdefault(kr_id, LineInput())
            setattr(line, match.group(2), post.get(name, ""))
    return CheckInInput(
        lines=lines,
        progress=post.get("progress", ""),
        obstacles=post.get("obstacles", ""),
        solutions=post.get("solutions", ""),
        confidence=post.get("confidence", ""),
        late_work=post.get("late_work", ""),
        pace=post.get("pace", ""),
    )


def error_dict(error: ValidationError | PermissionDenied) -> dict[str, list[str]]:
    """Turn an action's error into messages by field name; `__all__` holds the rest."""
    if isinstance(error, PermissionDenied):
        return {ALL: [str(error) or "Permission denied"]}
    if hasattr(error, "error_dict"):
        return error.message_dict
    return {ALL: error.messages}


def person_or_404(person_id: int) -> Person:
    return get_object_or_404(Person.objects.select_related("unit", "manager", "user"), pk=person_id)


def cycle_from(request: HttpRequest) -> Cycle:
    cycle = page_cycle(request)
    if cycle is None:
        raise Http404("no cycle")
    return cycle


def text_fields() -> list[tuple[str, str, str]]:
    """Return the check-in's three questions: field name, label, placeholder."""
    return [
        ("progress", _("Progress so far"), _("What moved this week?")),
        ("obstacles", _("Obstacles"), _("What is in the way? A blocker, a risk, a missing hand.")),
        (
            "solutions",
            _("Solutions and next steps"),
            _("How will you get past it? What do you need from your manager?"),
        ),
        (
            "late_work",
            _("Work that is or will be late"),
            _("One item a line: what slipped, or will slip, past its date?"),
        ),
    ]


TEXT_NAMES = ("progress", "obstacles", "solutions", "late_work")


def form_context(submit_label: str, action_url: str, allow_draft: bool) -> dict[str, object]:
    return {
        "text_fields": text_fields(),
        "paces": Pace.choices,
        "submit_label": submit_label,
        "action_url": action_url,
        "allow_draft": allow_draft,
    }
