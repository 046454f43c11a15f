"""Run a refresh's read-only computations in worker processes, on the caller's data.

A full refresh at 10,000 people spends most of its time in Python, measuring and forecasting
one chunk of objectives after another: one core works while the others idle. Here the chunks
are computed by forked worker processes while the refresh (the parent) writes the rows
they send back, in the chunks' order, inside its own transaction:

* every worker reads exactly what the parent's transaction saw when the workers started, less
  what the parent wrote itself. On PostgreSQL the parent exports its snapshot (`pg_export_snapshot`),
  each worker opens its own connection and imports it into a read-only transaction (`SET
  TRANSACTION SNAPSHOT`). On SQLite the parent's transaction began with `BEGIN IMMEDIATE`
  (`transaction_mode`), so it holds the database's only write lock until it ends: nobody else
  can commit meanwhile, and a worker's own connection (WAL: readers neither wait for the writer
  nor block it) reads in one read transaction the last commit, the parent's view without its
  uncommitted writes, as on PostgreSQL;
* nothing is written outside the parent's transaction: a worker's transaction is read-only
  (SQLite: `query_only`), its failure is raised in the parent, which rolls everything back, the
  previous figures staying whole; every worker has ended when `computed_in_workers` returns or
  raises, before the parent commits (on SQLite, before another writer can).

Anything else computes serially: another database, an in-memory SQLite or one not in WAL mode or
whose transactions do not begin `IMMEDIATE` (a worker would read commits made after the parent
began). Page-load refreshes, check-in updates and task workers (Celery's daemonic prefork workers
cannot have children) stay serial too: only `okrflow refresh-insights` passes more than one
process.
"""

from __future__ import annotations

import multiprocessing
import os
import re
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from contextlib import contextmanager
from multiprocessing.util import Finalize
from typing import Any, TypeVar

from django.conf import settings
from django.db import connection, connections
from django.db.backends.base.base import BaseDatabaseWrapper

Task = TypeVar("Task")
Result = TypeVar("Result")

MOST_PROCESSES = 8  # the default's cap: each worker holds a connection and a chunk's objects
AHEAD = 2  # tasks submitted per process and not yet read: enough to keep each one busy

# What a forked worker inherits from the parent and must keep: the function to run, and the
# parent's connection wrappers (see `start_worker`).
_work: Callable[[Any], Any] | None = None
_inherited: list[BaseDatabaseWrapper] = []


def refresh_processes() -> int:
    """Return the processes `okrflow refresh-insights` computes with: `OKRFLOW_REFRESH_PROCESSES`,
    or when it is 0 (the default) the CPUs this process may run on, at most `MOST_PROCESSES`."""
    wanted = int(getattr(settings, "OKRFLOW_REFRESH_PROCESSES", 0))
    if wanted > 0:
        return wanted
    try:
        cpus = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cpus = os.cpu_count() or 1
    return max(1, min(cpus, MOST_PROCESSES))


@contextmanager
def computed_in_workers(
    work: Callable[[Task], Result], tasks: Sequence[Task], processes: int
) -> Iterator[Iterator[Result]]:
    """Yield `work(task)` of every task, in the tasks' order, computed by up to `processes`
    forked workers that read what the caller's transaction read (`readable_by_workers`); else
    computed here, one after the other, as they are read.

    Workers need two processes and two tasks, and a transaction begun by the caller (one
    atomic block): what it wrote is invisible to them, so `work` must not read what the
    caller wrote, and an outer transaction (a test's, a caller's) may have written what `work`
    reads. The workers start at once: the caller may write meanwhile. `work` must only read:
    the workers' transactions are read-only. Leaving the block waits for every worker to end;
    a task not yet started when the block fails is cancelled.
    """
    if processes < 2 or len(tasks) < 2 or not readable_by_workers():
        yield map(work, tasks)
        return
    snapshot = exported_snapshot() if connection.vendor == "postgresql" else None
    global _work
    _work = work  # inherited by the forked workers: nothing to pickle but tasks and results
    executor = ProcessPoolExecutor(
        max_workers=min(processes, len(tasks)),
        mp_context=multiprocessing.get_context("fork"),
        initializer=start_worker,
        initargs=(snapshot,),
    )
    try:
        yield in_order(executor, tasks, AHEAD * processes)
    finally:
        # The running tasks finish (a chunk each), the others are dropped; every worker ends.
        executor.shutdown(wait=True, cancel_futures=True)
        _work = None


def readable_by_workers() -> bool:
    """Tell whether workers with their own connections can read what this process's one
    transaction (one atomic block, which began it) reads, less its own writes.

    PostgreSQL: always (its snapshot is exported). SQLite: when the database is a file in WAL
    mode and the atomic block began the transaction with `BEGIN IMMEDIATE` (Django's sqlite
    backend runs `BEGIN <transaction_mode>` on entering an outermost atomic block in
    autocommit mode), so that it holds the write lock: no commit can then come between what it
    read and what the workers read. Deferred, the lock would come with the first write, and a
    commit made before it would be seen by the workers only.
    """
    if len(connection.atomic_blocks) != 1 or connection.needs_rollback:
        return False
    if connection.vendor == "postgresql":
        return True
    if connection.vendor != "sqlite" or connection.is_in_memory_db():
        return False
    began_locked = (
        getattr(connection, "transaction_mode", None) == "IMMEDIATE"
        # Set by the atomic block that ran the BEGIN; not when it joined a transaction begun
        # by hand (`set_autocommit(False)`: sqlite3 then begins one deferred).
        and connection.commit_on_exit
        and connection.connection is not None
        and connection.connection.in_transaction
    )
    if not began_locked:
        return False
    with connection.cursor() as cursor:
        # A rollback journal would let the workers' read locks hold up the parent's writes.
        cursor.execute("PRAGMA journal_mode")
        (mode,) = cursor.fetchone()
    return str(mode).lower() == "wal"


def exported_snapshot() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_export_snapshot()")
        (snapshot,) = cursor.fetchone()
    return str(snapshot)


def in_order(executor: Executor, tasks: Sequence[Task], ahead: int) -> Iterator[Any]:
    """Return the tasks' results in their order, keeping at most `ahead` of them submitted and
    not yet read (results wait in memory for the caller, however much faster the workers are).
    The first ones are submitted at once: the workers start while the caller goes on."""
    waiting: deque[Future[Any]] = deque(executor.submit(run_task, task) for task in tasks[:ahead])
    return results_in_order(executor, waiting, tasks[ahead:])


def results_in_order(
    executor: Executor, waiting: deque[Future[Any]], later: Sequence[Task]
) -> Iterator[Any]:
    for task in later:
        result = waiting.popleft().result()
        waiting.append(executor.submit(run_task, task))
        yield result
    while waiting:
        yield waiting.popleft().result()


def start_worker(snapshot: str | None) -> None:
    """Give a freshly forked worker its own connection, reading the parent's snapshot
    (PostgreSQL) or the last commit (SQLite, `snapshot` None), in one read-only transaction.

    The inherited connection is the parent's socket or SQLite handle: closing it, or letting the
    garbage collector finalize it, would send PostgreSQL a Terminate message on the parent's
    session (an SQLite handle must not be used across a fork at all: its locks are the
    parent's). So the inherited wrappers are kept for the worker's life (it ends with `os._exit`, running no finalizer of
    theirs) and replaced by new ones, which connect (open the file anew) when first used.
    """
    if snapshot is not None and not re.fullmatch(r"[0-9A-Fa-f-]+", snapshot):
        raise ValueError(f"not a snapshot id: {snapshot!r}")
    for alias in connections:
        _inherited.append(connections[alias])
        connections[alias] = connections.create_connection(alias)
    with connection.cursor() as cursor:
        if snapshot is not None:
            cursor.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
            cursor.execute(f"SET TRANSACTION SNAPSHOT '{snapshot}'")
        else:
            # A worker only reads, and in WAL mode a reader never waits: were it made to wait
            # (for the lock the parent holds while it waits for the worker), it fails at once.
            cursor.execute("PRAGMA busy_timeout = 0")
            cursor.execute("PRAGMA query_only = 1")
            # The read transaction begins with its first read: here, so that every chunk of
            # this worker reads the same commit (the parent holds the lock: the last one).
            cursor.execute("BEGIN")
            cursor.execute("SELECT COUNT(*) FROM sqlite_master")
    # Run when the worker ends normally: the server then sees a goodbye, not a lost client.
    Finalize(None, end_worker, exitpriority=10)


def end_worker() -> None:
    with connection.cursor() as cursor:
        cursor.execute("ROLLBACK")
    connection.close()


def run_task(task: Any) -> Any:
    assert _work is not None, "set by computed_in_workers before the fork"
    return _work(task)
