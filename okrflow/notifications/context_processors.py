"""The top bar's count of unread notifications: one query, and only on pages that show it."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from okrflow.notifications.models import Notification
from okrflow.org.access import access_for


def unread_count(request: HttpRequest) -> int:
    person = access_for(request.user).person
    if person is None:
        return 0
    return Notification.objects.filter(recipient_id=person.pk, read_at__isnull=True).count()


def notifications(request: HttpRequest) -> dict[str, Any]:
    """Expose `unread_notifications`, counted when a template first reads it."""
    if not getattr(request.user, "is_authenticated", False):
        return {"unread_notifications": 0}
    return {"unread_notifications": SimpleLazyObject(lambda: unread_count(request))}
