"""Concurrent check-ins on PostgreSQL, with real separate connections: nothing is lost."""

from __future__ import annotations

import datetime
import threading
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import connection, connections

from okrflow.audit.models import AuditEntry
from okrflow.checkins.actions import record_checkin
from okrflow.checkins.models import CheckIn, CheckInState
from okrflow.okrs.actions import create_key_result, create_objective
from okrflow.okrs.actions.sharing import add_co_owner
from okrflow.okrs.models import KeyResultValue
from tests.checkins.conftest import WEDNESDAY, WEEK, checkin_data
from tests.conftest import build_world, make_objective

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def postgresql_only() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite serialises writers, so nothing runs at once")


def run_together(*jobs: Callable[[], Any]) -> list[Any]:
    """Run the jobs in threads with their own connections, released at the same moment."""
    barrier = threading.Barrier(len(jobs))
    results: list[Any] = [None] * len(jobs)

    def worker(index: int, job: Callable[[], Any]) -> None:
        try:
            barrier.wait(timeout=10)
            results[index] = job()
        except Exception as error:
            results[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i, job)) for i, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


def test_two_people_submitting_on_one_key_result_are_both_kept() -> None:
    with time_machine.travel(WEDNESDAY, tick=True):
        world = build_world()
        # A department objective: the lead checks in on it, and so does the KR's owner.
        department = make_objective(world, world.marketing, "Own the SEO")
        kr = department.key_results.get()
        kr.owner = world.member
        kr.save()

        def submit(person: Any, value: str) -> Any:
            return lambda: record_checkin(
                person.user,
                person=person,
                cycle=world.cycle,
                week=WEEK,
                data=checkin_data([kr], [value]),
            )

        results = run_together(submit(world.member, "83"), submit(world.lead, "84"))
    assert all(isinstance(result, CheckIn) for result in results), results
    values = list(kr.values.filter(source=KeyResultValue.Source.CHECKIN).order_by("id"))
    assert sorted(v.value for v in values) == [Decimal("83"), Decimal("84")]
    kr.refresh_from_db()
    assert kr.current_value == values[-1].value
    assert CheckIn.objects.filter(state=CheckInState.SUBMITTED).count() == 2


def test_the_same_check_in_submitted_twice_at_once_is_kept_once() -> None:
    with time_machine.travel(WEDNESDAY, tick=True):
        world = build_world()
        objective = make_objective(world, world.member, "Know our customers")
        kr = objective.key_results.get()

        def submit(actor: Any, value: str) -> Callable[[], Any]:
            return lambda: record_checkin(
                actor.user,
                person=world.member,
                cycle=world.cycle,
                week=WEEK,
                data=checkin_data([kr], [value]),
            )

        results = run_together(submit(world.member, "85"), submit(world.lead, "86"))
    saved = [r for r in results if isinstance(r, CheckIn)]
    refused = [r for r in results if isinstance(r, ValidationError)]
    assert len(saved) == 1 and len(refused) == 1, results
    assert CheckIn.objects.count() == 1
    assert kr.values.filter(source=KeyResultValue.Source.CHECKIN).count() == 1


def test_people_sharing_key_results_check_in_at_once_and_none_waits_forever() -> None:
    """Four check-ins on the same three key results at once: each locks them in one order."""
    with time_machine.travel(WEDNESDAY, tick=True):
        world = build_world()
        department = create_objective(
            None, cycle=world.cycle, title="Own the SEO", owner=world.marketing
        ).value
        krs = [
            create_key_result(
                None, department, title=f"Rank {n}", owner=owner, start_value=0, target_value=9
            ).value
            for n, owner in enumerate((world.member, world.teammate, world.lead))
        ]
        for person in (world.member, world.teammate, world.ceo):
            add_co_owner(None, person=person, objective=department)
        people = [world.lead, world.member, world.teammate, world.ceo]

        def submit(person: Any, week: Any) -> Callable[[], Any]:
            values = [str(people.index(person) + n) for n in range(3)]
            return lambda: record_checkin(
                person.user,
                person=person,
                cycle=world.cycle,
                week=week,
                data=checkin_data(krs, values),
            )

        weeks = [WEEK - datetime.timedelta(weeks=n) for n in range(6)]
        for week in weeks:
            results = run_together(*(submit(person, week) for person in people))
            assert all(isinstance(result, CheckIn) for result in results), results
    assert CheckIn.objects.filter(state=CheckInState.SUBMITTED).count() == 4 * len(weeks)
    for kr in krs:
        assert kr.values.filter(source=KeyResultValue.Source.CHECKIN).count() == 4 * len(weeks)
        kr.refresh_from_db()  # no lost update: the newest measured value, the later on a tie
        assert kr.current_value == kr.values.order_by("-measured_on", "-id").first().value
    assert AuditEntry.objects.filter(action="record_key_result_value").count() == 12 * len(weeks)
