#!/usr/bin/env python3
"""Measure a large OKR import: seconds and peak memory, on SQLite and PostgreSQL.

    .venv/bin/python bench/okr_import.py                                  # 150,000 KRs, both databases
    .venv/bin/python bench/okr_import.py --key-results 15000 --databases sqlite

For each database: a fresh database (a temporary SQLite file, or a new PostgreSQL database at
OKRFLOW_BENCH_POSTGRES, default postgres://postgres@127.0.0.1:5432), migrated, with a bare
organisation of --people people (units of 16, each led by its first person) and an empty
active cycle. A deterministic JSON file (the export format, the same bytes for the same
arguments) holds --objectives objectives — four per unit, the rest shared among the people —
each aligned to its unit's (or parent unit's) first objective, and --key-results key results
spread evenly over them. A fresh process then runs `okrflow import FILE --cycle …` exactly as
a person would, and prints its wall-clock seconds, its CPU seconds (of that process: a fairer
figure on a busy machine; PostgreSQL's own work is not in it), its peak RSS (resource.getrusage
of that process) and its query count, with the machine's load average (the CPU is shared);
then how much of the wall time the process spent ready but waiting for a CPU (Linux's
/proc/self/schedstat) and how much waiting for anything else (the database server, the disk,
a lock: the wall time less the CPU and run-queue seconds).
With --profile time (cProfile; OKRFLOW_BENCH_PROFILE_OUT=FILE also saves the statistics for
pstats), memory (the peak RSS, the seconds and the CPU seconds so far after each step of the
import) or queries (the seconds the statements take, by kind, driver work included), it prints
what dominates too
(under cProfile, never read its seconds). The query count includes PostgreSQL's COPY
statements (the import writes its rows by COPY there, each batch after one query that draws
its ids from the sequence).
Nothing is timed in a test: this prints figures.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CYCLE = "Import bench"
UNIT_SIZE = 16


def django_setup() -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "okrflow.settings")
    sys.path.insert(0, str(ROOT))
    django.setup()


def units_for(people: int) -> int:
    return max(1, people // UNIT_SIZE)


def unit_parent(index: int) -> int | None:
    """A company (0), ten departments under it, every further unit under a department."""
    if index == 0:
        return None
    if index <= 10:
        return 0
    return 1 + (index - 11) % 10


def write_file(path: Path, people: int, objectives: int, key_results: int) -> None:
    """Write the deterministic import file (usernames and unit names as `build_org` makes them)."""
    unit_count = units_for(people)
    rows: list[dict[str, object]] = []
    for unit in range(unit_count):
        parent = unit_parent(unit)
        for n in range(4):
            rows.append(
                {
                    "ref": f"U{unit}.{n}",
                    "title": f"Objective {n} of bench unit {unit}",
                    "owner": {"kind": "unit", "name": f"bench unit {unit}"},
                    **({"parent": f"U{parent}.0"} if parent is not None else {}),
                }
            )
    person = 0
    while len(rows) < objectives:
        index = len(rows)
        rows.append(
            {
                "ref": f"P{index}",
                "title": f"Objective {index} of bench person {person}",
                "owner": f"bench.{person:06d}",
                "parent": f"U{person % unit_count}.0",
            }
        )
        person = (person + 1) % people
    rows = rows[:objectives]
    per, extra = divmod(key_results, len(rows))
    for index, row in enumerate(rows):
        row["key_results"] = [
            {
                "title": f"Reach {100 + k * 10} qualified leads ({index}.{k})",
                "shape": "metric",
                "start": "0",
                "target": str(100 + k * 10),
                **({"current": str(k * 7)} if k % 2 else {}),
            }
            for k in range(per + (1 if index < extra else 0))
        ]
    document = {"format": "okrflow-okrs", "version": 1, "objectives": rows}
    path.write_text(json.dumps(document, ensure_ascii=False, separators=(",", ":")), "utf-8")


def build_org(people: int) -> None:
    """In the configured process: migrate; a bare organisation and an empty active cycle."""
    django_setup()
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.core.management import call_command
    from django.utils import timezone

    from okrflow.cycles.models import Cycle, CycleState
    from okrflow.demo.synth import quarter_bounds
    from okrflow.org.models import Organisation, OrgUnit, Person

    call_command("migrate", verbosity=0, stdout=io.StringIO())
    Organisation.current()
    start, end = quarter_bounds(timezone.localdate())
    Cycle.objects.create(name=CYCLE, start_date=start, end_date=end, state=CycleState.ACTIVE)
    units: list[OrgUnit] = []
    for index in range(units_for(people)):
        parent_index = unit_parent(index)
        parent = units[parent_index] if parent_index is not None else None
        unit = OrgUnit.objects.create(
            name=f"bench unit {index}",
            parent=parent,
            path="",
            depth=(parent.depth + 1) if parent else 0,
        )
        unit.path = f"{parent.path if parent else '/'}{unit.pk}/"
        units.append(unit)
    OrgUnit.objects.bulk_update(units, ["path"])
    user_model = get_user_model()
    password = make_password(None)
    users = user_model.objects.bulk_create(
        [user_model(username=f"bench.{i:06d}", password=password) for i in range(people)],
        batch_size=2000,
    )
    persons = Person.objects.bulk_create(
        [
            Person(user=user, full_name=f"Bench person {i:06d}", unit=units[i % len(units)])
            for i, user in enumerate(users)
        ],
        batch_size=2000,
    )
    leads: dict[int, Person] = {}
    for person in persons:
        leads.setdefault(person.unit_id, person)  # type: ignore[arg-type]
    for unit in units:
        unit.lead = leads.get(unit.pk)
    OrgUnit.objects.bulk_update(units, ["lead"])
    for person in persons:
        lead = leads[person.unit_id]  # type: ignore[index]
        person.manager = lead if lead.pk != person.pk else None
    Person.objects.bulk_update(persons, ["manager"], batch_size=2000)


def watch_steps() -> None:
    """Print the peak RSS, the seconds and the CPU seconds so far at the end of each step of the
    import (the CPU seconds of this process: on a busy machine its steps' fairer measure)."""
    import importlib

    from okrflow.library import importer

    command = importlib.import_module("okrflow.library.management.commands.import")

    started, cpu_started = time.perf_counter(), time.process_time()

    def watched(module: Any, name: str) -> None:
        step = getattr(module, name)

        def run(*args: Any, **kwargs: Any) -> Any:
            result = step(*args, **kwargs)
            peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            elapsed = time.perf_counter() - started
            cpu = time.process_time() - cpu_started
            print(
                f"after {name}: peak RSS {peak:.0f} MB, {elapsed:.1f} s, {cpu:.1f} s CPU",
                file=sys.stderr,
            )
            return result

        setattr(module, name, run)

    watched(command, "read_file")
    watched(command, "build_preview")
    watched(command.Command, "report")
    watched(importer, "stage")
    watched(importer, "write_staged")
    watched(importer, "write_alignments")


class Tail(io.TextIOBase):
    """An output that keeps only its last line."""

    last = ""

    def write(self, text: str) -> int:
        if text.strip():
            self.last = text.strip().splitlines()[-1]
        return len(text)


def run_import(path: str) -> dict[str, object]:
    """In a fresh process: the import command, timed, with its peak memory and query count."""
    django_setup()
    from django.core.management import call_command
    from django.db import connection

    from okrflow.okrs.models import KeyResult, Objective

    settled_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    out, err = Tail(), Tail()  # a terminal keeps the listing, not the process
    queries = []

    spent: dict[str, list[float]] = {}  # --profile queries: seconds and count by statement kind

    def count(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        queries.append(1)  # counted, not kept: a bulk INSERT's text is large
        if profile != "queries":
            return execute(sql, params, many, context)
        began = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            kind = " ".join(sql[:60].split()[:3])
            figures = spent.setdefault(kind, [0.0, 0])
            figures[0] += time.perf_counter() - began
            figures[1] += 1

    profile = os.environ.get("OKRFLOW_BENCH_PROFILE")
    if profile == "memory":  # the peak RSS at the end of each step of the import
        watch_steps()
    elif profile == "time":
        import cProfile
        import pstats

        profiler = cProfile.Profile()
        profiler.enable()
    cpu_before = resource.getrusage(resource.RUSAGE_SELF)
    queued_before = run_queue_seconds()
    with connection.execute_wrapper(count):
        started = time.perf_counter()
        call_command("import", path, cycle=CYCLE, stdout=out, stderr=err)
        seconds = time.perf_counter() - started
    if profile == "time":
        profiler.disable()
        stats = pstats.Stats(profiler, stream=sys.stderr)
        if os.environ.get("OKRFLOW_BENCH_PROFILE_OUT"):  # for pstats' callers and callees
            stats.dump_stats(os.environ["OKRFLOW_BENCH_PROFILE_OUT"])
        stats.sort_stats("cumulative").print_stats(45)
        stats.sort_stats("tottime").print_stats(25)
    for kind, (spent_s, n) in sorted(spent.items(), key=lambda item: -item[1][0])[:15]:
        print(f"{spent_s:8.2f} s {n:6} × {kind}", file=sys.stderr)
    cpu_after = resource.getrusage(resource.RUSAGE_SELF)
    cpu = (cpu_after.ru_utime + cpu_after.ru_stime) - (cpu_before.ru_utime + cpu_before.ru_stime)
    queued = run_queue_seconds() - queued_before
    return {
        "seconds": round(seconds, 1),
        "cpu_seconds": round(cpu, 1),
        # Ready to run but waiting for a CPU (the machine is shared); what is left of the wall
        # time is spent waiting for something else: the database server, the disk, a lock.
        "queued_seconds": round(queued, 1),
        "blocked_seconds": round(max(0.0, seconds - cpu - queued), 1),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "rss_before_mb": round(settled_rss / 1024),
        "queries": len(queries),
        "objectives": Objective.objects.filter(cycle__name=CYCLE).count(),
        "key_results": KeyResult.objects.filter(objective__cycle__name=CYCLE).count(),
        "said": out.last,
    }


def run_queue_seconds() -> float:
    """Seconds this process has waited, ready, for a CPU (Linux's schedstat; 0 elsewhere)."""
    try:
        return int(Path("/proc/self/schedstat").read_text().split()[1]) / 1e9
    except (OSError, IndexError, ValueError):
        return 0.0


def child(role: str, *args: str, env: dict[str, str]) -> str:
    done = subprocess.run(
        [sys.executable, __file__, "--role", role, *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise SystemExit(f"{role} failed:\n{done.stderr[-4000:]}")
    if env.get("OKRFLOW_BENCH_PROFILE"):
        sys.stderr.write(done.stderr)
    return done.stdout


def run_database(database: str, args: argparse.Namespace, file: Path) -> dict[str, object]:
    env = dict(os.environ)
    workdir = tempfile.mkdtemp(prefix="okrflow-import-bench-")
    name = ""
    base = os.environ.get("OKRFLOW_BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432")
    if database == "sqlite":
        env["OKRFLOW_DATABASE_URL"] = f"sqlite:///{workdir}/bench.sqlite3"
    else:
        name = f"okrflow_import_bench_{os.getpid()}"
        psql = ["psql", f"{base}/postgres", "-qc"]
        subprocess.run([*psql, f"DROP DATABASE IF EXISTS {name}"], check=True)
        subprocess.run([*psql, f"CREATE DATABASE {name}"], check=True)
        env["OKRFLOW_DATABASE_URL"] = f"{base}/{name}"
    env["OKRFLOW_DATA_DIR"] = workdir
    if args.profile:
        env["OKRFLOW_BENCH_PROFILE"] = args.profile
    try:
        child("org", str(args.people), env=env)
        figures = json.loads(child("import", str(file), env=env).strip().splitlines()[-1])
    finally:
        if name:
            subprocess.run(
                ["psql", f"{base}/postgres", "-qc", f"DROP DATABASE IF EXISTS {name}"],
                check=False,
            )
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--key-results", type=int, default=150_000)
    parser.add_argument("--objectives", type=int, default=0, help="Default: key results / 3.75.")
    parser.add_argument("--people", type=int, default=10_000)
    parser.add_argument(
        "--databases", nargs="+", default=["sqlite", "postgresql"], choices=["sqlite", "postgresql"]
    )
    parser.add_argument("--keep-file", help="Also write the import file here.")
    parser.add_argument(
        "--profile",
        choices=["time", "memory", "queries"],
        help="Run the import under cProfile, with the peak RSS after each step, or with the "
        "seconds its statements take, by kind.",
    )
    parser.add_argument("--role", choices=["main", "org", "import"], default="main")
    parser.add_argument("value", nargs="?", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.role == "org":
        build_org(int(args.value))
        return
    if args.role == "import":
        print(json.dumps(run_import(args.value)))
        return
    objectives = args.objectives or round(args.key_results / 3.75)
    file = Path(args.keep_file or tempfile.mkstemp(prefix="okrflow-import-", suffix=".json")[1])
    write_file(file, args.people, objectives, args.key_results)
    size = file.stat().st_size
    print(
        f"file: {objectives:,} objectives, {args.key_results:,} key results, "
        f"{size / 1e6:.1f} MB JSON, {args.people:,} people"
    )
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs (shared machine)")
    print(f"{'database':<11}{'seconds':>9}{'CPU s':>7}{'peak RSS MB':>13}{'queries':>9}  notes")
    for database in args.databases:
        figures = run_database(database, args, file)
        print(
            f"{database:<11}{figures['seconds']:>9}{figures['cpu_seconds']:>7}"
            f"{figures['peak_rss_mb']:>13}"
            f"{figures['queries']:>9}  RSS after start {figures['rss_before_mb']} MB; "
            f"{figures['queued_seconds']} s waiting for a CPU, {figures['blocked_seconds']} s "
            "for anything else; "
            f"{figures['objectives']:,} objectives, {figures['key_results']:,} KRs written"
        )
        sys.stdout.flush()
    if not args.keep_file:
        file.unlink()


if __name__ == "__main__":
    main()
