"""Run a full refresh's read-only computations in worker processes, on the caller's data.

A full refresh at 10,000 people spends most of its time in Python, measuring and forecasting
one chunk of objectives after another: one core works while the others idle. Here the chunks
are computed by forked worker processes while the refresh (the parent) writes the rows
they send back, in the chunks' order, inside its own transaction:

* every worker reads exactly what the parent's transaction saw when the workers started: the
  parent exports its snapshot (`pg_export_snapshot`), each worker opens its own connection and
  imports it into a read-only transaction (`SET TRANSACTION SNAPSHOT`);
* nothing is written outside the parent's transaction: a worker's failure is raised in the
  parent, which rolls everything back, the previous figures staying whole; every worker has
  ended when `computed_in_workers` returns or raises.

PostgreSQL only: SQLite has no snapshot to share (a worker would read the database as
committed, not as the parent's transaction holds it) and lets one writer at a time anyway.
Page-load refreshes, check-in updates and task workers (Celery's daemonic prefork workers cannot
have children) stay serial: only `okrflow refresh-insights` passes more than one process.
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
    forked workers that read the caller's transaction's snapshot; else computed here, one after
    the other, as they are read.

    Workers need PostgreSQL, two processes and two tasks, and a transaction begun by the caller
    (one atomic block): what it wrote is invisible to them, so `work` must not read what the
    caller wrote, and an outer transaction (a test's, a caller's) may have written what `work`
    reads. The workers start at once: the caller may write meanwhile. `work` must only read:
    the workers' transactions are read-only. Leaving the block waits for every worker to end;
    a task not yet started when the block fails is cancelled.
    """
    if (
        processes < 2
        or len(tasks) < 2
        or connection.vendor != "postgresql"
        or len(connection.atomic_blocks) != 1
    ):
        yield map(work, tasks)
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_export_snapshot()")
        (snapshot,) = cursor.fetchone()
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


def start_worker(snapshot: str) -> None:
    """Give a freshly forked worker its own connection, reading the parent's snapshot.

    The inherited connection is the parent's socket: closing it, or letting the garbage
    collector finalize it, would send PostgreSQL a Terminate message on the parent's session.
    So the inherited wrappers are kept for the worker's life (it ends with `os._exit`, running
    no finalizer of theirs) and replaced by new ones, which connect when first used.
    """
    if not re.fullmatch(r"[0-9A-Fa-f-]+", snapshot):
        raise ValueError(f"not a snapshot id: {snapshot!r}")
    for alias in connections:
        _inherited.append(connections[alias])
        connections[alias] = connections.create_connection(alias)
    with connection.cursor() as cursor:
        cursor.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        cursor.execute(f"SET TRANSACTION SNAPSHOT '{snapshot}'")
    # Run when the worker ends normally: the server then sees a goodbye, not a lost client.
    Finalize(None, end_worker, exitpriority=10)


def end_worker() -> None:
    with connection.cursor() as cursor:
        cursor.execute("ROLLBACK")
    connection.close()


def run_task(task: Any) -> Any:
    assert _work is not None, "set by computed_in_workers before the fork"
    return _work(task)
