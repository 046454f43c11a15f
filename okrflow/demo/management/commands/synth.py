"""`okrflow synth --people N`: a synthetic organisation for benchmarks."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection
from django.utils import timezone
from tqdm import tqdm

from okrflow.demo.synth import build_synthetic_org


class Command(BaseCommand):
    help = "Build a synthetic organisation (units ≈ N/16, 4 objectives per unit, 2 per person)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--people", type=int, required=True, help="How many people, e.g. 10000."
        )
        parser.add_argument(
            "--seed", type=int, default=7, help="Random seed (same seed, same org)."
        )
        parser.add_argument("--quiet", action="store_true", help="No progress bars.")

    def handle(self, *args: Any, **options: Any) -> None:
        people = options["people"]
        if not 1 <= people <= 200_000:
            raise CommandError("--people must be between 1 and 200,000.")
        bars: list[tqdm] = []

        def progress(label: str, total: int) -> Callable[[int], None]:
            if options["quiet"]:
                return lambda _n: None
            bar = tqdm(total=total, desc=f"{label:<12}", unit="rows", file=self.stderr._out)
            bars.append(bar)
            return bar.update

        started = time.perf_counter()
        try:
            summary = build_synthetic_org(
                people, timezone.localdate(), seed=options["seed"], progress=progress
            )
        finally:
            for bar in bars:
                bar.close()
        if connection.vendor == "postgresql":
            # A real database grows over months and autovacuum keeps its statistics; one loaded
            # in a minute has none yet, and the planner would plan for empty tables.
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        seconds = time.perf_counter() - started
        self.stdout.write(
            f"Cycle “{summary.cycle.name}”: {summary.people:,} people, {summary.units:,} units, "
            f"{summary.objectives:,} objectives, {summary.key_results:,} key results, "
            f"{summary.values:,} values in {seconds:.1f} s."
        )
