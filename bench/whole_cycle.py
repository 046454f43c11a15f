#!/usr/bin/env python3
"""Measure the whole-cycle jobs on a built organisation: refresh-insights and okrs --json.

    .venv/bin/python bench/whole_cycle.py --sqlite /work/bench-imp/okrflow_bench-10000.sqlite3
    .venv/bin/python bench/whole_cycle.py --postgres okrflow_imp_bench

On a copy of an organisation built by `okrflow synth` (it writes to the database: never run it
on a shared template), each step runs in a fresh process and prints its seconds, its CPU
seconds, the statements it sent to the database (COPY included), its peak RSS
(resource.getrusage of that process) and, for a floor, that process's peak RSS after Django's
start alone; then the CPU seconds of its worker processes and the largest one's peak RSS, when a
full refresh computed in several (`OKRFLOW_REFRESH_PROCESSES`, PostgreSQL). With --profile DIR,
each step also writes DIR/STEP.prof (cProfile; read it with `python -m pstats`):

1. `okrflow refresh-insights --full` (the whole cycle);
2. --checkins members' check-ins (the action `record_checkin`, as the check-in page submits
   them; the live insight update left out, as when a task worker takes it) — not timed here;
3. `okrflow refresh-insights` (incremental: only what those check-ins touched);
4. `okrflow okrs --json` (written to /dev/null).

With the load average: the machine's 2 cores are shared. A script that prints figures.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))


def django_setup() -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "okrflow.settings")
    sys.path.insert(0, str(ROOT))
    django.setup()


def measured(run: Any) -> dict[str, Any]:
    from django.db import connection

    floor = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    statements = 0

    def counted(execute: Any, *args: Any) -> Any:
        nonlocal statements
        statements += 1
        return execute(*args)

    profile_dir = os.environ.get("OKRFLOW_BENCH_PROFILE")
    # CPU time, not wall time: the machine is shared, and waits on the database are not ours.
    profile = cProfile.Profile(time.process_time) if profile_dir else None
    before = resource.getrusage(resource.RUSAGE_SELF)
    children_before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    with connection.execute_wrapper(counted):
        if profile is not None:
            profile.enable()
        said = run()
        if profile is not None:
            profile.disable()
    seconds = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_SELF)
    # The refresh's worker processes (OKRFLOW_REFRESH_PROCESSES), ended and waited for.
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    if profile is not None and profile_dir:
        profile.dump_stats(str(Path(profile_dir) / f"{os.environ['OKRFLOW_BENCH_STEP']}.prof"))
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    children_cpu = (children.ru_utime + children.ru_stime) - (
        children_before.ru_utime + children_before.ru_stime
    )
    return {
        "seconds": round(seconds, 2),
        "cpu_seconds": round(cpu, 2),
        "queries": statements,
        "peak_rss_mb": round(after.ru_maxrss / 1024),
        "children_cpu_seconds": round(children_cpu, 2),
        "children_peak_rss_mb": round(children.ru_maxrss / 1024),
        "floor_rss_mb": round(floor / 1024),
        "said": said,
    }


def step(name: str, count: int) -> dict[str, Any]:
    django_setup()
    from django.core.management import call_command

    if name == "refresh-full":
        out = io.StringIO()
        return measured(lambda: call_command("refresh-insights", "--full", stdout=out) or "")
    if name == "refresh":
        out = io.StringIO()
        figures = measured(lambda: call_command("refresh-insights", stdout=out) or "")
        figures["said"] = out.getvalue().strip().splitlines()[-1:]
        return figures
    if name == "okrs-json":
        with open(os.devnull, "w") as sink:
            return measured(lambda: call_command("okrs", "--json", stdout=sink) or "")
    if name == "checkins":
        return measured(lambda: check_in(count))
    raise SystemExit(f"unknown step {name}")


def check_in(count: int) -> str:
    """Submit `count` members' check-ins through the action, without the live insight update."""
    from bench import checkin_form, free_pairs  # type: ignore[import-not-found]
    from okrflow.checkins.actions import CheckInInput, LineInput, record_checkin
    from okrflow.cycles.models import Cycle
    from okrflow.insights.live_updates import listen

    listen(on=False)
    cycle = Cycle.objects.filter(state="active").order_by("pk").first()
    done = 0
    for person, week, krs in free_pairs(cycle, count):
        form = checkin_form(cycle, week, krs)
        lines = {
            kr.pk: LineInput(value=form[f"kr-{kr.pk}-value"], confidence="high", note="")
            for kr in krs
        }
        record_checkin(
            person.user,
            person=person,
            cycle=cycle,
            week=week,
            data=CheckInInput(lines=lines, obstacles="", confidence="high"),
        )
        done += 1
    return f"{done} check-ins"


def run_step(name: str, count: int, env: dict[str, str]) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, __file__, "--step", name, "--checkins", str(count)],
        env={**env, "OKRFLOW_BENCH_STEP": name},
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise SystemExit(f"{name} failed:\n{done.stderr[-4000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sqlite", help="A copy of a built SQLite database (written to).")
    parser.add_argument("--postgres", help="A copy of a built PostgreSQL database's name.")
    parser.add_argument("--checkins", type=int, default=1000)
    parser.add_argument("--steps", nargs="+", default=["refresh-full", "checkins", "refresh"])
    parser.add_argument("--profile", help="Write each step's cProfile to DIR/STEP.prof.")
    parser.add_argument("--step", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.step:
        print(json.dumps(step(args.step, args.checkins)))
        return
    env = dict(os.environ)
    if args.sqlite:
        env["OKRFLOW_DATABASE_URL"] = f"sqlite:///{Path(args.sqlite).resolve()}"
        database = "sqlite"
    elif args.postgres:
        base = os.environ.get("OKRFLOW_BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432")
        env["OKRFLOW_DATABASE_URL"] = f"{base}/{args.postgres}"
        database = "postgresql"
    else:
        raise SystemExit("--sqlite FILE or --postgres NAME")
    env.setdefault("OKRFLOW_DATA_DIR", str(Path(args.sqlite or "/tmp").resolve().parent))
    if args.profile:
        Path(args.profile).mkdir(parents=True, exist_ok=True)
        env["OKRFLOW_BENCH_PROFILE"] = str(Path(args.profile).resolve())
    print(f"{database}: load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs (shared)")
    for name in args.steps:
        figures = run_step(name, args.checkins, env)
        print(
            f"  {name:<13} {figures['seconds']:>8} s ({figures['cpu_seconds']} s CPU, "
            f"{figures['queries']} queries), "
            f"peak RSS {figures['peak_rss_mb']} MB (floor: {figures['floor_rss_mb']} MB after "
            f"start)  {figures['said'] or ''}  [load {os.getloadavg()[0]:.1f}]"
        )
        if figures["children_cpu_seconds"]:
            print(
                f"  {'':<13} worker processes: {figures['children_cpu_seconds']} s CPU, "
                f"the largest's peak RSS {figures['children_peak_rss_mb']} MB (their queries "
                "are not counted above)"
            )
        sys.stdout.flush()


if __name__ == "__main__":
    main()
