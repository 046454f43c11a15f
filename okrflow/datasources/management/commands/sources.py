"""`okrflow sources run [--due] [--json]`: read the key results' data sources now."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import translation

from okrflow.datasources.running import run_sources


class Command(BaseCommand):
    help = "Run the data sources of key results (all pull sources, or those due) and print each."

    def add_arguments(self, parser: CommandParser) -> None:
        commands = parser.add_subparsers(dest="command", required=True)
        run = commands.add_parser("run", help="Read the sources and record their values.")
        run.add_argument("--due", action="store_true", help="Only the sources whose turn came.")
        run.add_argument("--json", action="store_true", help="One JSON list for scripts.")

    def handle(self, *args: Any, **options: Any) -> None:
        with translation.override("en"):
            results = run_sources(due_only=options["due"])
            if options["json"]:
                self.stdout.write(json.dumps([r.as_dict() for r in results], ensure_ascii=False))
                return
            for result in results:
                outcome = str(result.as_dict()["value"]) if result.ok else result.error
                self.stdout.write(
                    f"KR {result.key_result_id}\t{result.kind}\t"
                    f"{'ok' if result.ok else 'failed'}\t{outcome}"
                )
            failed = sum(1 for r in results if not r.ok)
            self.stdout.write(f"{len(results)} sources, {failed} failed.")
