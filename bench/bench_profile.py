"""A benchmark-only middleware that profiles every request of a worker (cProfile).

bench_site.py puts it first when OKRFLOW_BENCH_PROFILE names a directory: each process keeps
one profile over all its POST requests and writes it to DIR/worker-PID.prof every few requests and
at exit, so that `python -m pstats` (or bench.py --profile) can tell where a worker's time goes
under load. With OKRFLOW_BENCH_PROFILE_CLOCK=cpu the profile counts the process's CPU time
(`time.process_time`) instead of wall time: under load a wall profile is mostly waiting on the
database and for the CPU, and the CPU profile tells what each check-in itself costs. Never
part of okrflow's own settings.
"""

from __future__ import annotations

import atexit
import cProfile
import os
import time
from pathlib import Path
from typing import Any

DIRECTORY = Path(os.environ.get("OKRFLOW_BENCH_PROFILE", "."))
EVERY = 10
CLOCK = time.process_time if os.environ.get("OKRFLOW_BENCH_PROFILE_CLOCK") == "cpu" else None


class ProfileMiddleware:
    def __init__(self, get_response: Any) -> None:
        self.get_response = get_response
        self.profile = cProfile.Profile(CLOCK) if CLOCK else cProfile.Profile()
        self.requests = 0
        self.wall = 0.0
        atexit.register(self.dump)

    def __call__(self, request: Any) -> Any:
        if request.method != "POST":  # the load's check-ins, not its warm-up
            return self.get_response(request)
        started = time.perf_counter()
        self.profile.enable()
        try:
            return self.get_response(request)
        finally:
            self.profile.disable()
            self.wall += time.perf_counter() - started
            self.requests += 1
            if self.requests % EVERY == 0:
                self.dump()

    def dump(self) -> None:
        if self.requests:
            self.profile.dump_stats(DIRECTORY / f"worker-{os.getpid()}.prof")
            (DIRECTORY / f"worker-{os.getpid()}.txt").write_text(
                f"{self.requests} {self.wall:.3f}\n"
            )
