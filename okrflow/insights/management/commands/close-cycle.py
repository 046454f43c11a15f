"""`okrflow close-cycle NAME`: grade every objective, freeze the grades and close the cycle."""

from __future__ import annotations

import json
import sys
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from okrflow.cycles.models import Cycle
from okrflow.insights.actions import ClosingResult, close_cycle

BAR_FROM = 50  # objectives; smaller cycles close before a bar would be worth drawing


def result_data(result: ClosingResult) -> dict[str, Any]:
    """Return the grades as JSON-ready data."""
    return {
        "cycle": result.cycle.name,
        "dry_run": result.dry_run,
        "use_original_targets": result.use_original_targets,
        "objectives": len(result.grades),
        "key_results": result.key_results,
        "successes": result.successes,
        "grades": [
            {
                "objective_id": grade.objective_id,
                "kind": grade.kind,
                "score": str(grade.score),
                "band": grade.band.value,
                "success": grade.success,
                "key_results": [
                    {"kr_id": kr.key_result_id, "score": str(kr.score), "band": kr.band.value}
                    for kr in grade.key_results
                ],
            }
            for grade in result.grades
        ],
    }


class Command(BaseCommand):
    help = (
        "Close a cycle: score each key result and objective (0.0–1.0), freeze them, lock the OKRs."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("name", help="Cycle name, e.g. “Q4 2026”.")
        parser.add_argument("--dry-run", action="store_true", help="Grade without saving anything.")
        parser.add_argument("--json", action="store_true", help="Print JSON for scripts.")
        parser.add_argument(
            "--original-targets",
            action="store_true",
            help="Grade on the targets set at the start, not the revised ones.",
        )
        parser.add_argument(
            "--as", dest="username", help="Act as this admin (default: the system)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        cycle = Cycle.objects.filter(name__iexact=options["name"].strip()).first()
        if cycle is None:
            known = ", ".join(Cycle.objects.values_list("name", flat=True)) or "none"
            raise CommandError(f"No cycle named “{options['name']}”. Cycles: {known}.")
        actor = None
        if options["username"]:
            actor = get_user_model().objects.filter(username=options["username"]).first()
            if actor is None:
                raise CommandError(f"No user named “{options['username']}”.")
        bar: tqdm | None = None

        def progress(done: int, total: int) -> None:
            nonlocal bar
            if bar is None:
                bar = tqdm(
                    total=total,
                    desc=f"Grading {cycle.name}",
                    unit="objective",
                    disable=options["json"] or total < BAR_FROM,
                    file=sys.stderr,
                )
            bar.update(1)

        try:
            result = close_cycle(
                actor,
                cycle,
                use_original_targets=options["original_targets"],
                dry_run=options["dry_run"],
                progress=progress,
            )
        except (ValidationError, PermissionDenied) as error:
            messages = getattr(error, "messages", [str(error)])
            raise CommandError(" ".join(messages)) from error
        finally:
            if bar is not None:
                bar.close()
        if options["json"]:
            self.stdout.write(json.dumps(result_data(result), indent=2))
            return
        verb = "Would close" if result.dry_run else "Closed"
        self.stdout.write(
            f"{verb} {cycle.name}: {len(result.grades)} objectives, {result.key_results} key results, "
            f"{result.successes} successful."
        )
        for grade in result.grades:
            self.stdout.write(
                f"  O{grade.objective_id:<6} {grade.score}  {grade.band.value:<6} "
                f"{'success' if grade.success else '-':<8} {grade.kind}"
            )
