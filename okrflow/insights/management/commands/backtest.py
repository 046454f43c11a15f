"""`okrflow backtest`: replay key result histories and score the forecast against the naive pace."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import DatabaseError

from okrflow.engine.backtest import History, Score, replay, synthetic_histories
from okrflow.engine.progress import Shape, effective_target
from okrflow.insights.collect import value_history
from okrflow.insights.forecasting import trend_points
from okrflow.okrs.measure import figures_of
from okrflow.okrs.models import KeyResult

TREND_SHAPES = (Shape.METRIC, Shape.PERCENTAGE, Shape.CURRENCY, Shape.RELATIVE, Shape.THRESHOLD)


def database_histories() -> list[History]:
    """Return the recorded histories of numeric key results with a baseline and a target.

    The truth is the value on the due date when the history reaches it, else the latest value
    (a cycle still running), and the replay forecasts it from the weeks before.
    """
    key_results = list(
        KeyResult.objects.filter(is_archived=False, shape__in=TREND_SHAPES)
        .select_related("objective__cycle")
        .order_by("pk")
    )
    values = value_history(
        KeyResult.objects.filter(pk__in=[kr.pk for kr in key_results]).values("pk")
    )
    histories = []
    for kr in key_results:
        figures = figures_of(kr, kr.objective.cycle.start_date)
        target = effective_target(figures)
        if figures.start is None or target is None or target == figures.start:
            continue
        points = [p for p in trend_points(figures, values.get(kr.pk, [])) if p[0] <= kr.due_date]
        if len(points) < 3:
            continue
        last_day, last_value = points[-1]
        histories.append(
            History(
                key=f"kr-{kr.pk}",
                start=float(figures.start),
                target=float(target),
                points=tuple(points),
                due_date=last_day,
                truth=last_value,
                window_start=figures.start_date,
                window_end=kr.due_date,
            )
        )
    return histories


class Command(BaseCommand):
    help = (
        "Replay key result histories week by week, forecasting from the past only, and print "
        "the 80% band's coverage and the mean absolute error (in progress units) of the forecast "
        "and of the naive linear pace."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--json", action="store_true", help="Print JSON for scripts.")
        parser.add_argument(
            "--count", type=int, default=400, help="Synthetic key results (default 400)."
        )
        parser.add_argument(
            "--seed",
            type=int,
            default=2,
            help="Seed of the synthetic generator (default 2; the defaults were tuned on seed 1).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        results: dict[str, Score] = {
            "synthetic": replay(synthetic_histories(options["count"], seed=options["seed"]))
        }
        try:
            histories = database_histories()
        except DatabaseError:
            histories = []
        if histories:
            results["database"] = replay(histories)
        data = {name: score.as_dict() for name, score in results.items()}
        if options["json"]:
            self.stdout.write(json.dumps(data, indent=2))
            return
        self.stdout.write(
            f"{'source':<10} {'KRs':>5} {'forecasts':>9} {'coverage 80%':>13} "
            f"{'MAE forecast':>13} {'MAE naive pace':>15} {'band width':>11}"
        )
        for name, figures in data.items():
            self.stdout.write(
                f"{name:<10} {figures['key_results']:>5} {figures['forecasts']:>9} "
                f"{figures['coverage_80']:>13.3f} {figures['mae_forecast']:>13.4f} "
                f"{figures['mae_naive_pace']:>15.4f} {figures['mean_band_width']:>11.3f}"
            )
        if "database" not in data:
            self.stdout.write("No recorded histories in the database (run `okrflow demo`).")
        self.stdout.write("Errors and band widths are in progress units (1.0 = start to target).")
