"""Make notifications, mark them read, and choose their delivery: every write of this app.

Every part of okrflow that tells someone something calls `notify` inside its own action's
transaction, so a notification exists exactly when the change it tells of was saved.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from okrflow.action_support import deny
from okrflow.audit.log import record_change
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


def channels_of(person: Any) -> dict[Kind, Channel]:
    """Return the person's delivery for every kind (their choices over the defaults)."""
    chosen = dict(
        NotificationPreference.objects.filter(person=person).values_list("kind", "channel")
    )
    return {
        kind: Channel(chosen[kind.value]) if kind.value in chosen else default
        for kind, default in DEFAULT_CHANNEL.items()
    }


def may_see(person: Any, objective: Any) -> bool:
    """A notification about an objective goes only to someone who may see that objective."""
    from okrflow.org.access import Access

    return objective is None or Access(person.user).can_view_objective(objective)


def record_notification(
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
    """Save a notification without sending any email (see `notify`); None when none is made."""
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
            return Notification.objects.create(
                recipient=recipient,
                kind=str(kind),
                source_key=source_key[:200],
                actor=actor if getattr(actor, "is_authenticated", False) else None,
                objective=objective,
                key_result=key_result,
                params=params or {},
                url=url[:500],
                delivery=channel.value,
            )
    except IntegrityError:  # already told: the database keeps each notification once
        return None


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
    An "email at once" notification is emailed by the worker after the transaction commits.
    Returns the new notification, or None when none was made (including a repeat).
    """
    notification = record_notification(
        recipient,
        kind,
        source_key=source_key,
        actor=actor,
        objective=objective,
        key_result=key_result,
        params=params,
        url=url,
    )
    if notification is not None and notification.delivery == Channel.EMAIL:
        from okrflow.notifications.delivery import email_on_commit

        email_on_commit(notification)
    return notification


def require_recipient(actor: Any, notification: Notification) -> None:
    person = getattr(actor, "person", None)
    if person is None or notification.recipient_id != person.pk:
        raise deny(_("This notification is not yours."))


@transaction.atomic
def mark_notification_read(actor: Any, notification: Notification) -> Notification:
    """Mark one of the actor's own notifications read (a second time changes nothing)."""
    notification = Notification.objects.select_for_update().get(pk=notification.pk)
    require_recipient(actor, notification)
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
        record_change(
            actor=actor,
            action="read_notification",
            instance=notification,
            before={"read_at": None},
            after={"read_at": notification.read_at.isoformat()},
        )
    return notification


@transaction.atomic
def mark_all_notifications_read(actor: Any, person: Any) -> int:
    """Mark every unread notification of the actor's own read; return how many there were."""
    if getattr(getattr(actor, "person", None), "pk", None) != person.pk:
        raise deny(_("Only the person can mark their own notifications read."))
    count = Notification.objects.filter(recipient=person, read_at__isnull=True).update(
        read_at=timezone.now()
    )
    if count:
        record_change(
            actor=actor,
            action="read_all_notifications",
            instance=person,
            before=None,
            after={"read": count},
            summary=str(count),
        )
    return count


@transaction.atomic
def set_notification_preferences(actor: Any, person: Any, choices: dict[str, str]) -> int:
    """Save how the person wants each kind delivered; return how many kinds changed.

    All or nothing: an unknown kind or channel refuses the whole change. A choice equal to the
    kind's default leaves no row, so a later change of default reaches everyone who never chose.
    """
    if actor is not None and getattr(getattr(actor, "person", None), "pk", None) != person.pk:
        raise deny(_("Only the person can choose their own notifications."))
    errors: dict[str, str] = {}
    wanted: dict[Kind, Channel] = {}
    for kind_value, channel_value in choices.items():
        if kind_value not in Kind._value2member_map_:
            errors[kind_value] = _("Unknown kind of notification.")
        elif channel_value not in Channel._value2member_map_:
            errors[kind_value] = _("Choose one of the offered ways.")
        else:
            wanted[Kind(kind_value)] = Channel(channel_value)
    if errors:
        raise ValidationError(errors)
    current = channels_of(person)
    changed = {kind: channel for kind, channel in wanted.items() if current[kind] != channel}
    if not changed:
        return 0
    for kind, channel in changed.items():
        if channel == DEFAULT_CHANNEL[kind]:
            NotificationPreference.objects.filter(person=person, kind=kind.value).delete()
        else:
            NotificationPreference.objects.update_or_create(
                person=person, kind=kind.value, defaults={"channel": channel.value}
            )
    record_change(
        actor=actor,
        action="set_notification_preferences",
        instance=person,
        before={kind.value: current[kind].value for kind in changed},
        after={kind.value: channel.value for kind, channel in changed.items()},
    )
    return len(changed)
