"""The live update keeps only the ids audited changes name, and asks once per transaction."""

from __future__ import annotations

import gc
import weakref
from typing import Any

from django.db import transaction

from okrflow.audit.models import AuditEntry
from okrflow.insights import live_updates
from okrflow.insights.live_updates import (
    Changes,
    objectives_touched,
    people_and_recount,
    refresh_pending,
    rolled_back_entries,
)
from okrflow.insights.models import ObjectiveSnapshot
from okrflow.insights.snapshots import refresh_cycle
from okrflow.insights.standings import people_of_entries
from okrflow.okrs.actions import align_objective, update_key_result, update_objective
from tests.conftest import World
from tests.insights.conftest import check_in, objective_with, record_weekly, rolled_up_org


def edits(world: World) -> None:
    """Objectives, key results, values, a check-in, an alignment and edits that move owners."""
    company, _ = objective_with(
        world, world.company, "Lead", [{"title": "Share", "start_value": 0, "target_value": 5}]
    )
    team, (kr,) = objective_with(
        world, world.marketing, "Grow", [{"title": "Visits", "start_value": 0, "target_value": 100}]
    )
    other, (moved,) = objective_with(
        world, world.lead, "Hire", [{"title": "Hires", "start_value": 0, "target_value": 4}]
    )
    align_objective(None, team, company)
    record_weekly(kr, [10, 20])
    check_in(world, world.member, 1, {kr: (30, "high", "")})
    update_objective(None, other, owner=world.sales)
    update_key_result(None, moved, owner=world.teammate)


def test_the_ids_kept_find_what_the_audit_rows_find(world: World, today) -> None:  # type: ignore[no-untyped-def]
    edits(world)
    entries = list(AuditEntry.objects.order_by("id"))
    changes = Changes.of(entries)
    assert changes.ids["checkin"] and changes.ids["alignment"] and changes.named["owner_unit"]
    assert objectives_touched(changes) == objectives_touched(entries)
    assert objectives_touched(changes) >= {o for o in changes.ids["objective"]}
    people, _recount = people_and_recount(changes)
    assert people == people_of_entries(entries)
    assert {world.member.pk, world.lead.pk, world.teammate.pk, world.sales_head.pk} <= people
    assert Changes.from_json(changes.to_json()) == changes
    assert not Changes() and Changes.of(entries[:1])


def test_no_audit_row_is_kept_alive_while_the_transaction_runs(world: World) -> None:
    entry = AuditEntry.objects.create(
        action="update_objective", object_type="objective", object_id=12, after={"owner": 7}
    )
    alive = weakref.ref(entry)
    del entry
    gc.collect()
    assert alive() is None  # only its ids wait for the commit
    waiting = live_updates.pending()
    assert waiting.ids["objective"] == {12} and waiting.named["owner"] == {7}


def test_one_callback_per_transaction_and_again_after_a_savepoint_rolls_back(
    world: World, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    def row(pk: int) -> None:
        AuditEntry.objects.create(action="update_objective", object_type="objective", object_id=pk)

    refresh_pending()
    with django_capture_on_commit_callbacks() as callbacks, transaction.atomic():
        for pk in range(1, 500):
            row(pk)
        try:
            with transaction.atomic():
                row(1000)  # the savepoint's rollback drops every callback added since ...
                raise ValueError
        except ValueError:
            pass
        row(1001)  # ... so the next row asks again
    assert callbacks.count(refresh_pending) == 2
    assert {1, 499, 1000, 1001} <= live_updates.pending().ids["objective"]
    refresh_pending()
    assert not live_updates.pending()


def test_a_rehearsal_leaves_nothing_waiting(world: World) -> None:
    refresh_pending()
    try:
        with rolled_back_entries(), transaction.atomic():
            AuditEntry.objects.create(action="x", object_type="objective", object_id=5)
            raise ValueError
    except ValueError:
        pass
    assert not live_updates.pending()


def test_the_queued_task_updates_the_stored_insights_from_the_ids(
    world: World, today, settings, committed
) -> None:  # type: ignore[no-untyped-def]
    from okrflow.insights.tasks import refresh_touched_changes
    from tests.insights.test_snapshots import two_teams

    settings.OKRFLOW_INSIGHTS_LIVE_LIMIT = 1
    with committed():
        okrs = two_teams(world)
    refresh_cycle(world.cycle)
    mark = AuditEntry.objects.order_by("-id").first().pk
    record_weekly(okrs["visits"], [90], first_week=8)
    changes = Changes.of(AuditEntry.objects.filter(pk__gt=mark))
    live_updates.forget_pending()
    assert ObjectiveSnapshot.objects.get(objective=okrs["marketing"]).progress != 0.9
    refresh_touched_changes(changes.to_json())  # what the worker runs, in this process
    assert float(ObjectiveSnapshot.objects.get(objective=okrs["marketing"]).progress) == 0.9


def test_the_live_update_where_children_count_in_progress_stores_what_a_full_refresh_does(
    db, today, settings, committed
) -> None:  # type: ignore[no-untyped-def]
    """A parent's progress rolls up from every objective aligned below it: the live update
    recomputes the touched objective and every one above it, each from its children's stored
    figures, and stores what a full refresh does; the other objectives' rows stay as they
    were (not rewritten: the same row ids)."""
    from decimal import Decimal

    from okrflow.insights.live_updates import with_ancestors
    from okrflow.insights.models import InsightTotal
    from okrflow.okrs.actions import record_key_result_value
    from okrflow.okrs.models import Alignment

    settings.OKRFLOW_INSIGHTS_LIVE_LIMIT = 1  # a large cycle: updated live, not on page load
    _summary, cycle, kr, parent = rolled_up_org(today)
    assert Alignment.objects.filter(parent_id=parent).count() > 1  # siblings not touched

    def stored() -> tuple[dict[int, tuple[float, str]], dict[tuple[int | None, int], Any]]:
        objectives = {
            row.objective_id: (round(row.progress, 9), row.status)
            for row in ObjectiveSnapshot.objects.filter(cycle=cycle)
        }
        sums = {
            (row.unit_id, row.bucket): {
                name: round(value, 6) for name, value in row.figures.items()
            }
            for row in InsightTotal.objects.filter(cycle=cycle)
            if row.figures
        }
        return objectives, sums

    rows = dict(ObjectiveSnapshot.objects.values_list("objective_id", "pk"))
    with committed():
        record_key_result_value(None, kr, value=Decimal("9"), measured_on=today)
    live = stored()
    kept = {
        objective
        for objective, pk in ObjectiveSnapshot.objects.values_list("objective_id", "pk")
        if rows[objective] == pk
    }
    assert set(rows) - kept == with_ancestors({kr.objective_id})
    refresh_cycle(cycle)  # from scratch
    assert live == stored()


def test_rows_written_together_are_heard_at_once_as_one_by_one(
    world: World, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    """A bulk write (`record_changes`) tells the live update and the webhooks once, with all its
    rows: the live update notes what it notes of the same rows saved one by one, and each asks
    for one callback; no row sends its own `post_save`."""
    from django.db.models.signals import post_save

    from okrflow.audit.log import audit_entry, record_changes
    from okrflow.webhooks.dispatch import kick_dispatch

    objective, (kr,) = objective_with(
        world, world.marketing, "Bulk", [{"title": "KR", "start_value": 0, "target_value": 9}]
    )

    def rows() -> list[AuditEntry]:
        return [
            audit_entry(
                actor=None,
                action="record_key_result_value",
                instance=kr,
                before={"current_value": None},
                after={"current_value": "4", "measured_on": "2026-05-13"},
            ),
            audit_entry(
                actor=None,
                action="update_objective",
                instance=objective,
                before={"owner": world.lead.pk},
                after={"owner": world.member.pk, "unit": world.sales.pk},
            ),
        ]

    refresh_pending()
    for entry in rows():
        entry.save(force_insert=True)
    expected = live_updates.pending().to_json()
    refresh_pending()
    saves: list[Any] = []

    def heard(sender: Any, **kwargs: Any) -> None:
        saves.append(kwargs["instance"])

    post_save.connect(heard, sender=AuditEntry, dispatch_uid="test_heard")
    try:
        with django_capture_on_commit_callbacks() as callbacks, transaction.atomic():
            written = record_changes(rows())
            noted = live_updates.pending().to_json()
            waiting = [callback for _, callback, _ in transaction.get_connection().run_on_commit]
    finally:
        post_save.disconnect(sender=AuditEntry, dispatch_uid="test_heard")
    assert saves == [] and all(entry.pk for entry in written)
    assert noted == expected
    assert expected["ids"] == {"keyresult": [kr.pk], "objective": [objective.pk]}
    assert expected["valued"] == [kr.pk]
    assert callbacks.count(refresh_pending) == 1
    assert waiting.count(kick_dispatch) == 1  # the webhooks' ask, once for the whole test


def test_switched_off_the_live_update_hears_no_audit_row(world: World) -> None:
    """`listen(on=False)` (the benchmarks' write path alone) stops both ways rows arrive."""
    from okrflow.audit.log import audit_entry, record_changes
    from okrflow.insights.live_updates import listen

    objective, _ = objective_with(world, world.marketing, "Heard", [])

    def both() -> None:
        AuditEntry.objects.create(action="update_objective", object_type="objective", object_id=3)
        record_changes(
            [
                audit_entry(
                    actor=None, action="update_objective", instance=objective, before={}, after={}
                )
            ]
        )

    refresh_pending()
    listen(on=False)
    try:
        both()
        assert not live_updates.pending()
    finally:
        listen()
    both()
    assert live_updates.pending().ids["objective"] == {3, objective.pk}
