"""A refresh computed by worker processes stores what the serial one does, on both databases.

The workers read the refresh's snapshot (PostgreSQL) or the last commit (SQLite, whose write lock
the refresh holds) through their own connections, so the organisation must be committed: these
tests run outside a test transaction (SQLite's test database is a file).
"""

from __future__ import annotations

import io
import multiprocessing
import os
from types import SimpleNamespace
from typing import Any

import pytest
from django.db import connection, models
from django.test.utils import CaptureQueriesContext

from okrflow.cycles.models import Cycle
from okrflow.insights import snapshots, standings, totals
from okrflow.insights.models import (
    CheckinStanding,
    HeatSnapshot,
    InsightTotal,
    ObjectiveSnapshot,
    RiskSnapshot,
)
from okrflow.insights.snapshots import refresh_cycle
from okrflow.okrs.models import FROM_TO_SHAPES, KeyResult
from okrflow.org.models import Organisation, Person
from tests.insights.conftest import check_in

pytestmark = pytest.mark.django_db(transaction=True)

STORED = (ObjectiveSnapshot, HeatSnapshot, RiskSnapshot, InsightTotal, CheckinStanding)


def synthetic_cycle(today: Any) -> Cycle:
    """A 40-person synthetic organisation, a few of whom checked in on three weeks."""
    from okrflow.demo.synth import build_synthetic_org

    cycle = build_synthetic_org(40, today).cycle
    for person in Person.objects.order_by("pk")[:4]:
        krs = list(
            KeyResult.objects.filter(
                owner=person, objective__cycle=cycle, shape__in=FROM_TO_SHAPES
            ).order_by("pk")
        )
        if not krs:
            continue
        for week in (1, 2, 4):
            check_in(
                SimpleNamespace(cycle=cycle),  # type: ignore[arg-type]
                person,
                week,
                {kr: (str(week), "high", "") for kr in krs},
            )
    return cycle


def stored_rows(cycle: Cycle) -> dict[str, list[str]]:
    """Every stored row of the cycle's insights, its id left out, in an order of its own."""
    rows = {}
    for model in STORED:
        fields = [f.attname for f in model._meta.concrete_fields if not f.primary_key]
        rows[model.__name__] = sorted(
            repr(row) for row in model.objects.filter(cycle=cycle).values_list(*fields)
        )
    return rows


def parent_queries(cycle: Cycle, processes: int) -> int:
    with CaptureQueriesContext(connection) as queries:
        refresh_cycle(cycle, processes=processes)
    return len(queries)


def test_workers_store_the_rows_the_serial_refresh_does(
    today: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(totals, "CHUNK", 7)  # several chunks of objectives and of people
    cycle = synthetic_cycle(today)
    refresh_cycle(cycle, processes=1)  # the first refresh creates what the next ones update
    serial_queries = parent_queries(cycle, 1)
    serial = stored_rows(cycle)
    assert len(serial["ObjectiveSnapshot"]) > 3 * totals.CHUNK
    assert serial["CheckinStanding"] and serial["HeatSnapshot"] and serial["RiskSnapshot"]
    assert any("'on'" in row or "'late'" in row for row in serial["CheckinStanding"])
    parallel_queries = parent_queries(cycle, 2)
    assert stored_rows(cycle) == serial
    assert multiprocessing.active_children() == []
    # The chunks' reads went to the workers: the parent sent far fewer statements.
    assert parallel_queries < serial_queries / 2


def test_every_chunk_and_the_standings_are_computed_by_workers(
    today: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(totals, "CHUNK", 7)
    cycle = synthetic_cycle(today)
    chunks = len(list(snapshots.objective_chunks(cycle)))
    assert chunks > 3
    parent = os.getpid()
    # Shared with the forked workers: (chunks, standings) computed here, (…) by a worker.
    counts = multiprocessing.get_context("fork").Array("i", 4)
    compute_rows, judge_everyone = snapshots.compute_rows, standings.judge_everyone

    def count(index: int) -> None:
        with counts.get_lock():
            counts[index + (2 if os.getpid() != parent else 0)] += 1

    def counted_rows(*args: Any, **kwargs: Any) -> Any:
        count(0)
        return compute_rows(*args, **kwargs)

    def counted_standings(cycle: Cycle) -> Any:
        count(1)
        return judge_everyone(cycle)

    monkeypatch.setattr(snapshots, "compute_rows", counted_rows)
    monkeypatch.setattr(standings, "judge_everyone", counted_standings)
    refresh_cycle(cycle, processes=1)
    assert list(counts) == [chunks, 1, 0, 0]
    refresh_cycle(cycle, processes=2)
    assert list(counts) == [chunks, 1, chunks, 1]


def test_workers_refresh_a_database_that_has_no_organisation_row_yet(
    today: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    # `okrflow synth` builds none; a worker's read-only transaction could not create it.
    monkeypatch.setattr(totals, "CHUNK", 7)
    cycle = synthetic_cycle(today)
    Organisation.objects.all().delete()
    refresh_cycle(cycle, processes=2)
    assert ObjectiveSnapshot.objects.filter(cycle=cycle).count() == cycle.objectives.count()
    assert Organisation.objects.count() == 1


class WorkerFailed(Exception):
    pass


def test_a_failing_worker_fails_the_refresh_and_keeps_the_previous_figures(
    today: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(totals, "CHUNK", 7)
    cycle = synthetic_cycle(today)
    refresh_cycle(cycle, processes=1)
    before = stored_rows(cycle)
    last = ObjectiveSnapshot.objects.filter(cycle=cycle).order_by("-objective_id")[0].objective_id
    parent = os.getpid()
    compute_rows = snapshots.compute_rows

    def failing_in_a_worker(
        cycle: Cycle, chunk: models.QuerySet[Any], *args: Any, **kwargs: Any
    ) -> Any:
        # The last chunk fails, after the parent wrote the rows of those before it.
        if os.getpid() != parent and last in kwargs["ids"]:
            raise WorkerFailed
        return compute_rows(cycle, chunk, *args, **kwargs)

    monkeypatch.setattr(snapshots, "compute_rows", failing_in_a_worker)
    with pytest.raises(WorkerFailed):
        refresh_cycle(cycle, processes=2)
    assert multiprocessing.active_children() == []
    assert stored_rows(cycle) == before
    # The parent's connection is whole: it still answers, as it would after a rollback.
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        assert cursor.fetchone() == (1,)


@pytest.mark.django_db  # inside the test's transaction, which never commits
def test_a_refresh_inside_an_outer_transaction_computes_in_its_own_process(
    today: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Workers could not see what the surrounding transaction wrote (here the whole
    organisation): the refresh then computes every chunk itself, as with one process."""
    monkeypatch.setattr(totals, "CHUNK", 7)
    cycle = synthetic_cycle(today)
    refresh = refresh_cycle(cycle, processes=2)
    assert refresh.objectives > 3 * totals.CHUNK
    assert ObjectiveSnapshot.objects.filter(cycle=cycle).count() == refresh.objectives


def test_the_command_takes_its_processes_from_the_setting_or_its_option(
    today: Any, monkeypatch: pytest.MonkeyPatch, settings: Any
) -> None:
    from django.core.management import call_command

    from okrflow.insights.parallel_refresh import MOST_PROCESSES, refresh_processes

    monkeypatch.setattr(totals, "CHUNK", 7)
    cycle = synthetic_cycle(today)
    refresh_cycle(cycle, processes=1)

    def command_queries(*options: str) -> int:
        with CaptureQueriesContext(connection) as queries:
            call_command("refresh-insights", "--full", *options, stdout=io.StringIO())
        return len(queries)

    settings.OKRFLOW_REFRESH_PROCESSES = 2
    assert refresh_processes() == 2
    by_setting, serial = command_queries(), command_queries("--processes", "1")
    settings.OKRFLOW_REFRESH_PROCESSES = 1
    by_option = command_queries("--processes", "2")
    assert by_setting < serial / 2 and by_option < serial / 2
    settings.OKRFLOW_REFRESH_PROCESSES = 0  # the default: the CPUs, at most MOST_PROCESSES
    assert 1 <= refresh_processes() <= min(os.cpu_count() or 1, MOST_PROCESSES)


def saved_state(cycle: Cycle) -> dict[type[models.Model], list[dict[str, Any]]]:
    """The cycle's stored insights and their refresh row, every column (ids too)."""
    from okrflow.insights.models import InsightRefresh

    state: dict[type[models.Model], list[dict[str, Any]]] = {}
    for model in (*STORED, InsightRefresh):
        fields = [f.attname for f in model._meta.concrete_fields]
        state[model] = list(model.objects.filter(cycle=cycle).values(*fields))
    return state


def restore(cycle: Cycle, state: dict[type[models.Model], list[dict[str, Any]]]) -> None:
    for model, rows in state.items():
        model.objects.filter(cycle=cycle).delete()
        model.objects.bulk_create([model(**row) for row in rows])


def test_workers_compute_the_incremental_refresh_as_the_serial_one_does(
    today: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(totals, "CHUNK", 7)  # the changed objectives in several chunks
    cycle = synthetic_cycle(today)
    refresh_cycle(cycle, processes=1)
    for person in Person.objects.order_by("pk")[4:12]:
        krs = KeyResult.objects.filter(
            owner=person, objective__cycle=cycle, shape__in=FROM_TO_SHAPES
        ).order_by("pk")
        if krs:
            check_in(
                SimpleNamespace(cycle=cycle),  # type: ignore[arg-type]
                person,
                3,
                {kr: ("3", "high", "") for kr in krs},
            )
    state = saved_state(cycle)

    def incremental(processes: int) -> tuple[int, int]:
        restore(cycle, state)
        with CaptureQueriesContext(connection) as queries:
            refresh = refresh_cycle(cycle, incremental=True, processes=processes)
        return refresh.recomputed, len(queries)  # type: ignore[attr-defined]

    recomputed, serial_queries = incremental(1)
    serial = stored_rows(cycle)
    assert 2 * totals.CHUNK < recomputed < len(serial["ObjectiveSnapshot"])
    assert incremental(2)[0] == recomputed
    assert stored_rows(cycle) == serial
    assert multiprocessing.active_children() == []
    parallel_queries = incremental(2)[1]
    # The chunks' reads went to the workers: the parent sent a quarter fewer statements
    # (it still reads the audit trail, judges the check-ins and writes every row).
    assert parallel_queries < serial_queries * 3 / 4
