"""`okrflow refresh-insights`: compute and store the dashboards' figures of one cycle or all."""

from __future__ import annotations

import json
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db.models import F, Q
from django.utils import timezone

from okrflow.cycles.models import Cycle
from okrflow.insights.collect import garbage_collector_paused
from okrflow.insights.models import InsightRefresh, RiskSnapshot
from okrflow.insights.parallel_refresh import refresh_processes
from okrflow.insights.snapshots import is_current, refresh_cycle
from okrflow.planner_statistics import gather_statistics


def cycles_to_refresh(name: str | None) -> list[Cycle]:
    """Return the named cycle, or every open cycle and every closed one not computed since."""
    if name:
        from okrflow.insights.management.commands.risks import find_cycle

        return [find_cycle(name)]
    waiting = Q(state="closed") & (
        Q(insight_refresh__isnull=True)
        | Q(insight_refresh__computed_at__lt=F("closing__closed_at"))
    )
    return list(Cycle.objects.filter(~Q(state="closed") | waiting).order_by("start_date", "id"))


def stored_risks(cycle: Cycle, refresh: InsightRefresh) -> int:
    """Return how many risks the cycle has stored: as the incremental refresh counted them
    from the totals, else by counting the rows."""
    counted = getattr(refresh, "risks", None)
    if counted is not None:
        return int(counted)
    return RiskSnapshot.objects.filter(cycle=cycle).count()


class Command(BaseCommand):
    help = (
        "Compute the insights dashboards' figures (status, forecasts, heat map, risks, totals) and "
        "store them: only what changed since the last run, unless --full or the day changed. Run "
        "it from cron or a task worker for large cycles; small ones refresh by themselves."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--cycle", help="Cycle name (default: every open cycle).")
        parser.add_argument(
            "--if-changed",
            action="store_true",
            help="Skip cycles whose data and day are unchanged since the last refresh.",
        )
        parser.add_argument(
            "--full",
            action="store_true",
            help="Recompute every objective, not only those changed since the last refresh.",
        )
        parser.add_argument(
            "--processes",
            type=int,
            default=None,
            help="Processes computing a refresh's chunks of objectives (default: "
            "OKRFLOW_REFRESH_PROCESSES, else the CPUs, at most 8; 1: one).",
        )
        parser.add_argument("--json", action="store_true", help="Print JSON for scripts.")

    def handle(self, *args: Any, **options: Any) -> None:
        results = []
        processes = options["processes"] or refresh_processes()
        for cycle in cycles_to_refresh(options["cycle"]):
            stored = InsightRefresh.objects.filter(cycle=cycle).first()
            if options["if_changed"] and is_current(cycle, stored, timezone.localdate()):
                results.append({"cycle": cycle.name, "skipped": True})
                continue

            def say(step: str, cycle: Cycle = cycle) -> None:
                print(f"{cycle.name}: {step} …", file=sys.stderr, flush=True)

            # Only the objectives changed since the last refresh, when it was of the same day and
            # org chart; else everything, a chunk of objectives at a time.
            with garbage_collector_paused():
                refresh = refresh_cycle(
                    cycle, progress=say, incremental=not options["full"], processes=processes
                )
            results.append(
                {
                    "cycle": cycle.name,
                    "skipped": False,
                    "figures_as_of": refresh.computed_on.isoformat(),
                    "objectives": refresh.objectives,
                    "key_results": refresh.key_results,
                    "risks": stored_risks(cycle, refresh),
                    "recomputed": getattr(refresh, "recomputed", refresh.objectives),
                    "seconds": refresh.seconds,
                }
            )
        if any(not result["skipped"] for result in results):
            gather_statistics()  # SQLite's planner: the stored insights' new sizes
        if options["json"]:
            self.stdout.write(json.dumps(results, ensure_ascii=False, indent=2))
            return
        if not results:
            self.stdout.write("No open cycle to refresh.")
        for result in results:
            if result["skipped"]:
                self.stdout.write(f"{result['cycle']}: unchanged, skipped.")
            else:
                self.stdout.write(
                    "{cycle}: {objectives} objectives ({recomputed} recomputed), {key_results} key "
                    "results, {risks} risks as of {figures_as_of}, in {seconds:.1f} s.".format(
                        **result
                    )
                )
