#!/usr/bin/env python3
"""Measure the whole-cycle writers' peak memory: `okrs --json` and `export` (JSON, CSV).

    .venv/bin/python bench/okr_export.py                        # 10,000 people, both databases
    .venv/bin/python bench/okr_export.py --people 1000 --databases sqlite

For each database: a fresh database (a temporary SQLite file, or a new PostgreSQL database at
OKRFLOW_BENCH_POSTGRES, default postgres://postgres@127.0.0.1:5432), migrated, with
`okrflow synth --people N`. Then each command runs in a fresh process writing to /dev/null, and
the script prints its seconds, its peak RSS (resource.getrusage of that process) and, for a
floor, the peak RSS of the same process after Django's start alone. This prints figures; it is
never a timed test.
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

ROOT = Path(__file__).resolve().parent.parent
COMMANDS = {
    "okrs --json": ["okrs", "--json"],
    "export json": ["export", "--format", "json", "--output", os.devnull],
    "export csv": ["export", "--format", "csv", "--output", os.devnull],
}


def django_setup() -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "okrflow.settings")
    sys.path.insert(0, str(ROOT))
    django.setup()


def build(people: int) -> None:
    django_setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, stdout=io.StringIO())
    call_command("synth", people=people, quiet=True, stdout=io.StringIO())


def run(what: str) -> dict[str, object]:
    django_setup()
    from django.core.management import call_command

    from okrflow.cycles.models import Cycle

    cycle = Cycle.objects.get(name__startswith="Synth")
    floor = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    with open(os.devnull, "w") as sink:
        call_command(*COMMANDS[what], "--cycle", cycle.name, stdout=sink, stderr=io.StringIO())
    return {
        "seconds": round(time.perf_counter() - started, 1),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "floor_mb": round(floor / 1024),
    }


def child(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [sys.executable, __file__, *args], env=env, cwd=ROOT, capture_output=True, text=True
    )
    if done.returncode != 0:
        raise SystemExit(f"{args} failed:\n{done.stderr[-4000:]}")
    return done.stdout


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--people", type=int, default=10_000)
    parser.add_argument(
        "--databases", nargs="+", default=["sqlite", "postgresql"], choices=["sqlite", "postgresql"]
    )
    parser.add_argument("--role", choices=["main", "build", "run"], default="main")
    parser.add_argument("value", nargs="?", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.role == "build":
        build(int(args.value))
        return
    if args.role == "run":
        print(json.dumps(run(args.value)))
        return
    base = os.environ.get("OKRFLOW_BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432")
    print(
        f"{'database':<11}{'N':>7}  {'what':<14}{'seconds':>9}{'peak RSS MB':>13}{'floor MB':>10}"
    )
    for database in args.databases:
        env = dict(os.environ)
        workdir = tempfile.mkdtemp(prefix="okrflow-export-bench-")
        env["OKRFLOW_DATA_DIR"] = workdir
        name = ""
        if database == "sqlite":
            env["OKRFLOW_DATABASE_URL"] = f"sqlite:///{workdir}/bench.sqlite3"
        else:
            name = f"okrflow_export_bench_{os.getpid()}"
            psql = ["psql", f"{base}/postgres", "-qc"]
            subprocess.run([*psql, f"DROP DATABASE IF EXISTS {name}"], check=True)
            subprocess.run([*psql, f"CREATE DATABASE {name}"], check=True)
            env["OKRFLOW_DATABASE_URL"] = f"{base}/{name}"
        try:
            child(env, "--role", "build", str(args.people))
            for what in COMMANDS:
                figures = json.loads(child(env, "--role", "run", what).strip().splitlines()[-1])
                print(
                    f"{database:<11}{args.people:>7}  {what:<14}{figures['seconds']:>9}"
                    f"{figures['peak_rss_mb']:>13}{figures['floor_mb']:>10}"
                )
                sys.stdout.flush()
        finally:
            if name:
                subprocess.run(
                    ["psql", f"{base}/postgres", "-qc", f"DROP DATABASE IF EXISTS {name}"],
                    check=False,
                )


if __name__ == "__main__":
    main()
