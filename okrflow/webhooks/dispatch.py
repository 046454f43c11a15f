"""Turn committed audit rows into webhook deliveries.

Every action writes an audit row, so every writer (web, API, command line, import) is heard.
After a transaction with audit rows commits, a `dispatch_events` task is enqueued; it reads the
rows after the cursor and writes one delivery per (subscription, event). The audit table is the
outbox: a lost task only delays events until the next sweep, and a row read twice (the cursor
stays a little behind, because concurrent transactions commit out of id order) makes no second
delivery, thanks to the delivery's unique source key.
"""

from __future__ import annotations

import datetime
import logging
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from okrflow.audit.models import AuditEntry
from okrflow.webhooks import events
from okrflow.webhooks.models import Delivery, DispatchCursor, Subscription

logger = logging.getLogger(__name__)
BATCH = 500
# Audit rows younger than this may still be followed by a lower id committing late.
SETTLING = datetime.timedelta(minutes=2)


def on_audit_entry(sender: Any, instance: AuditEntry, created: bool, **kwargs: Any) -> None:
    """A row saved (`post_save`): ask for a dispatch once the transaction commits."""
    if created:
        ask_for_dispatch()


def on_audit_entries(sender: Any, entries: list[AuditEntry], **kwargs: Any) -> None:
    """Rows written together (`audit.signals.entries_recorded`): the same one ask."""
    ask_for_dispatch()


def ask_for_dispatch() -> None:
    """Once per transaction, ask for a dispatch after it commits (the rows say nothing more:
    the dispatch reads the events the audit trail holds)."""
    connection = transaction.get_connection()
    # An import writes hundreds of rows: one callback is enough. A rolled-back transaction
    # drops its callbacks, so the next one registers again.
    # The list of callbacks is replaced on commit and rollback: while it is the one this check
    # last saw holding the callback, the callback is still there (an import's 100,000 rows
    # would otherwise scan a list that grows with every row).
    callbacks = connection.run_on_commit
    if getattr(connection, "okrflow_kick_in", None) is callbacks:
        return
    if not any(callback is kick_dispatch for _, callback, _ in callbacks):
        transaction.on_commit(kick_dispatch)
    connection.okrflow_kick_in = connection.run_on_commit


def kick_dispatch() -> None:
    from okrflow.background.enqueue import enqueue_on_commit
    from okrflow.webhooks.listening import any_listening
    from okrflow.webhooks.tasks import dispatch_events

    try:
        if any_listening():
            enqueue_on_commit(dispatch_events)
    except Exception:  # the change is saved; the sweep dispatches its events later
        logger.exception("Could not ask for a webhook dispatch")


def base_url() -> str:
    from okrflow.checkins.reminders import base_url as configured

    return configured()


def actor_name(entry: AuditEntry) -> str:
    if entry.actor is None:
        return ""
    person = getattr(entry.actor, "person", None)
    return getattr(person, "full_name", "") or entry.actor.get_username()


def objective_data(objective_id: int) -> dict[str, Any]:
    from okrflow.okrs.models import Objective, ObjectiveState

    objective = (
        Objective.objects.select_related("cycle", "owner_person", "owner_unit", "owner_project")
        .filter(pk=objective_id)
        .first()
    )
    if objective is None:
        return {"id": objective_id}
    return {
        "id": objective.pk,
        "title": objective.title,
        "state": objective.state,
        "state_label": str(ObjectiveState(objective.state).label),
        "owner": objective.owner_name,
        "cycle": objective.cycle.name,
        "url": base_url() + reverse("objective_detail", args=[objective.pk]),
    }


def key_result_data(key_result: Any) -> dict[str, Any]:
    return {
        "id": key_result.pk,
        "title": key_result.title,
        "objective_id": key_result.objective_id,
        "objective_title": key_result.objective.title,
        "current_value": str(key_result.current_value)
        if key_result.current_value is not None
        else None,
        "target_value": str(key_result.target_value)
        if key_result.target_value is not None
        else None,
        "unit": key_result.unit,
    }


def status_of(key_result: Any, value: Any, on: datetime.date) -> str | None:
    """Return a key result's status had its current value been `value`."""
    from decimal import Decimal, InvalidOperation

    from okrflow.okrs.measure import SUCCESS_BAR, measure_key_result
    from okrflow.okrs.models import ObjectiveKind
    from okrflow.org.models import Organisation

    try:
        key_result.current_value = None if value in (None, "") else Decimal(str(value))
    except InvalidOperation:
        return None
    objective = key_result.objective
    bar = SUCCESS_BAR.get(ObjectiveKind(objective.kind), 1.0)
    thresholds = Organisation.current().status_thresholds()
    report = measure_key_result(key_result, objective.cycle.start_date, on, bar, thresholds)
    return str(report.status.value if hasattr(report.status, "value") else report.status)


def key_result_events(entry: AuditEntry) -> list[tuple[str, dict[str, Any]]]:
    """Return the value-recorded event and, when the value moved the status, a risk event."""
    from okrflow.okrs.models import KeyResult

    kr = KeyResult.objects.select_related("objective__cycle").filter(pk=entry.object_id).first()
    if kr is None:
        return []
    after = entry.after or {}
    before = entry.before or {}
    data = {
        "key_result": key_result_data(kr),
        "value": after.get("current_value"),
        "previous_value": before.get("current_value"),
        "measured_on": after.get("measured_on"),
        "url": base_url() + reverse("objective_detail", args=[kr.objective_id]),
    }
    found = [(events.VALUE_RECORDED, data)]
    day = timezone.localdate(entry.at)
    status_before = status_of(kr, before.get("current_value"), day)
    status_after = status_of(kr, after.get("current_value"), day)
    risk = events.risk_event(status_before, status_after)
    if risk:
        found.append((risk, data | {"status_before": status_before, "status_after": status_after}))
    return found


def checkin_data(checkin_id: int) -> dict[str, Any]:
    from okrflow.checkins.models import CheckIn

    checkin = CheckIn.objects.select_related("person", "cycle").filter(pk=checkin_id).first()
    if checkin is None:
        return {"checkin": {"id": checkin_id}}
    return {
        "checkin": {
            "id": checkin.pk,
            "person": checkin.person.full_name,
            "cycle": checkin.cycle.name,
            "week": checkin.week.isoformat(),
            "confidence": str(checkin.confidence) if checkin.confidence is not None else None,
            "obstacles": checkin.obstacles[:500],
        },
        "url": base_url() + reverse("checkins:team"),
    }


def entry_events(entry: AuditEntry) -> list[tuple[str, dict[str, Any]]]:
    """Return (event, data) for every event one audit row stands for."""
    kinds = events.events_of_change(entry.action, entry.object_type, entry.before, entry.after)
    if not kinds:
        return []
    if entry.object_type == "keyresult":
        return key_result_events(entry)
    data: dict[str, Any]
    if entry.object_type == "objective":
        objective = objective_data(entry.object_id)
        data = {
            "objective": objective,
            "changes": events.changed_fields(entry.before, entry.after),
            "url": objective.get("url"),
        }
        if entry.action in events.PROPOSAL_ACTIONS and entry.summary != objective.get("title"):
            data["comment"] = entry.summary
    elif entry.object_type == "checkin":
        data = checkin_data(entry.object_id)
    else:
        data = {"cycle": {"id": entry.object_id, "name": (entry.after or {}).get("name", "")}}
    return [(kind, data) for kind in kinds]


def envelope(event: str, entry_at: datetime.datetime, actor: str, data: dict[str, Any]) -> dict:
    return {"event": event, "occurred_at": entry_at.isoformat(), "actor": actor, "data": data}


@transaction.atomic
def dispatch_batch() -> int:
    """Write the deliveries of the next audit rows; return how many rows were read."""
    cursor, _ = DispatchCursor.objects.select_for_update().get_or_create(pk=1)
    subscriptions = list(Subscription.objects.filter(is_paused=False).select_related("owner"))
    if not subscriptions:
        return 0
    earliest = min(s.created_at for s in subscriptions)
    entries = list(
        AuditEntry.objects.filter(id__gt=cursor.last_audit_id, at__gte=earliest)
        .select_related("actor__person")
        .order_by("id")[:BATCH]
    )
    now = timezone.now()
    deliveries = []
    for entry in entries:
        wanted = [s for s in subscriptions if s.created_at <= entry.at]
        if not wanted:
            continue
        for event, data in entry_events(entry):
            payload = envelope(event, entry.at, actor_name(entry), data)
            deliveries += [
                Delivery(
                    subscription=subscription,
                    event=event,
                    source_key=f"audit:{entry.pk}:{event}",
                    payload=payload,
                    next_attempt_at=now,
                )
                for subscription in wanted
                if event in subscription.events
            ]
    Delivery.objects.bulk_create(deliveries, ignore_conflicts=True)
    settled = [entry.pk for entry in entries if entry.at <= now - SETTLING]
    if len(entries) == BATCH:
        settled = [entries[-1].pk]  # a full batch moves on, or the next batch reads it again
    if settled and max(settled) > cursor.last_audit_id:
        cursor.last_audit_id = max(settled)
        cursor.save(update_fields=["last_audit_id"])
    return len(entries) if len(entries) == BATCH else 0


def dispatch_events() -> None:
    """Write the deliveries of every audit row not yet handed out."""
    while dispatch_batch():
        pass
