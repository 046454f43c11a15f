"""The check-in's plain writes equal what Django's own would write: the key results' newest
current values (`set_newest_current_values`, one plain UPDATE) and the audit rows
(`record_changes` through `library.bulk_insert.insert` instead of `bulk_create`)."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.db.models import Subquery
from django.db.models.signals import pre_save
from django.utils import timezone

from okrflow.audit.log import audit_entry, record_changes
from okrflow.audit.models import AuditEntry
from okrflow.okrs.actions import create_key_result, create_objective
from okrflow.okrs.actions.values import (
    NewValue,
    newest_value_rows,
    record_key_result_values,
    set_newest_current_values,
)
from okrflow.okrs.models import KeyResult, KeyResultValue
from tests.conftest import World

DAY = datetime.date(2026, 5, 4)


def key_results_with_histories(world: World) -> list[KeyResult]:
    """Key results with no value, one value, a late value older than the newest, and two
    values measured the same day (the later recorded wins)."""
    objective = create_objective(None, cycle=world.cycle, title="Plain writes", owner=world.member)
    krs = [
        create_key_result(
            None,
            objective.value,
            title=f"KR {n}",
            owner=world.member,
            start_value=0,
            target_value=100,
        ).value
        for n in range(5)
    ]
    histories = [
        [],
        [("7", DAY)],
        [("30", DAY), ("10", DAY - datetime.timedelta(days=7))],
        [("40", DAY), ("41.5", DAY)],
        [("5", DAY - datetime.timedelta(days=3)), ("6", DAY), ("2", DAY)],
    ]
    for kr, history in zip(krs, histories, strict=True):
        for value, day in history:
            record_key_result_values(
                None, [NewValue(kr, value, measured_on=day)], source=KeyResultValue.Source.MANUAL
            )
    return krs


def stored(ids: list[int]) -> dict[int, tuple[Any, Any]]:
    rows = KeyResult.objects.filter(pk__in=ids).values_list("pk", "current_value", "updated_at")
    return {pk: (value, updated) for pk, value, updated in rows}


def test_the_plain_update_sets_what_the_queryset_update_sets(world: World) -> None:
    krs = key_results_with_histories(world)
    ids = [kr.pk for kr in krs]
    started = timezone.now()
    first = started + datetime.timedelta(hours=1)
    KeyResult.objects.filter(pk__in=ids).update(
        current_value=Subquery(newest_value_rows().values("value")[:1]), updated_at=first
    )
    expected = stored(ids)
    assert [expected[pk][0] for pk in ids] == [
        None,
        Decimal(7),
        Decimal(30),
        Decimal("41.5"),
        Decimal(2),
    ]
    KeyResult.objects.filter(pk__in=ids).update(current_value=Decimal(999), updated_at=started)
    set_newest_current_values(ids, first)
    assert stored(ids) == expected
    # Only the key results named: another keeps its own.
    KeyResult.objects.filter(pk=ids[1]).update(current_value=Decimal(999))
    set_newest_current_values([ids[2], ids[3]], first)
    assert stored([ids[1]])[ids[1]][0] == Decimal(999)


def entries(world: World, kr: KeyResult) -> list[AuditEntry]:
    """Audit rows as a check-in builds them, and harder ones: no actor, nothing before, text
    that the stored-text cleaning changes, a long summary, nested JSON."""
    return [
        audit_entry(
            actor=world.member.user,
            action="record_key_result_value",
            instance=kr,
            before={"current_value": None},
            after={"current_value": "42", "measured_on": "2026-05-13"},
        ),
        audit_entry(
            actor=None,
            action="submit_checkin",
            instance=kr.objective,
            before=None,
            after={"lines": [{"key_result": kr.pk, "value": "1.5000", "confidence": None}]},
            summary="Tr\u1ea7n V\u0103n A\x00 2026-05-11 " + "x" * 400,
        ),
        audit_entry(
            actor=world.lead.user,
            action="save_checkin_draft",
            instance=kr,
            before={"progress": "a\x07b", "nested": {"list": [1, 2.5, True, None]}},
            after=None,
        ),
    ]


def columns(entry: AuditEntry) -> tuple[Any, ...]:
    return (
        entry.actor_id,
        entry.action,
        entry.object_type,
        entry.object_id,
        entry.summary,
        entry.before,
        entry.after,
    )


def test_the_audit_rows_are_those_bulk_create_writes(world: World) -> None:
    kr = key_results_with_histories(world)[1]
    started = timezone.now()
    new = record_changes(entries(world, kr))
    # The former path: each row's pre_save (the stored text cleaned), then bulk_create.
    old = entries(world, kr)
    for entry in old:
        pre_save.send(sender=AuditEntry, instance=entry, raw=False, using="default")
    old = AuditEntry.objects.bulk_create(old)
    assert all(entry.pk is not None and not entry._state.adding for entry in new)
    assert [columns(entry) for entry in new] == [columns(entry) for entry in old]
    # And as the database gives them back.
    read = AuditEntry.objects.in_bulk([entry.pk for entry in [*new, *old]])
    assert [columns(read[e.pk]) for e in new] == [columns(read[e.pk]) for e in old]
    assert "\x00" not in read[new[1].pk].summary and len(read[new[1].pk].summary) == 299
    for entry in new:
        assert started <= read[entry.pk].at == entry.at
