#!/usr/bin/env python3
"""Measure the main pages, the insights refresh and `okrflow okrs --json` on synthetic orgs.

    .venv/bin/python bench/bench.py                    # N = 1,000 and 10,000 on SQLite and PostgreSQL
    .venv/bin/python bench/bench.py --people 1000 --databases sqlite

Each (database, N) runs in its own process on a fresh database: migrate, `okrflow synth`,
then the measurements (median of several runs, server time inside Django, queries counted).
PostgreSQL is reached at OKRFLOW_BENCH_POSTGRES (default postgres://postgres@127.0.0.1:5432).
This is a script that prints figures, never a timed test.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RUNS = 5


def measure(people: int) -> dict[str, object]:
    """Run inside a configured process: build the org, then time the two readers."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "okrflow.settings")
    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from okrflow.cycles.models import Cycle
    from okrflow.org.models import OrgUnit

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    call_command("synth", people=people, quiet=True, stdout=io.StringIO())
    synth_seconds = time.perf_counter() - started
    cycle = Cycle.objects.get(name__startswith="Synth")
    root = OrgUnit.objects.filter(parent=None).select_related("lead__user").first()
    member_unit = OrgUnit.objects.filter(depth=2).select_related("lead").first() or root
    member = member_unit.members.exclude(pk=member_unit.lead_id).select_related("user").first()
    results: dict[str, object] = {"people": people, "synth_seconds": round(synth_seconds, 1)}

    # Large cycles' insights are computed by `okrflow refresh-insights` (cron or a task worker),
    # not while a page loads: time that job once, then the dashboards that read its figures.
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        call_command("refresh-insights", cycle=cycle.name, stdout=io.StringIO())
        refresh_ms = (time.perf_counter() - started) * 1000
    results["refresh-insights"] = {"ms": round(refresh_ms, 1), "queries": len(queries)}

    pages = {
        "overview": "/",
        "my OKRs": "/my/",
        "company tree": "/company/",
        "insights": "/insights/",
        "insights risks": "/insights/risks/",
        "insights F.A.C.T.S.": "/insights/facts/",
        "insights company unit": f"/insights/units/{root.pk}/",
        "insights member": f"/insights/people/{member.pk}/",
        "insights review": f"/insights/cycles/{cycle.pk}/review/",
        "check-in compliance": "/checkins/compliance/",
    }
    for label, user in (("company lead", root.lead.user), ("member", member.user)):
        client = Client(HTTP_HOST="localhost")
        client.force_login(user)
        for page_name, path in pages.items():
            times, counts = [], []
            for _ in range(RUNS if page_name == "overview" else 2):
                with CaptureQueriesContext(connection) as queries:
                    t0 = time.perf_counter()
                    response = client.get(f"{path}?cycle={cycle.pk}")
                    times.append(time.perf_counter() - t0)
                assert response.status_code == 200, (path, response.status_code)
                counts.append(len(queries))
            results[f"{page_name} ({label})"] = {
                "ms": round(statistics.median(times) * 1000, 1),
                "queries": counts[-1],
                "bytes": len(response.content),
            }

    times, counts = [], []
    for _ in range(3):
        out = io.StringIO()
        with CaptureQueriesContext(connection) as queries:
            t0 = time.perf_counter()
            call_command("okrs", cycle=cycle.name, json=True, stdout=out)
            times.append(time.perf_counter() - t0)
        counts.append(len(queries))
    data = json.loads(out.getvalue())
    results["okrs --json"] = {
        "ms": round(statistics.median(times) * 1000, 1),
        "queries": counts[-1],
        "objectives": len(data["objectives"]),
        "key_results": sum(len(o["key_results"]) for o in data["objectives"]),
    }
    return results


def run_one(database: str, people: int) -> dict[str, object]:
    """Start a child process on a fresh database and return its figures."""
    env = dict(os.environ)
    workdir = tempfile.mkdtemp(prefix="okrflow-bench-")
    if database == "sqlite":
        env["OKRFLOW_DATABASE_URL"] = f"sqlite:///{workdir}/bench.sqlite3"
    else:
        base = os.environ.get("OKRFLOW_BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432")
        name = f"okrflow_bench_{people}_{os.getpid()}"
        subprocess.run(
            ["psql", f"{base}/postgres", "-qc", f"DROP DATABASE IF EXISTS {name}"], check=True
        )
        subprocess.run(["psql", f"{base}/postgres", "-qc", f"CREATE DATABASE {name}"], check=True)
        env["OKRFLOW_DATABASE_URL"] = f"{base}/{name}"
    env["OKRFLOW_DATA_DIR"] = workdir
    # Django's test client talks plain HTTP: production's redirect to HTTPS would answer 301.
    env.setdefault("OKRFLOW_HTTPS", "0")
    output = subprocess.run(
        [sys.executable, __file__, "--child", str(people)],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    if output.returncode != 0:
        raise SystemExit(f"{database} N={people} failed:\n{output.stderr[-3000:]}")
    if database != "sqlite":
        subprocess.run(
            ["psql", f"{base}/postgres", "-qc", f"DROP DATABASE IF EXISTS {name}"], check=False
        )
    return json.loads(output.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--people", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument(
        "--databases", nargs="+", default=["sqlite", "postgresql"], choices=["sqlite", "postgresql"]
    )
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(measure(args.child)))
        return
    print(f"{'database':<11}{'N':>7}  {'what':<30}{'ms':>9}{'queries':>9}  notes")
    for database in args.databases:
        for people in args.people:
            figures = run_one(database, people)
            print(
                f"{database:<11}{people:>7}  {'synth (build)':<30}{figures['synth_seconds'] * 1000:>9.0f}{'':>9}"
            )
            for key, value in figures.items():
                if isinstance(value, dict):
                    notes = ", ".join(
                        f"{k}={v:,}" for k, v in value.items() if k not in ("ms", "queries")
                    )
                    print(
                        f"{database:<11}{people:>7}  {key:<30}{value['ms']:>9.1f}{value['queries']:>9}  {notes}"
                    )
            sys.stdout.flush()


if __name__ == "__main__":
    main()
