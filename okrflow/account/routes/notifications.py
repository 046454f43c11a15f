"""Settings page part: how each kind of notification reaches the person (issue #13)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from okrflow.account.panels import Panel
from okrflow.notifications.actions import channels_of, set_notification_preferences
from okrflow.notifications.kinds import Kind
from okrflow.notifications.models import NotificationChannel, NotificationKind
from okrflow.org.access import access_for


def back_to_panel() -> HttpResponse:
    response = redirect("account:settings")
    response["Location"] += "#notifications"
    return response


@require_POST
@login_required
def save_preferences(request: HttpRequest) -> HttpResponse:
    """Save the person's choice per kind (all or nothing)."""
    person = access_for(request.user).person
    if person is None:
        raise PermissionDenied(_("Your account is not linked to a person in the organisation."))
    choices = {kind.value: request.POST.get(f"kind-{kind.value}", "") for kind in Kind}
    choices = {kind: channel for kind, channel in choices.items() if channel}
    try:
        changed = set_notification_preferences(request.user, person, choices)
    except ValidationError:
        messages.error(
            request, _("Choose one of the offered ways for each kind; nothing was saved.")
        )
        return back_to_panel()
    if changed:
        messages.success(request, _("Notification choices saved."))
    else:
        messages.info(request, _("Nothing changed."))
    return back_to_panel()


def panel_context(request: HttpRequest) -> dict[str, Any]:
    person = access_for(request.user).person
    if person is None:
        return {"person": None, "rows": []}
    current = channels_of(person)
    labels = dict(NotificationKind.choices)
    return {
        "person": person,
        "channels": NotificationChannel.choices,
        "rows": [
            {"kind": kind.value, "label": labels[kind.value], "channel": current[kind].value}
            for kind in Kind
        ],
    }


PANEL = Panel(template="account/_notifications_panel.html", context=panel_context, order=40)

urlpatterns = [path("notifications/", save_preferences, name="notification_preferences")]
