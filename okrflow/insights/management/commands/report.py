"""`okrflow report`: write the quarterly review as PDF, XLSX or CSV."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from okrflow.cycles.models import Cycle
from okrflow.insights.collect import visible_objectives
from okrflow.insights.reports import FORMATS, render_report, report_filename


class Command(BaseCommand):
    help = "Write the quarterly review of a cycle as a PDF, XLSX or CSV file."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--cycle", required=True, help="Cycle name, e.g. “Q4 2026”.")
        parser.add_argument("--format", dest="fmt", choices=FORMATS, default="pdf")
        parser.add_argument("--lang", choices=["vi", "en"], default="vi")
        parser.add_argument("--output", help="File to write ('-' for standard output).")

    def handle(self, *args: Any, **options: Any) -> None:
        cycle = Cycle.objects.filter(name__iexact=options["cycle"].strip()).first()
        if cycle is None:
            known = ", ".join(Cycle.objects.values_list("name", flat=True)) or "none"
            raise CommandError(f"No cycle named “{options['cycle']}”. Cycles: {known}.")
        body = render_report(
            cycle, visible_objectives(None, cycle), options["fmt"], options["lang"]
        )
        output = options["output"] or report_filename(cycle, options["fmt"], options["lang"])
        if output == "-":
            sys.stdout.buffer.write(body)
            return
        Path(output).write_bytes(body)
        self.stdout.write(f"Wrote {output} ({len(body):,} bytes).")
