"""On SQLite, refresh workers read the last commit while the refresh holds the write lock.

The refresh's transaction begins with `BEGIN IMMEDIATE` (settings' `transaction_mode`): from its
first statement no other connection can commit, so what a worker's own connection reads (WAL) is
what the refresh read, less what it wrote itself. These tests need the file database the test
settings name (`DATABASES["default"]["TEST"]`) and run outside a test transaction.
"""

from __future__ import annotations

import multiprocessing
import os
import sqlite3
import threading
import time
from collections.abc import Callable

import pytest
from django.db import OperationalError, connection, connections, transaction

from okrflow.insights.parallel_refresh import computed_in_workers
from okrflow.org.models import Organisation

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's write lock and WAL"),
]

TASKS = range(6)


def worker_pid(_task: int) -> int:
    return os.getpid()


def checkin_hour(_task: int) -> int:
    return Organisation.objects.get().default_checkin_hour


def pids_computing(tasks: range = TASKS) -> list[int]:
    with transaction.atomic(), computed_in_workers(worker_pid, tasks, 2) as computed:
        return list(computed)


def test_workers_compute_in_their_own_processes() -> None:
    assert not connection.is_in_memory_db()
    pids = pids_computing()
    assert len(pids) == len(TASKS)
    assert os.getpid() not in pids
    assert 1 <= len(set(pids)) <= 2
    assert multiprocessing.active_children() == []


def test_outside_a_transaction_or_in_deferred_mode_it_computes_here() -> None:
    parent = os.getpid()
    with computed_in_workers(worker_pid, TASKS, 2) as computed:  # no transaction of its own
        assert set(computed) == {parent}
    connection.ensure_connection()
    assert connection.transaction_mode == "IMMEDIATE"  # type: ignore[attr-defined]
    # A deferred transaction takes the lock at its first write: a commit before it would be
    # seen by the workers and not by the parent.
    connection.transaction_mode = "DEFERRED"  # type: ignore[attr-defined]
    try:
        assert set(pids_computing()) == {parent}
    finally:
        connection.transaction_mode = "IMMEDIATE"  # type: ignore[attr-defined]
    assert parent not in pids_computing()
    # A transaction begun by hand, which the atomic block joined (sqlite3 begins it deferred).
    transaction.set_autocommit(False)
    try:
        assert set(pids_computing()) == {parent}
    finally:
        transaction.rollback()
        transaction.set_autocommit(True)


def set_checkin_hour(hour: int) -> None:
    Organisation.objects.update(default_checkin_hour=hour)


def test_workers_read_the_last_commit_not_the_refreshs_own_writes() -> None:
    Organisation.current()
    set_checkin_hour(9)
    with transaction.atomic():
        set_checkin_hour(10)  # uncommitted: the parent's own write
        with computed_in_workers(checkin_hour, TASKS, 2) as computed:
            seen = list(computed)
            set_checkin_hour(11)  # written while the workers read
        assert Organisation.objects.get().default_checkin_hour == 11
    assert seen == [9] * len(TASKS)
    assert Organisation.objects.get().default_checkin_hour == 11


def writing_worker(_task: int) -> int:
    set_checkin_hour(20)
    return 0


def test_a_worker_cannot_write() -> None:
    Organisation.current()
    set_checkin_hour(9)
    # At once (query_only), not after the busy timeout waiting for the parent's lock.
    started = time.monotonic()
    with (
        pytest.raises(OperationalError, match="readonly"),
        transaction.atomic(),
        computed_in_workers(writing_worker, TASKS, 2) as computed,
    ):
        list(computed)
    assert time.monotonic() - started < 10
    assert multiprocessing.active_children() == []
    assert Organisation.objects.get().default_checkin_hour == 9


def database_file() -> str:
    return str(connection.settings_dict["NAME"])


def refused_at_once() -> bool:
    """Tell whether another connection is refused the write lock (not waiting for it)."""
    other = sqlite3.connect(database_file(), timeout=0, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError as error:
        assert "locked" in str(error)
        return True
    else:
        other.execute("ROLLBACK")
        return False
    finally:
        other.close()


def writer_in_another_thread(hour: int) -> Callable[[], float]:
    """Start, in a thread with its own connection (as a web request would), a committed write;
    return what waits for it and returns the moment it was done."""
    started = threading.Event()
    done_at: list[float] = []

    def write() -> None:
        try:
            started.set()
            set_checkin_hour(hour)  # autocommit: waits for the write lock (busy timeout 20 s)
            done_at.append(time.monotonic())
        finally:
            connections.close_all()

    thread = threading.Thread(target=write)
    thread.start()
    started.wait()
    time.sleep(0.3)  # well into its busy wait (if the lock is not free)

    def finished() -> float:
        thread.join(30)
        assert done_at, "the other writer failed"
        return done_at[0]

    return finished


def test_another_connections_write_waits_for_the_refresh_and_is_not_lost() -> None:
    Organisation.current()
    set_checkin_hour(9)
    assert not refused_at_once()
    with transaction.atomic():
        assert refused_at_once()  # the lock is held from BEGIN, before any write
        writer_done = writer_in_another_thread(15)
        with computed_in_workers(checkin_hour, TASKS, 2) as computed:
            seen = list(computed)
        set_checkin_hour(10)
        assert Organisation.objects.get().default_checkin_hour == 10
        committed_at = time.monotonic()
    assert writer_done() > committed_at  # it waited for the refresh's commit…
    assert seen == [9] * len(TASKS)  # …so the workers could not see it
    assert Organisation.objects.get().default_checkin_hour == 15  # and it was not lost
    assert not refused_at_once()


class ParentFailed(Exception):
    pass


def test_when_the_parent_fails_midway_the_workers_end_and_nothing_is_written() -> None:
    Organisation.current()
    set_checkin_hour(9)
    with pytest.raises(ParentFailed), transaction.atomic():
        set_checkin_hour(10)
        with computed_in_workers(worker_pid, range(40), 2) as computed:
            next(computed)
            raise ParentFailed
    assert multiprocessing.active_children() == []
    assert Organisation.objects.get().default_checkin_hour == 9
    assert not refused_at_once()  # the lock was released with the rollback
    assert os.getpid() not in pids_computing()  # and the next refresh has its workers
