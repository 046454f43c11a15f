"""The top bar's count of unread notifications: one query, and only on pages that show it."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from okrflow.compiled_reads import count_by_id
from okrflow.notifications.models import Notification
from okrflow.org.access import access_for


def unread_count(request: HttpRequest) -> int:
    person = access_for(request.user).person
    if person is None:
        return 0
    # Compiled once per process: every page's top bar counts them.
    return count_by_id("unread notifications", unread_of, Notification.objects.db, person.pk)


def unread_of(person_id: int) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient_id=person_id, read_at__isnull=True)


def notifications(request: HttpRequest) -> dict[str, Any]:
    """Expose `unread_notifications`, counted when a template first reads it."""
    if not getattr(request.user, "is_authenticated", False):
        return {"unread_notifications": 0}
    return {"unread_notifications": SimpleLazyObject(lambda: unread_count(request))}
