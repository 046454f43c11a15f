"""Settings page part: the calendar feed (a secret iCalendar address, turned on and off here)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from okrflow.account.panels import Panel
from okrflow.checkins.actions.calendar_feed import (
    find_feed,
    turn_off_calendar_feed,
    turn_on_calendar_feed,
)
from okrflow.checkins.calendar_feed import person_calendar
from okrflow.checkins.models import CalendarFeed
from okrflow.org.access import access_for
from okrflow.org.models import Person

# The new address is shown once, on the page the turn-on redirects to; only its hash is kept.
NEW_ADDRESS_KEY = "calendar_feed_new_address"


def feed_address(request: HttpRequest, token: str) -> str:
    return request.build_absolute_uri(reverse("account:calendar_feed", args=[token]))


def my_person(request: HttpRequest) -> Person:
    person = access_for(request.user).person
    if person is None:
        raise PermissionDenied(_("Your account is not linked to a person in the organisation."))
    return person


def back_to_panel() -> HttpResponse:
    response = redirect("account:settings")
    response["Location"] += "#calendar-feed"
    return response


@require_POST
@login_required
def turn_on(request: HttpRequest) -> HttpResponse:
    """Create the feed, or give it a new address (the old one stops working)."""
    person = my_person(request)
    had_feed = CalendarFeed.objects.filter(person=person).exists()
    token = turn_on_calendar_feed(request.user, person)
    request.session[NEW_ADDRESS_KEY] = feed_address(request, token)
    messages.success(
        request,
        _("New calendar address made: the old one no longer works.")
        if had_feed
        else _("Calendar feed turned on."),
    )
    return back_to_panel()


@require_POST
@login_required
def turn_off(request: HttpRequest) -> HttpResponse:
    person = my_person(request)
    request.session.pop(NEW_ADDRESS_KEY, None)
    if turn_off_calendar_feed(request.user, person):
        messages.success(request, _("Calendar feed turned off: its address no longer works."))
    else:
        messages.info(request, _("The calendar feed was already off."))
    return back_to_panel()


@never_cache
@require_GET
def feed(request: HttpRequest, token: str) -> HttpResponse:
    """Serve the feed to a calendar app: no session, the secret address is the key."""
    found = find_feed(token)
    if found is None or not found.person.user.is_active:
        raise Http404(_("No calendar feed at this address."))
    body = person_calendar(found.person, request.build_absolute_uri)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="okrflow.ics"'
    response["X-Robots-Tag"] = "noindex"
    return response


def panel_context(request: HttpRequest) -> dict[str, Any]:
    person = access_for(request.user).person
    feed_row = CalendarFeed.objects.filter(person=person).first() if person else None
    return {
        "person": person,
        "feed": feed_row,
        # Shown once: a reload of the settings page no longer has it.
        "new_address": request.session.pop(NEW_ADDRESS_KEY, None) if feed_row else None,
    }


PANEL = Panel(template="account/_calendar_panel.html", context=panel_context, order=30)

urlpatterns = [
    path("calendar/on/", turn_on, name="calendar_on"),
    path("calendar/off/", turn_off, name="calendar_off"),
    path("calendar/<str:token>.ics", feed, name="calendar_feed"),
]
