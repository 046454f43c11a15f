"""Record several key results' values in one go (a check-in): bulk rows, one audit row each.

`record_key_result_value` records one value; a weekly check-in records one per key result. Done
one by one that costs five statements a key result and locks them in the check-in's order, so two
people checking in on shared key results could each wait for the other. Here the key results are
locked in one statement in id order (the one lock order of every multi-key-result write), the
values, the new current values and the audit rows are each written in one statement.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connections, models, router, transaction
from django.db.models import OuterRef, QuerySet, Subquery
from django.db.models.signals import pre_save
from django.utils import timezone
from django.utils.translation import gettext as _

from okrflow.action_support import deny, to_decimal
from okrflow.audit.log import audit_entry, record_changes, snapshot
from okrflow.audit.models import AuditEntry
from okrflow.library.bulk_insert import insert
from okrflow.okrs.actions.common import require_open_cycle
from okrflow.okrs.models import KeyResult, KeyResultValue, ObjectiveState, Shape
from okrflow.org.access import access_for


@dataclass(frozen=True)
class NewValue:
    """One value to append to a key result's history."""

    key_result: KeyResult
    value: Any
    measured_on: datetime.date
    note: str = ""


def lock_key_results(ids: Sequence[int], *, live_only: bool = False) -> dict[int, KeyResult]:
    """Lock the key results for this transaction in id order (one statement) and return them.

    FOR NO KEY UPDATE: rows that only point at a key result (values, check-in lines) may still
    be inserted meanwhile; another writer of the same key result's value waits. Each comes with
    its newest value so far (`newest_on`, `newest_value`: None without one), read under the lock,
    and its objective's owners and cycle (the rights and the cycle's state, read fresh).
    `live_only` leaves out archived key results and those of archived objectives.
    """
    rows = key_results_with_newest(ids, live_only=live_only, lock=True)
    return {kr.pk: kr for kr in (of_live_objectives(rows) if live_only else rows)}


def key_results_with_newest(
    ids: Sequence[int], *, live_only: bool = False, lock: bool = False
) -> QuerySet[KeyResult]:
    """The key results `ids` in id order, each with its newest value (see `lock_key_results`).

    `live_only` leaves out archived key results; those of archived objectives are left out by
    `of_live_objectives` when the rows are read, not here: in SQL the objective's state would
    be a parameter of a prepared statement, and PostgreSQL's generic plan for
    `NOT state = $1`, when every objective has the same state (a new organisation: all
    active), expects no row to pass, and scans every objective of the database instead of
    looking the few key results up by id (8 ms against 0.3 ms at 1,000 people)."""
    newest = newest_value_rows()
    rows = KeyResult.objects.all()
    if lock:
        rows = rows.select_for_update(of=("self",), no_key=True)
    if live_only:
        rows = rows.filter(is_archived=False)
    return (
        rows.select_related(
            "objective__cycle",
            "objective__owner_person",
            "objective__owner_unit",
            "objective__owner_project",
        )
        .annotate(
            newest_on=Subquery(newest.values("measured_on")[:1]),
            newest_value=Subquery(newest.values("value")[:1]),
        )
        .filter(pk__in=ids)
        .order_by("pk")
    )


def of_live_objectives(key_results: Iterable[KeyResult]) -> list[KeyResult]:
    """Leave out the key results whose objective is archived (read with them)."""
    return [kr for kr in key_results if kr.objective.state != ObjectiveState.ARCHIVED]


def newest_value_rows() -> QuerySet[KeyResultValue]:
    """A key result's values (the outer query's), newest by measured date, the later recorded
    on a tie: the first is its current value."""
    return KeyResultValue.objects.filter(key_result=OuterRef("pk")).order_by("-measured_on", "-id")


_newest_updates: dict[tuple[str, int], str] = {}
KEPT_UPDATES = 100


def set_newest_current_values(ids: Sequence[int], now: datetime.datetime) -> None:
    """Set each key result's current value to its newest value (`newest_value_rows`' first),
    and its `updated_at` to `now`: what

        KeyResult.objects.filter(pk__in=ids).update(
            current_value=Subquery(newest_value_rows().values("value")[:1]), updated_at=now)

    does (tested equal), as one plain statement built once per database and number of ids
    (compiling that queryset took more of a check-in's CPU than the database's work)."""
    using = router.db_for_write(KeyResult)
    connection = connections[using]
    key = (using, len(ids))
    sql = _newest_updates.get(key)
    if sql is None:  # kept for up to KEPT_UPDATES key results (a check-in's few)
        name = connection.ops.quote_name
        krs, values = name(KeyResult._meta.db_table), name(KeyResultValue._meta.db_table)

        def column(model: type[models.Model], field: str) -> str:
            found = next(f for f in model._meta.concrete_fields if f.name == field)
            return name(str(found.column))

        def kr(field: str) -> str:
            return f"{krs}.{column(KeyResult, field)}"

        def value(field: str) -> str:
            return f"v.{column(KeyResultValue, field)}"

        sql = (
            f"UPDATE {krs} SET {column(KeyResult, 'current_value')} = ("
            f"SELECT {value('value')} FROM {values} v"
            f" WHERE {value('key_result')} = {kr('id')}"
            f" ORDER BY {value('measured_on')} DESC, {value('id')} DESC LIMIT 1"
            f"), {column(KeyResult, 'updated_at')} = %s"
            f" WHERE {kr('id')} IN ({', '.join(['%s'] * len(ids))})"
        )
        if len(ids) <= KEPT_UPDATES:
            _newest_updates[key] = sql
    with connection.cursor() as cursor:
        cursor.execute(sql, [connection.ops.adapt_datetimefield_value(now), *ids])


def checked_number(kr: KeyResult, value: Any) -> Decimal:
    """Return the value as a number that fits the key result's shape, or raise a field error."""
    number = to_decimal(
        value, "value", required=True, column=KeyResultValue._meta.get_field("value")
    )
    assert number is not None
    if kr.shape == Shape.MILESTONE and number not in (Decimal(0), Decimal(1)):
        raise ValidationError({"value": _("A milestone is either done (1) or not done (0).")})
    if kr.shape == Shape.RECURRING and (number < 0 or number != number.to_integral_value()):
        raise ValidationError({"value": _("Count the times as a whole number, 0 or more.")})
    return number


def current_after(kr: KeyResult, row: KeyResultValue) -> Decimal | None:
    """Return the key result's current value once `row` is appended: `row`'s value, unless a
    value measured later is already there (a tie goes to `row`, recorded last)."""
    newest_on: datetime.date | None = getattr(kr, "newest_on", None)
    if newest_on is not None and row.measured_on < newest_on:
        return getattr(kr, "newest_value", None)
    places = KeyResultValue._meta.get_field("value").decimal_places  # as the database gives it
    return Decimal(row.value).quantize(Decimal(1).scaleb(-(places or 0)))


def record_key_result_values(
    actor: Any,
    values: Sequence[NewValue],
    *,
    source: str,
    audit: list[AuditEntry] | None = None,
    locked: dict[int, KeyResult] | None = None,
) -> list[KeyResultValue]:
    """Append a value to each key result's history, as `record_key_result_value` does for one.

    Each key result appears once. The same checks (rights, open cycle, shape), the same
    current value (the newest by measured date) and one `record_key_result_value` audit row per
    value; the returned rows are in the order of `values`. With `audit`, the audit rows are
    appended to it unsaved, for the caller to write with its own in one statement
    (`record_changes`) before its transaction ends. `locked`: the key results as the caller
    already locked them in this transaction (`lock_key_results`), not read again.
    """
    if not values:
        return []
    if transaction.get_connection().in_atomic_block:
        # Inside the caller's transaction (a check-in): no savepoint of its own, two statements
        # fewer. Every refusal is raised before the first write, so the caller may still catch it.
        return write_values(actor, values, source=source, audit=audit, locked=locked)
    with transaction.atomic():
        return write_values(actor, values, source=source, audit=audit, locked=locked)


def write_values(
    actor: Any,
    values: Sequence[NewValue],
    *,
    source: str,
    audit: list[AuditEntry] | None = None,
    locked: dict[int, KeyResult] | None = None,
) -> list[KeyResultValue]:
    """Lock, check, then write (see `record_key_result_values`); runs in a transaction."""
    ids = sorted({item.key_result.pk for item in values})
    if len(ids) != len(values):
        raise ValueError("each key result may receive one value per call")
    if locked is None:
        locked = lock_key_results(ids)
    elif not set(ids) <= set(locked):
        raise ValueError("every key result must be locked by the caller")
    access = access_for(actor) if actor is not None else None
    recorded_by = actor if getattr(actor, "is_authenticated", False) else None
    rows = []
    for item in values:
        kr = locked.get(item.key_result.pk)
        if kr is None:
            raise ValidationError(_("One of these key results no longer exists. Reload the page."))
        if access is not None and not access.can_update_key_result(kr):
            raise deny(_("You cannot update this key result."))
        require_open_cycle(kr.objective.cycle)
        rows.append(
            KeyResultValue(
                key_result=kr,
                value=checked_number(kr, item.value),
                measured_on=item.measured_on,
                recorded_by=recorded_by,
                source=source,
                note=(item.note or "").strip(),
            )
        )
    using = router.db_for_write(KeyResultValue)
    for row in rows:  # what a save would send: the note is cleaned like any stored text
        pre_save.send(
            sender=KeyResultValue, instance=row, raw=False, using=using, update_fields=None
        )
    created = insert(KeyResultValue, rows)  # bulk_create's rows, at a fraction of its work
    before = {pk: snapshot(kr, ["current_value"]) for pk, kr in locked.items()}
    now = timezone.now()
    for row in created:
        kr = locked[row.key_result_id]
        kr.current_value = current_after(kr, row)
        kr.updated_at = now
    # The database takes the newest value itself (one statement, whatever the number of key
    # results); `current_after` is the same rule, for the audit rows and the caller.
    set_newest_current_values(ids, now)
    entries = [
        audit_entry(
            actor=actor,
            action="record_key_result_value",
            instance=locked[row.key_result_id],
            before=before[row.key_result_id],
            after=snapshot(locked[row.key_result_id], ["current_value"])
            | {"measured_on": row.measured_on.isoformat()},
        )
        for row in created
    ]
    if audit is None:
        record_changes(entries)
    else:
        audit.extend(entries)
    return created
