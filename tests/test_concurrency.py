"""Concurrent writers on real PostgreSQL connections: nobody's change is silently lost."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from okrflow.okrs.actions import record_key_result_value, update_objective
from okrflow.okrs.models import KeyResultValue, Objective
from tests.conftest import build_world, make_objective

pytestmark = pytest.mark.django_db(transaction=True)


def run_together(*calls: Callable[[], object]) -> list[object]:
    """Start the calls at the same moment, each on its own database connection."""
    barrier = threading.Barrier(len(calls))
    results: list[object] = [None] * len(calls)

    def worker(index: int, call: Callable[[], object]) -> None:
        try:
            barrier.wait(timeout=10)
            results[index] = call()
        except Exception as error:
            results[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


@pytest.fixture
def postgres_only() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("real concurrent writers need PostgreSQL (CI runs the suite on it too)")


def test_two_edits_from_the_same_version_one_wins_one_is_told(postgres_only: None) -> None:
    world = build_world()
    objective = make_objective(world, world.member)
    results = run_together(
        lambda: update_objective(
            world.member.user,
            Objective.objects.get(pk=objective.pk),
            expected_version=1,
            title="Member's title",
        ),
        lambda: update_objective(
            world.lead.user,
            Objective.objects.get(pk=objective.pk),
            expected_version=1,
            title="Lead's title",
        ),
    )
    errors = [r for r in results if isinstance(r, ValidationError)]
    assert len(errors) == 1, results
    objective.refresh_from_db()
    assert objective.version == 2
    assert objective.title in ("Member's title", "Lead's title")


def test_two_values_at_the_same_moment_are_both_kept(postgres_only: None) -> None:
    world = build_world()
    kr = make_objective(world, world.member).key_results.get()
    results = run_together(
        lambda: record_key_result_value(world.member.user, kr, value="85"),
        lambda: record_key_result_value(world.lead.user, kr, value="86"),
    )
    assert not [r for r in results if isinstance(r, Exception)], results
    assert sorted(KeyResultValue.objects.filter(key_result=kr).values_list("value", flat=True)) == [
        85,
        86,
    ]


def test_two_refreshes_of_stored_insights_queue_instead_of_colliding(postgres_only: None) -> None:
    from okrflow.insights.models import InsightRefresh, ObjectiveSnapshot
    from okrflow.insights.snapshots import refresh_cycle

    world = build_world()
    objectives = [make_objective(world, world.member) for _ in range(3)]
    results = run_together(
        lambda: refresh_cycle(world.cycle),
        lambda: refresh_cycle(world.cycle),
    )
    assert not [r for r in results if isinstance(r, Exception)], results
    assert InsightRefresh.objects.filter(cycle=world.cycle).count() == 1
    stored = sorted(ObjectiveSnapshot.objects.values_list("objective_id", flat=True))
    assert stored == sorted(objective.pk for objective in objectives)


def test_a_live_update_does_not_wait_for_a_full_refresh_rewriting_the_cycle(
    postgres_only: None,
) -> None:
    from django.db import transaction

    from okrflow.insights.models import InsightRefresh
    from okrflow.insights.snapshots import refresh_cycle, refresh_objectives

    world = build_world()
    objective = make_objective(world, world.member)
    refresh_cycle(world.cycle)
    locked, updated = threading.Event(), threading.Event()
    order: list[str] = []

    def full_refresh_writing() -> None:
        with transaction.atomic():
            InsightRefresh.objects.select_for_update().get(cycle=world.cycle)
            locked.set()
            updated.wait(timeout=10)  # holds the row until the live update is over
            order.append("full refresh done")

    def live_update() -> None:
        locked.wait(timeout=10)
        refresh_objectives(world.cycle, {objective.pk})
        order.append("live update done")
        updated.set()

    results = run_together(full_refresh_writing, live_update)
    assert not [r for r in results if isinstance(r, Exception)], results
    assert order == ["live update done", "full refresh done"]


def test_two_submissions_of_one_week_at_once_make_one_check_in(postgres_only: None) -> None:
    """The member and their lead submit the member's week at the same moment: the week's entry
    is inserted once (the other insert skipped, no aborted transaction), one submission wins,
    the other is told it is already submitted; one value per key result."""
    from okrflow.checkins.actions import record_checkin
    from okrflow.checkins.models import CheckIn
    from tests.checkins.conftest import WEEK, checkin_data

    world = build_world()
    kr = make_objective(world, world.member).key_results.get()

    def submit(user: object, value: str) -> object:
        return record_checkin(
            user,
            person=world.member,
            cycle=world.cycle,
            week=WEEK,
            data=checkin_data([kr], [value]),
        )

    results = run_together(
        lambda: submit(world.member.user, "40"), lambda: submit(world.lead.user, "41")
    )
    assert len([r for r in results if isinstance(r, CheckIn)]) == 1, results
    assert len([r for r in results if isinstance(r, ValidationError)]) == 1, results
    assert CheckIn.objects.filter(person=world.member, week=WEEK).count() == 1
    assert KeyResultValue.objects.filter(key_result=kr, source="checkin").count() == 1
