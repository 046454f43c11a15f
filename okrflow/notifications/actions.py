"""Make notifications: every part of okrflow that tells someone something calls `notify`."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction

from okrflow.notifications.kinds import DEFAULT_CHANNEL, Channel, Kind
from okrflow.notifications.models import Notification, NotificationPreference


def channel_for(person: Any, kind: Kind | str) -> Channel:
    """Return how `person` wants `kind` delivered: their choice, else the kind's default."""
    chosen = (
        NotificationPreference.objects.filter(person=person, kind=str(kind))
        .values_list("channel", flat=True)
        .first()
    )
    return Channel(chosen) if chosen else DEFAULT_CHANNEL[Kind(kind)]


def may_see(person: Any, objective: Any) -> bool:
    """A notification about an objective goes only to someone who may see that objective."""
    from okrflow.org.access import Access

    return objective is None or Access(person.user).can_view_objective(objective)


def notify(
    recipient: Any,
    kind: Kind | str,
    *,
    source_key: str,
    actor: Any = None,
    objective: Any = None,
    key_result: Any = None,
    params: dict[str, Any] | None = None,
    url: str = "",
) -> Notification | None:
    """Tell `recipient` (an org Person) about something, once per (kind, source_key).

    Call it inside the action's transaction: the notification is saved with the change or not
    at all. Nobody is told about their own doing, an inactive person is told nothing, nobody
    hears of an objective they may not see, and a kind the person switched off makes no row.
    Returns the new notification, or None when none was made (including a repeat).
    """
    if recipient is None or not recipient.user.is_active:
        return None
    if actor is not None and getattr(actor, "pk", None) == recipient.user_id:
        return None
    if objective is None and key_result is not None:
        objective = key_result.objective
    if not may_see(recipient, objective):
        return None
    channel = channel_for(recipient, kind)
    if channel == Channel.OFF:
        return None
    try:
        with transaction.atomic():
            notification = Notification.objects.create(
                recipient=recipient,
                kind=str(kind),
                source_key=source_key[:200],
                actor=actor if getattr(actor, "is_authenticated", False) else None,
                objective=objective,
                key_result=key_result,
                params=params or {},
                url=url,
            )
    except IntegrityError:  # already told: the database keeps each notification once
        return None
    if channel == Channel.EMAIL:
        from okrflow.notifications.delivery import email_on_commit

        email_on_commit(notification)
    return notification
