#!/usr/bin/env python3
"""Measure how fast the worker refreshes key results fed by pull sources.

    .venv/bin/python bench/sources.py                          # SQLite, 1,000 sources
    .venv/bin/python bench/sources.py --sources 2000 --database postgres --broker redis

A fresh database (a temporary SQLite file, or OKRFLOW_BENCH_POSTGRES, default
postgres://postgres@127.0.0.1:5432/okrflow_bench_sources) gets the demo organisation and N more
key results, each fed by a JSON endpoint on a local HTTP server this script starts. One
`run_due_sources` task is sent through the broker (kombu's filesystem transport, or Redis with
--broker redis); a real Celery worker process (prefork, --concurrency, default the number of
cores) hands each source its own task, reads it over HTTP and records the value through the
key results' value action. The script waits until every source has a value and prints the total
time, the throughput, the time per source, and the overhead of a source beyond the HTTP read
itself (one source refreshed in this process, minus the bare fetch). A script that prints
figures, never a timed test.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
OKRFLOW = str(ROOT / ".venv" / "bin" / "okrflow")
PER_OBJECTIVE = 5


class Answer(BaseHTTPRequestHandler):
    """Answer /kr/N with {"data": {"value": N}}."""

    protocol_version = "HTTP/1.0"

    def do_GET(self) -> None:
        number = self.path.rsplit("/", 1)[-1]
        body = json.dumps({"data": {"value": int(number) if number.isdigit() else 0}}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: Any) -> None:
        pass


def serve() -> int:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Answer)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server.server_address[1]


def django_setup() -> None:
    import django

    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "okrflow.settings")
    django.setup()


def plant(count: int, port: int) -> list[int]:
    """Add `count` key results under head.marketing, each with a JSON source due now."""
    from decimal import Decimal

    from django.db import transaction
    from django.utils import timezone

    from okrflow.cycles.models import Cycle, CycleState
    from okrflow.datasources.models import DataSource
    from okrflow.okrs.models import KeyResult, Objective
    from okrflow.org.models import Person

    cycle = Cycle.objects.filter(state=CycleState.ACTIVE).order_by("start_date").first()
    owner = Person.objects.get(user__username="head.marketing")
    assert cycle is not None
    with transaction.atomic():
        objectives = Objective.objects.bulk_create(
            Objective(cycle=cycle, title=f"Bench objective {n}", owner_person=owner)
            for n in range((count + PER_OBJECTIVE - 1) // PER_OBJECTIVE)
        )
        krs = KeyResult.objects.bulk_create(
            KeyResult(
                objective=objectives[n // PER_OBJECTIVE],
                title=f"Bench key result {n}",
                owner=owner,
                start_value=Decimal(0),
                target_value=Decimal(count + 1),
                due_date=cycle.end_date,
                position=n % PER_OBJECTIVE,
            )
            for n in range(count)
        )
        now = timezone.now()
        DataSource.objects.bulk_create(
            DataSource(
                key_result=kr,
                kind="json",
                schedule="hourly",
                url=f"http://127.0.0.1:{port}/kr/{n + 1}",
                json_path="$.data.value",
                next_run_at=now,
            )
            for n, kr in enumerate(krs)
        )
    return [kr.pk for kr in krs]


def done_count(kr_ids: list[int]) -> int:
    from okrflow.datasources.models import DataSource

    return DataSource.objects.filter(
        key_result_id__in=kr_ids, last_run_at__isnull=False, last_error_code=""
    ).count()


def failed_count(kr_ids: list[int]) -> int:
    from okrflow.datasources.models import DataSource

    return DataSource.objects.filter(key_result_id__in=kr_ids).exclude(last_error_code="").count()


def in_process_costs(port: int, samples: int) -> tuple[float, float]:
    """Seconds per source in this process: (refresh through the value action, bare HTTP read)."""
    from okrflow.datasources.http_fetch import fetch
    from okrflow.datasources.models import DataSource
    from okrflow.datasources.running import refresh_source

    ids = list(DataSource.objects.order_by("-pk").values_list("pk", flat=True)[:samples])
    DataSource.objects.filter(pk__in=ids).update(url=f"http://127.0.0.1:{port}/kr/999999")
    started = time.perf_counter()
    for source_id in ids:
        refresh_source(source_id)
    refresh = (time.perf_counter() - started) / len(ids)
    started = time.perf_counter()
    for n in range(samples):
        fetch(f"http://127.0.0.1:{port}/kr/{n}")
    bare = (time.perf_counter() - started) / samples
    return refresh, bare


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sources", type=int, default=1000)
    parser.add_argument("--database", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--broker", choices=("filesystem", "redis"), default="filesystem")
    parser.add_argument("--concurrency", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--timeout", type=float, default=1800)
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="okrflow-bench-sources-"))
    env = {k: v for k, v in os.environ.items() if not k.startswith("OKRFLOW_")}
    env |= {
        "OKRFLOW_DATA_DIR": str(work / "var"),
        "OKRFLOW_QUEUE_NAME": f"bench-sources-{os.getpid()}",
        "DJANGO_SETTINGS_MODULE": "okrflow.settings",
        "PYTHONPATH": str(ROOT),
    }
    if args.database == "postgres":
        url = os.environ.get(
            "OKRFLOW_BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432/okrflow_bench_sources"
        )
        base, name = url.rsplit("/", 1)
        subprocess.run(
            ["psql", f"{base}/postgres", "-qc", f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'],
            check=True,
        )
        subprocess.run(["psql", f"{base}/postgres", "-qc", f'CREATE DATABASE "{name}"'], check=True)
        env["OKRFLOW_DATABASE_URL"] = url
    if args.broker == "redis":
        env["OKRFLOW_BROKER_URL"] = os.environ.get(
            "OKRFLOW_BENCH_REDIS", "redis://127.0.0.1:6379/0"
        )
        env["OKRFLOW_QUEUE_KEY_PREFIX"] = f"bench-sources-{os.getpid()}:"
    os.environ.update(env)
    subprocess.run([OKRFLOW, "migrate", "-v0"], check=True, env=env)
    subprocess.run([OKRFLOW, "demo"], check=True, env=env, stdout=subprocess.DEVNULL)
    django_setup()
    port = serve()
    kr_ids = plant(args.sources, port)
    print(f"{args.sources} key results fed by JSON endpoints on 127.0.0.1:{port}")
    print(
        f"database {args.database}, broker {args.broker}, worker concurrency {args.concurrency}, "
        f"{os.cpu_count()} cores"
    )

    log = open(work / "worker.log", "wb")  # noqa: SIM115
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "okrflow.background",
            "worker",
            f"--concurrency={args.concurrency}",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "--loglevel=WARNING",
        ],
        cwd=work,
        env=env,
        stdout=log,
        stderr=log,
    )
    try:
        from okrflow.datasources.tasks import run_due_sources

        started = time.perf_counter()
        run_due_sources.delay()
        deadline = started + args.timeout
        done = 0
        while time.perf_counter() < deadline:
            done = done_count(kr_ids)
            if done + failed_count(kr_ids) >= len(kr_ids):
                break
            time.sleep(0.25)
        total = time.perf_counter() - started
    finally:
        worker.terminate()
        worker.wait(timeout=60)
    failed = failed_count(kr_ids)
    print(f"refreshed {done} sources ({failed} failed) in {total:.1f} s by the worker")
    print(f"throughput {done / total:.1f} sources/s; {1000 * total / max(done, 1):.1f} ms a source")
    refresh, bare = in_process_costs(port, min(100, args.sources))
    print(
        f"one source in one process: {1000 * refresh:.1f} ms, of which the HTTP read "
        f"{1000 * bare:.1f} ms: overhead {1000 * (refresh - bare):.1f} ms a source "
        "(guard, parsing, the value action with its audit row, the source's status)"
    )
    print(f"work folder: {work}")


if __name__ == "__main__":
    main()
