"""A unit's weekly check-in digest for chat subscriptions: who checked in last week, who did not."""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.db import transaction
from django.utils import timezone

from okrflow.webhooks import events
from okrflow.webhooks.models import Delivery, Subscription


def unit_subtree(unit_id: int) -> set[int]:
    """Return the unit and every unit below it."""
    from okrflow.org.models import OrgUnit

    children: dict[int | None, list[int]] = defaultdict(list)
    for pk, parent_id in OrgUnit.objects.values_list("pk", "parent_id"):
        children[parent_id].append(pk)
    found, frontier = {unit_id}, [unit_id]
    while frontier:
        frontier = [child for pk in frontier for child in children[pk] if child not in found]
        found.update(frontier)
    return found


def digest_data(subscription: Subscription, week: datetime.date) -> dict[str, object]:
    from okrflow.checkins.models import CheckIn
    from okrflow.cycles.models import CycleState
    from okrflow.org.models import Person

    assert subscription.unit is not None
    people = list(
        Person.objects.filter(unit_id__in=unit_subtree(subscription.unit_id))
        .order_by("full_name", "id")
        .values_list("pk", "full_name")
    )
    submitted = set(
        CheckIn.objects.submitted()
        .filter(week=week, cycle__state=CycleState.ACTIVE, person_id__in=[pk for pk, _ in people])
        .values_list("person_id", flat=True)
    )
    return {
        "unit": subscription.unit.name,
        "week": week.isoformat(),
        "checked_in": [name for pk, name in people if pk in submitted],
        "missing": [name for pk, name in people if pk not in submitted],
    }


@transaction.atomic
def write_weekly_digests(today: datetime.date) -> int:
    """Write the digest of the week before `today`'s for each subscription; once per week."""
    week = today - datetime.timedelta(days=today.weekday() + 7)
    written = 0
    for subscription in Subscription.objects.filter(
        is_paused=False, unit__isnull=False
    ).select_related("unit"):
        if events.WEEKLY_DIGEST not in subscription.events:
            continue
        data = digest_data(subscription, week)
        _, created = Delivery.objects.get_or_create(
            subscription=subscription,
            source_key=f"digest:{subscription.unit_id}:{week.isoformat()}",
            defaults={
                "event": events.WEEKLY_DIGEST,
                "payload": {
                    "event": events.WEEKLY_DIGEST,
                    "occurred_at": timezone.now().isoformat(),
                    "actor": "",
                    "data": data,
                },
                "next_attempt_at": timezone.now(),
            },
        )
        written += created
    return written
