"""The audit mark of a refresh never skips a change whose transaction was still open (PostgreSQL).

Ids come from a sequence at insert time and transactions commit in any order: a change holding
a lower id may commit after the refresh read a higher one. The next incremental refresh reads
only the ids above the mark, so the mark must not pass an id whose change the refresh could not
see (`snapshots.settled_audit_mark`).
"""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections, transaction
from django.test import override_settings

from okrflow.audit.models import AuditEntry
from okrflow.insights import snapshots
from okrflow.insights.models import InsightRefresh, ObjectiveSnapshot
from okrflow.insights.snapshots import refresh_cycle, settled_audit_mark
from okrflow.okrs.actions import record_key_result_value
from okrflow.okrs.models import KeyResult
from tests.conftest import World, build_world, make_objective

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def postgres_only() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("transactions committing out of id order need concurrent PostgreSQL writers")


def progress_of(world: World) -> dict[int, float]:
    return dict(
        ObjectiveSnapshot.objects.filter(cycle=world.cycle).values_list("objective_id", "progress")
    )


class OpenWriter(threading.Thread):
    """Record a value in a transaction that stays open until `release` is set."""

    def __init__(self, kr: KeyResult, value: str) -> None:
        super().__init__()
        self.kr, self.value = kr, value
        self.written, self.release = threading.Event(), threading.Event()
        self.error: Exception | None = None

    def run(self) -> None:
        try:
            with transaction.atomic():
                record_key_result_value(None, self.kr, value=self.value)
                self.written.set()
                self.release.wait(timeout=10)
        except Exception as error:
            self.error = error
        finally:
            self.written.set()
            connections.close_all()


def test_a_change_committing_after_a_newer_one_reaches_the_next_refresh(
    postgres_only: None,
) -> None:
    world = build_world()
    first, second = make_objective(world, world.member), make_objective(world, world.lead)
    refresh_cycle(world.cycle)
    writer = OpenWriter(first.key_results.get(), "90")  # takes the lower audit id, stays open
    writer.start()
    writer.written.wait(timeout=10)
    record_key_result_value(None, second.key_results.get(), value="85")  # a higher id, committed
    with override_settings(OKRFLOW_INSIGHTS_MARK_WAIT=0.2):
        during = refresh_cycle(world.cycle, incremental=True)
    writer.release.set()
    writer.join(timeout=10)
    assert writer.error is None
    after = refresh_cycle(world.cycle, incremental=True)
    incremental = progress_of(world)
    refresh_cycle(world.cycle)  # everything recomputed from scratch
    assert incremental == progress_of(world)
    assert incremental[first.pk] == pytest.approx(10 / 15)
    assert after.audit_mark == InsightRefresh.objects.get(cycle=world.cycle).audit_mark
    # The newest committed id was not a settled mark: the one before stayed.
    assert during.audit_mark is not None and after.audit_mark is not None
    assert during.audit_mark < after.audit_mark


def test_a_refresh_waits_for_a_short_open_writer_and_sees_its_change(postgres_only: None) -> None:
    world = build_world()
    first, second = make_objective(world, world.member), make_objective(world, world.lead)
    refresh_cycle(world.cycle)
    writer = OpenWriter(first.key_results.get(), "95")  # the lower id, committed in 0.3 s
    writer.start()
    writer.written.wait(timeout=10)
    record_key_result_value(None, second.key_results.get(), value="85")
    newest = AuditEntry.objects.order_by("-id").values_list("id", flat=True)[0]
    threading.Timer(0.3, writer.release.set).start()
    refreshed = refresh_cycle(world.cycle, incremental=True)
    writer.join(timeout=10)
    assert writer.error is None
    assert refreshed.audit_mark == newest
    assert progress_of(world)[first.pk] == pytest.approx(1.0)


def test_without_open_writers_the_mark_is_the_newest_id(db: None) -> None:
    world = build_world()
    make_objective(world, world.member)
    assert (
        settled_audit_mark() == AuditEntry.objects.order_by("-id").values_list("id", flat=True)[0]
    )


def test_a_refresh_while_a_page_loads_does_not_wait_for_an_open_writer(
    postgres_only: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    world = build_world()
    first, second = make_objective(world, world.member), make_objective(world, world.lead)
    before = refresh_cycle(world.cycle)
    writer = OpenWriter(first.key_results.get(), "90")  # a long writer (an import, say)
    writer.start()
    writer.written.wait(timeout=10)
    record_key_result_value(None, second.key_results.get(), value="85")  # the cycle is stale

    def no_waiting(_seconds: float) -> None:
        raise AssertionError("a page's refresh waited for another writer")

    monkeypatch.setattr(snapshots.time, "sleep", no_waiting)
    try:
        during = snapshots.stored_insights(world.cycle)  # what a page calls
        assert during is not None
    finally:
        monkeypatch.undo()
        writer.release.set()
        writer.join(timeout=10)
    assert writer.error is None
    # Computed at once, with the stored mark kept: the next refresh reads from there.
    assert during.audit_mark == before.audit_mark
    assert progress_of(world)[second.pk] == pytest.approx(5 / 15)
    after = refresh_cycle(world.cycle, incremental=True)
    assert after.audit_mark is not None and after.audit_mark > before.audit_mark  # type: ignore[operator]
    assert progress_of(world)[first.pk] == pytest.approx(10 / 15)
