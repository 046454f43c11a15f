#!/usr/bin/env python3
"""Measure okrflow on synthetic organisations; every figure is paired with its floor.

    .venv/bin/python bench/bench.py --people 1000 --databases sqlite          # a few minutes
    .venv/bin/python bench/bench.py --people 1000 10000 --load --json         # the issue's targets
    .venv/bin/python bench/bench.py --people 10000 --databases postgresql --load \\
        --database-name okrflow_bench_10000                                   # keep and reuse it

Each (database, N) runs in its own process: migrate, `okrflow synth --people N` (skipped when a
kept database already holds it), `okrflow refresh-insights`, then the measurements:

- pages, in-process through the whole middleware (Django's test client), for the company lead
  and for a member: every insights page (company, unit, person, F.A.C.T.S., risks, review),
  overview, company tree, My OKRs, an objective page, the check-in page; median of --runs;
- check-in submission: the POST of a member's 8 key results (median over different people),
  as it is and without the in-request refresh of a large cycle's stored insights;
- with --load (PostgreSQL, sessions in Redis as in the scaled shape): gunicorn with --workers
  sync workers and --writers concurrent writers submitting --checkins check-ins over HTTP
  (after --warm-checkins of other people, not counted in the rate) →
  check-ins/s, p50, p95, errors, whether every write is in the database, each worker's RSS
  after the load, the CPU the workers and their database backends used per check-in, and the
  database sessions' states sampled from pg_stat_activity (lock waits, idle in transaction);
  a third each in the scaled shape (a broker: the stored insights' refresh queued), without a
  broker (refreshed in the request) and with the refresh switched off (the write path alone)
  (--load-modes picks some); and the floor page under the same load with persistent
  connections off (CONN_MAX_AGE 0) and on (--no-floor-load skips it); --profile DIR writes each
  worker's cProfile of the check-ins and their sum (bench_profile.py);
- `okrflow refresh-insights` (whole cycle) and `okrflow okrs --json`, in the measuring process;
- the whole-cycle jobs, each in a fresh process on a copy of the database (`whole_cycle.py`):
  `refresh-insights --full`, 1,000 members' check-ins, the incremental `refresh-insights`
  after them, `okrs --json` — seconds, CPU seconds, statements, peak RSS (and Django's own
  RSS after start, their floor);
- `okrflow import` of 15 key results a person (150,000 and 40,000 objectives at 10,000 people)
  into a fresh database with a bare organisation of that size (`okr_import.py`).

At the end, every target of issue 14 the run bears on, with its measured value and whether it
is met (`targets.py`; with --json, one object each, `what` starting "target:").

`--only refresh insights pages submission json load cycle import` measures only those parts
(a quick loop).

The floor (`floor_ms`) is a trivial signed-in page behind the same middleware (bench_site.py),
measured in the same run for the same persona. `--json` prints one object per measurement:
what, persona, database, people, ms, floor_ms, queries (and, for the load, its own fields).
PostgreSQL is reached at OKRFLOW_BENCH_POSTGRES (default postgres://postgres@127.0.0.1:5432);
Redis (the load's sessions, as in the scaled shape) at OKRFLOW_BENCH_REDIS
(default redis://127.0.0.1:6379/12). A script that prints figures, never a timed test.
"""

from __future__ import annotations

import argparse
import http.client
import io
import json
import os
import platform
import queue
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import targets

ROOT = Path(__file__).resolve().parent.parent
BENCH = Path(__file__).resolve().parent
POSTGRES = os.environ.get("OKRFLOW_BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432")
REDIS = os.environ.get("OKRFLOW_BENCH_REDIS", "redis://127.0.0.1:6379/12")
FLOOR_RUNS = 20
CHECKIN_SUBMISSIONS = 5


# --- inside the measuring process ---------------------------------------------------------


class Recorder:
    """Collect measurements as dicts; the parent prints them."""

    def __init__(self, database: str, people: int) -> None:
        self.database = database
        self.people = people
        self.rows: list[dict[str, Any]] = []

    def add(
        self,
        what: str,
        persona: str,
        ms: float,
        floor_ms: float | None,
        queries: int | None,
        **extra: Any,
    ) -> None:
        self.rows.append(
            {
                "what": what,
                "persona": persona,
                "database": self.database,
                "people": self.people,
                "ms": round(ms, 1),
                "floor_ms": None if floor_ms is None else round(floor_ms, 2),
                "queries": queries,
                **extra,
            }
        )


def gather_statistics_as_deployed() -> None:
    """The planner's statistics as a deployment has them: PostgreSQL's autovacuum gathers them
    in full; okrflow gathers SQLite's, sampled, after its large writes (`planner_statistics`)."""
    from django.db import connection

    from okrflow.planner_statistics import gather_statistics

    if connection.vendor == "sqlite":
        gather_statistics()
        return
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def backend_pid() -> int | None:
    """Return the PostgreSQL backend's process id (a server on this machine), None on SQLite."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return int(cursor.fetchone()[0])


def timed_get(client: Any, path: str, runs: int) -> tuple[float, int, int, float, float | None]:
    """GET `path` `runs` times; return the median ms, the last query count and size, and the
    median CPU ms: this process's (with SQLite's work in it) and the PostgreSQL backend's
    (None on SQLite; /proc's clock ticks, 10 ms apart, so only a median over runs means much)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    times, cpus, backend_cpus, count, size = [], [], [], 0, 0
    for _ in range(runs):
        pid = backend_pid()
        with CaptureQueriesContext(connection) as queries:
            backend_before = cpu_seconds([pid]) if pid else 0.0
            cpu_before = time.process_time()
            started = time.perf_counter()
            response = client.get(path)
            times.append((time.perf_counter() - started) * 1000)
            cpus.append((time.process_time() - cpu_before) * 1000)
            if pid:
                backend_cpus.append((cpu_seconds([pid]) - backend_before) * 1000)
        if response.status_code != 200:
            raise SystemExit(f"GET {path}: {response.status_code}")
        count, size = len(queries), len(response.content)
    backend = statistics.median(backend_cpus) if backend_cpus else None
    return statistics.median(times), count, size, statistics.median(cpus), backend


def cpu_figures(cpu: float, db_cpu: float | None, floor_cpu: float | None = None) -> dict:
    """The CPU columns of a page: this process's ms, the database backend's, × the floor's."""
    figures: dict[str, Any] = {"cpu_ms": round(cpu, 1)}
    if floor_cpu:
        figures["cpu_floor"] = round(cpu / floor_cpu, 1)
    if db_cpu is not None:
        figures["db_cpu_ms"] = round(db_cpu, 1)
    return figures


ALL_PARTS = ("refresh", "insights", "pages", "submission", "json", "load", "cycle", "import")
# Measured by the parent, each step in a fresh process, not inside the measuring child.
PARENT_PARTS = ("cycle", "import")


def measure(
    people: int,
    database: str,
    runs: int,
    load: dict[str, Any] | None,
    only: tuple[str, ...] = ALL_PARTS,
) -> list[dict]:
    """Run inside a configured process: build or reuse the org, then measure what `only` names."""
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from okrflow.cycles.models import Cycle
    from okrflow.okrs.models import Objective
    from okrflow.org.models import OrgUnit

    record = Recorder(database, people)
    call_command("migrate", verbosity=0)
    cycle = Cycle.objects.filter(name__startswith="Synth").order_by("pk").first()
    built = cycle is None
    if built:
        started = time.perf_counter()
        call_command("synth", people=people, quiet=True, stdout=io.StringIO())
        record.add(
            "synth (build the organisation)",
            "-",
            (time.perf_counter() - started) * 1000,
            None,
            None,
        )
        cycle = Cycle.objects.get(name__startswith="Synth")
        # The planner's statistics, as autovacuum would gather them on a live database: without
        # them a freshly built organisation is measured with guessed row counts.
        gather_statistics_as_deployed()

    if "refresh" in only:
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            call_command("refresh-insights", cycle=cycle.name, full=True, stdout=io.StringIO())
            refresh_ms = (time.perf_counter() - started) * 1000
        record.add("refresh-insights (whole cycle)", "-", refresh_ms, None, len(queries))
    if built:
        # Again once the first refresh has filled the stored insights: they were empty at the
        # first gathering (on SQLite `refresh-insights` has already done this itself).
        gather_statistics_as_deployed()

    root = OrgUnit.objects.filter(parent=None).select_related("lead__user").order_by("pk").first()
    member_unit = OrgUnit.objects.filter(depth=2).select_related("lead").order_by("pk").first()
    member_unit = member_unit or root
    member = member_unit.members.exclude(pk=member_unit.lead_id).select_related("user").first()
    lead_objective = Objective.objects.filter(owner_unit=root, cycle=cycle).order_by("pk").first()
    member_objective = (
        Objective.objects.filter(owner_person=member, cycle=cycle).order_by("pk").first()
    )
    personas = {
        "company lead": (root.lead, root, member, lead_objective),
        "member": (member, member_unit, member, member_objective),
    }
    for persona, (person, unit, subject, objective) in personas.items():
        client = Client(HTTP_HOST="localhost")
        client.force_login(person.user)
        client.get("/")  # warm: the session, the language, the first templates
        floor_ms, floor_queries, _, floor_cpu, floor_db = timed_get(
            client, "/bench/floor/", FLOOR_RUNS
        )
        record.add(
            "floor (trivial signed-in page)",
            persona,
            floor_ms,
            floor_ms,
            floor_queries,
            **cpu_figures(floor_cpu, floor_db),
        )
        pages = {
            "insights: company": "/insights/",
            "insights: unit": f"/insights/units/{unit.pk}/",
            "insights: person": f"/insights/people/{subject.pk}/",
            "insights: F.A.C.T.S.": "/insights/facts/",
            "insights: risks": "/insights/risks/",
            "insights: review": f"/insights/cycles/{cycle.pk}/review/",
            "overview": "/",
            "company tree": "/company/",
            "My OKRs": "/my/",
            "objective page": f"/objectives/{objective.pk}/",
            "check-in page": "/checkins/",
        }
        for what, path in pages.items():
            if ("insights" if what.startswith("insights") else "pages") not in only:
                continue
            separator = "&" if "?" in path else "?"
            ms, count, size, cpu, db_cpu = timed_get(
                client, f"{path}{separator}cycle={cycle.pk}", runs
            )
            record.add(
                what,
                persona,
                ms,
                floor_ms,
                count,
                bytes=size,
                **cpu_figures(cpu, db_cpu, floor_cpu),
            )
        if persona == "member" and "submission" in only:
            measure_submission(record, cycle, floor_ms)

    times, count = [], 0
    for _ in range(2 if "json" in only else 0):
        out = io.StringIO()
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            call_command("okrs", cycle=cycle.name, json=True, stdout=out)
            times.append((time.perf_counter() - started) * 1000)
        count = len(queries)
    if times:
        record.add("okrs --json", "-", statistics.median(times), None, count)

    if load is not None and "load" in only and connection.vendor == "postgresql":
        measure_load(record, cycle, **load)
    return record.rows


def checkin_form(cycle: Any, week: Any, key_results: list[Any]) -> dict[str, str]:
    """The check-in page's form, filled: a value a little above each current one, confidence."""
    form = {"cycle": str(cycle.pk), "week": week.isoformat(), "action": "submit"}
    for kr in key_results:
        value = "1" if kr.shape == "milestone" else str(int(kr.current_value or 0) + 1)
        form[f"kr-{kr.pk}-value"] = value
        form[f"kr-{kr.pk}-confidence"] = "high"
    form |= {"progress": "On track", "obstacles": "", "solutions": "", "confidence": "high"}
    return form


def free_pairs(cycle: Any, count: int, exactly: int | None = None) -> list[tuple[Any, Any, list]]:
    """Return up to `count` (person, week, key results) not checked in yet, newest week first;
    people who lead no unit (members), with `exactly` key results when given."""
    from okrflow.checkins.models import CheckIn
    from okrflow.checkins.schedule import open_weeks
    from okrflow.checkins.scope import key_results_by_person
    from okrflow.org.models import Person

    members = list(
        Person.objects.filter(led_units__isnull=True, unit__isnull=False)
        .select_related("user")
        .order_by("pk")[: max(count, 50) * 2]
    )
    by_person = key_results_by_person(cycle, [p.pk for p in members])
    done = set(
        CheckIn.objects.filter(cycle=cycle, person__in=members).values_list("person_id", "week")
    )
    found = []
    for week in reversed(open_weeks(cycle)):
        for person in members:
            krs = by_person.get(person.pk, [])
            if not krs or (exactly is not None and len(krs) != exactly):
                continue
            if (person.pk, week.start) in done:
                continue
            found.append((person, week.start, krs))
            if len(found) == count:
                return found
    return found


def measure_submission(record: Recorder, cycle: Any, floor_ms: float) -> None:
    """POST the check-in page for members with 8 key results, each a different person: as it
    is (the stored insights of a large cycle refreshed after commit, in the request), and with
    that refresh left out (the write path alone, what a task queue would take over)."""
    from okrflow.insights.live_updates import listen

    submit_checkins(record, cycle, floor_ms, "check-in submission (8 key results)")
    listen(on=False)
    try:
        submit_checkins(
            record,
            cycle,
            floor_ms,
            "check-in submission (8 KRs), write path alone (no in-request insight refresh)",
        )
    finally:
        listen()


def submit_checkins(record: Recorder, cycle: Any, floor_ms: float, what: str) -> None:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    times, counts = [], []
    for person, week, krs in free_pairs(cycle, CHECKIN_SUBMISSIONS, exactly=8):
        client = Client(HTTP_HOST="localhost")
        client.force_login(person.user)
        client.get("/bench/floor/")
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.post("/checkins/", checkin_form(cycle, week, krs))
            times.append((time.perf_counter() - started) * 1000)
        if response.status_code != 302:
            raise SystemExit(f"check-in POST: {response.status_code}")
        counts.append(len(queries))
    if times:
        record.add(
            what,
            "member",
            statistics.median(times),
            floor_ms,
            max(counts),
            submissions=len(times),
        )


# --- load: gunicorn and concurrent writers over HTTP --------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Gunicorn:
    """gunicorn serving bench_site with `workers` sync workers; stopped on exit."""

    def __init__(
        self,
        workers: int,
        conn_max_age: int,
        live_insights: bool = True,
        profile: str = "",
        broker: str = "",
    ) -> None:
        self.port = free_port()
        env = dict(os.environ)
        if broker:  # the scaled shape's task queue; nothing consumes it during the bench
            env |= {"OKRFLOW_BROKER_URL": broker, "OKRFLOW_QUEUE_KEY_PREFIX": BROKER_PREFIX}
        if profile:  # bench_profile.py: each worker's cProfile of its requests, in `profile`
            env["OKRFLOW_BENCH_PROFILE"] = profile
        env |= {
            "DJANGO_SETTINGS_MODULE": "bench_site",
            "PYTHONPATH": os.pathsep.join([str(BENCH), env.get("PYTHONPATH", "")]),
            "OKRFLOW_DB_CONN_MAX_AGE": str(conn_max_age),
            "OKRFLOW_BENCH_NO_LIVE_INSIGHTS": "0" if live_insights else "1",
        }
        self.process = subprocess.Popen(
            [
                str(Path(sys.executable).parent / "gunicorn"),
                "okrflow.wsgi",
                "--workers",
                str(workers),
                "--bind",
                f"127.0.0.1:{self.port}",
                "--log-level",
                "warning",
            ],
            env=env,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        self.wait_ready(workers)

    def wait_ready(self, workers: int) -> None:
        """Wait until every worker has booted: `workers` requests answered at once."""
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"gunicorn stopped: {self.process.stderr.read()}")  # type: ignore[union-attr]
            try:
                status, _ = http_request(self.port, "GET", "/sign-in/", {})
                if status == 200 and len(self.worker_pids()) == workers:
                    return
            except OSError:
                pass
            time.sleep(0.1)  # between readiness polls
        raise SystemExit("gunicorn did not start")

    def worker_pids(self) -> list[int]:
        result = subprocess.run(
            ["ps", "-o", "pid=", "--ppid", str(self.process.pid)], capture_output=True, text=True
        )
        return [int(pid) for pid in result.stdout.split()]

    def worker_cpu_seconds(self) -> float:
        """Return the CPU time (user + system) the workers have used so far."""
        return cpu_seconds(self.worker_pids())

    def worker_rss_mb(self) -> list[float]:
        sizes = []
        for pid in self.worker_pids():
            status = Path(f"/proc/{pid}/status").read_text()
            kilobytes = next(line for line in status.splitlines() if line.startswith("VmRSS"))
            sizes.append(round(int(kilobytes.split()[1]) / 1024, 1))
        return sizes

    def stop(self) -> None:
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def cpu_seconds(pids: Any) -> float:
    """Return the CPU time (user + system) these processes have used so far (gone ones: 0)."""
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / os.sysconf("SC_CLK_TCK")


def http_request(
    port: int, method: str, path: str, headers: dict[str, str], body: str | None = None
) -> tuple[int, bytes]:
    client = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    try:
        client.request(method, path, body=body, headers=headers)
        response = client.getresponse()
        return response.status, response.read()
    finally:
        client.close()


def session_cookie(user: Any) -> str:
    """Sign `user` in through the configured session store (Redis here) and return the cookie."""
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client.cookies["sessionid"].value


def run_clients(
    port: int, jobs: list[tuple[str, str, dict[str, str], str | None]], clients: int
) -> tuple[list[float], list[str], float]:
    """Run (method, path, headers, body) jobs on `clients` threads; return latencies (ms) of the
    answers as expected, the errors, and the wall time (s)."""
    work: queue.Queue[tuple[str, str, dict[str, str], str | None]] = queue.Queue()
    for job in jobs:
        work.put(job)
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()

    def client() -> None:
        while True:
            try:
                method, path, headers, body = work.get_nowait()
            except queue.Empty:
                return
            started = time.perf_counter()
            try:
                status, content = http_request(port, method, path, headers, body)
                ok = status == (302 if method == "POST" else 200)
                problem = "" if ok else f"{status} {content[:200]!r}"
            except OSError as error:
                problem = repr(error)
            elapsed = (time.perf_counter() - started) * 1000
            with lock:
                (errors.append(problem) if problem else latencies.append(elapsed))

    threads = [threading.Thread(target=client) for _ in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return latencies, errors, time.perf_counter() - started


def percentile(values: list[float], share: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def measure_load(
    record: Recorder,
    cycle: Any,
    *,
    workers: int,
    writers: int,
    checkins: int,
    profile: str = "",
    floor: bool = True,
    modes: list[str] | None = None,
    warm: int = 0,
) -> None:
    """Floor under load with and without persistent connections, then concurrent check-ins:
    each shape on its share of `checkins`, after `warm` check-ins of other people that are
    checked like the others but not counted in the rate."""
    csrf = secrets.token_hex(16)  # 32 characters: Django takes it as the unmasked secret
    modes = modes or list(LOAD_MODES)
    pairs = free_pairs(cycle, checkins + warm * len(modes))
    cookies = {person.pk: session_cookie(person.user) for person, _, _ in pairs}

    def headers(person_pk: int, form: bool = False) -> dict[str, str]:
        sent = {
            "Host": "localhost",
            "Cookie": f"sessionid={cookies[person_pk]}; csrftoken={csrf}",
        }
        if form:
            sent["Content-Type"] = "application/x-www-form-urlencoded"
        return sent

    floor_p95 = None
    for conn_max_age in (0, 600) if floor else ():
        server = Gunicorn(workers, conn_max_age)
        try:
            people = [person.pk for person, _, _ in pairs[: writers * 4]]
            jobs = [("GET", "/bench/floor/", headers(pk), None) for pk in people * 10]
            latencies, errors, wall = run_clients(server.port, jobs, writers)
        finally:
            server.stop()
        floor_p95 = percentile(latencies, 0.95)
        record.add(
            f"floor under load (CONN_MAX_AGE={conn_max_age})",
            f"{writers} clients",
            floor_p95,
            floor_p95,
            None,
            requests_per_s=round(len(latencies) / wall, 1),
            p50_ms=round(percentile(latencies, 0.5), 1),
            errors=len(errors),
        )

    share = len(pairs) // len(modes)
    for number, mode in enumerate(modes):
        batch = pairs[number * share : (number + 1) * share]
        broker = ""
        if mode == "queued":  # a prefix of its own: the messages are dropped afterwards
            broker = REDIS
        try:
            load_checkins(
                record,
                cycle,
                batch,
                workers,
                writers,
                floor_p95,
                csrf,
                headers,
                mode != "alone",
                LOAD_MODES[mode],
                profile=profile and str(Path(profile) / mode),
                broker=broker,
                warm=warm,
            )
        finally:
            if broker:
                import redis

                queue = redis.Redis.from_url(broker)
                for key in queue.scan_iter(f"{BROKER_PREFIX}*"):
                    queue.delete(key)


# The load's three shapes: the scaled shape (a broker: the stored insights' refresh is queued
# after commit), no broker (refreshed in the request, after commit), and the write path alone.
LOAD_MODES = {
    "queued": ", insight refresh queued (broker, the scaled shape)",
    "in-request": ", insight refresh in the request (no broker)",
    "alone": ", write path alone (no insight refresh)",
}
BROKER_PREFIX = f"okrflow-bench-{os.getpid()}-"


def load_checkins(
    record: Recorder,
    cycle: Any,
    pairs: list[tuple[Any, Any, list]],
    workers: int,
    writers: int,
    floor_p95: float | None,
    csrf: str,
    headers: Any,
    live_insights: bool,
    label: str,
    profile: str = "",
    broker: str = "",
    warm: int = 0,
) -> None:
    """Submit the pairs' check-ins over HTTP with `writers` clients; check every write.

    The first `warm` check-ins go in before the measured ones and are not counted in the rate
    (their errors are): a worker's first submissions compile templates and statements, and
    psycopg prepares a statement on a connection from its fifth run, so in a short run the
    workers' start weighed on the rate (a quiet 300-check-in run: 85–99/s; 1,500: 162/s).

    Meanwhile the database's sessions are sampled (`pg_stat_activity`): how often a backend of
    this database was busy, waiting on a lock, or idle inside a transaction; with `profile`,
    every worker's cProfile is summed into `profile`/summary.txt."""
    from okrflow.checkins.models import CheckIn, CheckInState, KeyResultCheckIn

    jobs = []
    for person, week, krs in pairs:
        form = checkin_form(cycle, week, krs) | {"csrfmiddlewaretoken": csrf}
        jobs.append(("POST", "/checkins/", headers(person.pk, form=True), urlencode(form)))
    if profile:
        Path(profile).mkdir(parents=True, exist_ok=True)
    server = Gunicorn(workers, 600, live_insights, profile, broker)
    sampler = ActivitySampler()
    try:
        # Warm every worker (its connection, templates, caches) on pages that write nothing.
        pages = [("GET", "/checkins/", headers(person.pk), None) for person, _, _ in pairs]
        run_clients(server.port, pages[: workers * 4], writers)
        warmed, warm_errors, _ = run_clients(server.port, jobs[:warm], writers)
        jobs = jobs[warm:]
        cpu_before = server.worker_cpu_seconds()
        sampler.start()
        time.sleep(0.1)  # the sampler has seen the workers' (persistent) backends
        database_before = sampler.backends_cpu_seconds()
        latencies, errors, wall = run_clients(server.port, jobs, writers)
        errors = warm_errors + errors
        sampler.stop()
        cpu = server.worker_cpu_seconds() - cpu_before
        database_cpu = sampler.backends_cpu_seconds() - database_before
        rss = server.worker_rss_mb()
    finally:
        server.stop()
    if profile:
        summarise_profiles(Path(profile))
    persons = [person for person, _, _ in pairs]
    wanted = {(person.pk, week): len(krs) for person, week, krs in pairs}
    submitted = CheckIn.objects.filter(
        cycle=cycle, state=CheckInState.SUBMITTED, person__in=persons
    ).values_list("person_id", "week")
    stored = set(wanted) & set(submitted)
    lines = KeyResultCheckIn.objects.filter(
        checkin__cycle=cycle,
        checkin__state=CheckInState.SUBMITTED,
        checkin__person__in=persons,
        value_record__isnull=False,
    ).values_list("checkin__person_id", "checkin__week")
    values = sum(1 for pair in lines if pair in wanted)
    record.add(
        f"check-in load (submissions over HTTP){label}",
        f"{writers} writers, {workers} workers",
        percentile(latencies, 0.95),
        floor_p95,
        None,
        checkins=len(jobs),
        warm_checkins=warm,
        checkins_per_s=round(len(latencies) / wall, 1),
        p50_ms=round(percentile(latencies, 0.5), 1),
        p95_ms=round(percentile(latencies, 0.95), 1),
        errors=len(errors),
        first_errors=errors[:3],
        # Every answered submission is in the database, with a value row for each key result.
        all_written=len(stored) == len(warmed) + len(latencies)
        and values == sum(wanted[pair] for pair in stored),
        worker_rss_mb=rss,
        load_average=round(os.getloadavg()[0], 1),
        # CPU time the gunicorn workers spent per check-in (their own, not the database's).
        worker_cpu_ms_per_checkin=round(cpu * 1000 / max(len(jobs), 1), 1),
        # And the database backends serving them (PostgreSQL on this machine).
        database_cpu_ms_per_checkin=round(database_cpu * 1000 / max(len(jobs), 1), 1),
        database_sessions=sampler.summary(),
    )


class ActivitySampler:
    """Sample this database's backends every 20 ms on a connection of its own while running."""

    def __init__(self) -> None:
        self.counts: dict[str, int] = {}
        self.samples = 0
        self.backends: set[int] = set()
        self.running = threading.Event()
        self.thread = threading.Thread(target=self.run, daemon=True)

    def start(self) -> None:
        self.running.set()
        self.thread.start()

    def stop(self) -> None:
        self.running.clear()
        self.thread.join()

    def run(self) -> None:
        import psycopg
        from django.db import connection

        settings = connection.settings_dict
        with psycopg.connect(
            host=settings["HOST"] or "127.0.0.1",
            port=settings["PORT"] or 5432,
            user=settings["USER"],
            dbname=settings["NAME"],
            autocommit=True,
        ) as conn:
            while self.running.is_set():
                rows = conn.execute(
                    "SELECT pid, state, wait_event_type, wait_event FROM pg_stat_activity"
                    " WHERE datname = current_database() AND pid <> pg_backend_pid()"
                    " AND backend_type = 'client backend'"
                ).fetchall()
                self.samples += 1
                for pid, state, wait_type, wait in rows:
                    self.backends.add(pid)
                    if state == "idle":
                        continue
                    key = f"{state}:{wait_type}:{wait}" if wait_type else f"{state}:cpu"
                    self.counts[key] = self.counts.get(key, 0) + 1
                time.sleep(0.02)  # between samples

    def backends_cpu_seconds(self) -> float:
        """CPU time used so far by the database backends seen (a server on this machine)."""
        return cpu_seconds(self.backends)

    def summary(self) -> dict[str, float]:
        """Average number of backends in each state per sample (idle ones left out)."""
        ordered = sorted(self.counts.items(), key=lambda item: -item[1])
        return {key: round(count / max(self.samples, 1), 2) for key, count in ordered[:8]}


def summarise_profiles(directory: Path) -> None:
    """Sum the workers' profiles into directory/summary.txt (by own time and by cumulative)."""
    import pstats

    files = sorted(str(path) for path in directory.glob("worker-*.prof"))
    if not files:
        return
    out = io.StringIO()
    requests = wall = 0.0
    for path in directory.glob("worker-*.txt"):
        count, seconds = path.read_text().split()
        requests, wall = requests + int(count), wall + float(seconds)
    out.write(f"{requests:.0f} requests, {wall:.1f} s in workers' requests (wall)\n")
    stats = pstats.Stats(*files, stream=out)
    stats.sort_stats("cumulative").print_stats(45)
    stats.sort_stats("tottime").print_stats(30)
    (directory / "summary.txt").write_text(out.getvalue())


# --- the parent: one child process per (database, N) --------------------------------------


def database_env(database: str, people: int, name: str | None, workdir: str) -> dict[str, str]:
    env = dict(os.environ)
    if database == "sqlite":
        path = Path(name) if name else Path(workdir) / "bench.sqlite3"
        env["OKRFLOW_DATABASE_URL"] = f"sqlite:///{path}"
    else:
        env["OKRFLOW_DATABASE_URL"] = f"{POSTGRES}/{name}"
    env["OKRFLOW_DATA_DIR"] = workdir
    env["DJANGO_SETTINGS_MODULE"] = "bench_site"
    env["PYTHONPATH"] = os.pathsep.join([str(BENCH), str(ROOT), env.get("PYTHONPATH", "")])
    # Django's test client talks plain HTTP: production's redirect to HTTPS would answer 301.
    env["OKRFLOW_HTTPS"] = "0"
    env.setdefault("OKRFLOW_SECRET_KEY", secrets.token_urlsafe(50))
    env["OKRFLOW_ALLOWED_HOSTS"] = "localhost,127.0.0.1"
    return env


def psql(statement: str) -> None:
    subprocess.run(["psql", f"{POSTGRES}/postgres", "-qc", statement], check=True)


def run_one(database: str, people: int, args: argparse.Namespace) -> list[dict[str, Any]]:
    """Start a child process on a fresh (or the kept) database and return its figures."""
    workdir = tempfile.mkdtemp(prefix="okrflow-bench-")
    kept = args.database_name
    name = kept
    if database == "postgresql":
        if kept:
            exists = subprocess.run(
                [
                    "psql",
                    f"{POSTGRES}/postgres",
                    "-Atc",
                    f"SELECT 1 FROM pg_database WHERE datname = '{kept}'",
                ],
                capture_output=True,
                text=True,
                check=True,
            )
            if not exists.stdout.strip():
                psql(f'CREATE DATABASE "{kept}"')
        else:
            name = f"okrflow_bench_{people}_{os.getpid()}"
            psql(f'DROP DATABASE IF EXISTS "{name}"')
            psql(f'CREATE DATABASE "{name}"')
    elif kept:
        name = str(Path(kept).with_suffix("")) + f"-{people}.sqlite3"
    env = database_env(database, people, name, workdir)
    if args.load and database == "postgresql":
        env["OKRFLOW_REDIS_URL"] = REDIS  # the scaled shape: sessions and cache in Redis
    child = {
        "people": people,
        "database": database,
        "runs": args.runs,
        "only": args.only,
        "load": (
            {
                "workers": args.workers,
                "writers": args.writers,
                "checkins": args.checkins,
                "profile": str(Path(args.profile).resolve()) if args.profile else "",
                "floor": not args.no_floor_load,
                "modes": args.load_modes,
                "warm": args.warm_checkins,
            }
            if args.load
            else None
        ),
    }
    output = subprocess.run(
        [sys.executable, __file__, "--child", json.dumps(child)],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    try:
        if output.returncode != 0:
            raise SystemExit(f"{database} N={people} failed:\n{output.stderr[-3000:]}")
        rows: list[dict[str, Any]] = json.loads(output.stdout.strip().splitlines()[-1])
        if "cycle" in args.only:
            rows += whole_cycle_rows(database, people, str(name), env)
    finally:
        if database == "postgresql" and not kept:
            psql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    if "import" in args.only:
        rows += import_rows(database, people)
    return rows


def whole_cycle_rows(
    database: str, people: int, name: str, env: dict[str, str]
) -> list[dict[str, Any]]:
    """The whole-cycle jobs (`whole_cycle.py`), each in a fresh process, on a copy of the
    measured database (they write to it: 1,000 members' check-ins), dropped afterwards: the
    full refresh, the incremental one after those check-ins, `okrs --json`."""
    import sqlite3

    from whole_cycle import run_step  # type: ignore[import-not-found]

    record = Recorder(database, people)
    copy = f"{name}_cycle_{os.getpid()}"
    if database == "postgresql":
        psql(f'DROP DATABASE IF EXISTS "{copy}"')
        psql(f'CREATE DATABASE "{copy}" TEMPLATE "{name}"')
        url = f"{POSTGRES}/{copy}"
    else:
        copy = str(Path(env["OKRFLOW_DATA_DIR"]) / "cycle.sqlite3")
        measured = env["OKRFLOW_DATABASE_URL"].removeprefix("sqlite:///")
        with sqlite3.connect(measured) as source, sqlite3.connect(copy) as target:
            source.backup(target)
        url = f"sqlite:///{copy}"
    # okrflow's own settings, as `okrflow refresh-insights` runs in a deployment.
    step_env = {k: v for k, v in env.items() if k != "DJANGO_SETTINGS_MODULE"}
    step_env["OKRFLOW_DATABASE_URL"] = url
    steps = {
        "refresh-full": targets.FULL_REFRESH,
        "checkins": "",
        "refresh": targets.INCREMENTAL_REFRESH,
        "okrs-json": targets.OKRS_JSON,
    }
    try:
        for step, what in steps.items():
            figures = run_step(step, 1000, step_env)
            if what:
                record.add(
                    what,
                    "-",
                    figures["seconds"] * 1000,
                    None,
                    figures["queries"],
                    # With the full refresh's worker processes (OKRFLOW_REFRESH_PROCESSES).
                    cpu_s=round(figures["cpu_seconds"] + figures["children_cpu_seconds"], 2),
                    peak_rss_mb=figures["peak_rss_mb"],
                    floor_rss_mb=figures["floor_rss_mb"],
                    load_average=round(os.getloadavg()[0], 1),
                )
    finally:
        if database == "postgresql":
            psql(f'DROP DATABASE IF EXISTS "{copy}" WITH (FORCE)')
    return record.rows


def import_rows(database: str, people: int) -> list[dict[str, Any]]:
    """`okrflow import` of 15 key results a person (150,000 at 10,000 people; `okr_import.py`)
    into a fresh database with a bare organisation of that size."""
    from okr_import import run_database, write_file  # type: ignore[import-not-found]

    key_results, objectives = people * 15, people * 4
    handle, path = tempfile.mkstemp(prefix="okrflow-import-", suffix=".json")
    os.close(handle)
    file = Path(path)
    try:
        write_file(file, people, objectives, key_results)
        figures = run_database(database, argparse.Namespace(people=people, profile=None), file)
    finally:
        file.unlink()
    record = Recorder(database, people)
    record.add(
        f"{targets.IMPORT} {key_results:,} key results ({objectives:,} objectives)",
        "-",
        figures["seconds"] * 1000,
        None,
        figures["queries"],
        key_results=key_results,
        cpu_s=figures["cpu_seconds"],
        peak_rss_mb=figures["peak_rss_mb"],
        rss_after_start_mb=figures["rss_before_mb"],
        waiting_for_cpu_s=figures["queued_seconds"],
        load_average=round(os.getloadavg()[0], 1),
    )
    return record.rows


def show(row: dict[str, Any]) -> str:
    fixed = ("what", "persona", "database", "people", "ms", "floor_ms", "queries")
    floor = row["floor_ms"]
    ratio = f"{row['ms'] / floor:6.1f}×" if floor else "       "
    notes = ", ".join(f"{k}={v}" for k, v in row.items() if k not in fixed)
    queries = "" if row["queries"] is None else row["queries"]
    return (
        f"{row['database']:<11}{row['people']:>7}  {row['what']:<40}{row['persona']:<22}"
        f"{row['ms']:>10.1f}{'' if floor is None else floor:>10}{ratio}{queries:>8}  {notes}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--people", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument(
        "--databases", nargs="+", default=["sqlite", "postgresql"], choices=["sqlite", "postgresql"]
    )
    parser.add_argument("--json", action="store_true", help="one JSON object per measurement")
    parser.add_argument("--runs", type=int, default=3, help="runs per page (median)")
    parser.add_argument("--load", action="store_true", help="the load test (PostgreSQL)")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers for --load")
    parser.add_argument("--writers", type=int, default=20, help="concurrent clients for --load")
    parser.add_argument("--checkins", type=int, default=600, help="check-ins the load submits")
    parser.add_argument(
        "--warm-checkins",
        type=int,
        default=100,
        help="with --load: check-ins each shape submits first, before its measured ones (the "
        "workers' first requests compile templates and prepare statements); 0 measures from "
        "a cold start",
    )
    parser.add_argument(
        "--database-name",
        help="keep the database and reuse it next time (PostgreSQL: its name; SQLite: a file "
        "path, N appended); the synthetic organisation is built only once",
    )
    parser.add_argument(
        "--only",
        nargs="+",
        choices=ALL_PARTS,
        default=list(ALL_PARTS),
        help="measure only these parts (default all)",
    )
    parser.add_argument(
        "--profile",
        help="with --load: a directory for each gunicorn worker's cProfile (bench_profile.py) "
        "and their sum, DIR/live/summary.txt and DIR/alone/summary.txt",
    )
    parser.add_argument(
        "--no-floor-load", action="store_true", help="with --load: skip the floor under load"
    )
    parser.add_argument(
        "--load-modes",
        nargs="+",
        choices=list(LOAD_MODES),
        default=list(LOAD_MODES),
        help="with --load: the shapes measured, each on its share of --checkins",
    )
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        job = json.loads(args.child)
        rows = measure(job["people"], job["database"], job["runs"], job["load"], tuple(job["only"]))
        print(json.dumps(rows))
        return
    if not args.json:
        print(
            f"# {platform.node()}: {os.cpu_count()} cores, {platform.python_version()}, "
            f"load average {os.getloadavg()[0]:.1f} at start"
        )
        print(
            f"{'database':<11}{'N':>7}  {'what':<40}{'persona':<22}{'ms':>10}{'floor ms':>10}"
            f"{'× floor':>7}{'queries':>8}  notes"
        )
    measured: list[dict[str, Any]] = []
    for database in args.databases:
        for people in args.people:
            for row in run_one(database, people, args):
                measured.append(row)
                print(json.dumps(row, ensure_ascii=False) if args.json else show(row))
            sys.stdout.flush()
    verdicts = targets.judge(measured)
    if args.json:
        for verdict in verdicts:
            print(json.dumps(verdict.as_row(), ensure_ascii=False))
        return
    print(f"\n# issue 14's targets ({sum(v.met for v in verdicts)} of {len(verdicts)} met)")
    for verdict in verdicts:
        print(
            f"{verdict.database:<11}{verdict.people:>7}  {'met' if verdict.met else 'NOT MET':<8}"
            f"{verdict.target:<58}{verdict.measured}"
        )


if __name__ == "__main__":
    main()
