"""`okrflow export --cycle NAME --format F`: write a cycle's OKRs as text, md, csv, xlsx or json."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from okrflow.engine.numbers import LANGUAGES
from okrflow.library.exporter import STREAMED, export_cycle, stream_export
from okrflow.library.formats import FORMATS
from okrflow.okrs.management.commands.okrs import find_cycle


class Command(BaseCommand):
    help = "Export a cycle's live objectives and key results."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--cycle", required=True, help="Cycle name, e.g. “Q2 2026”.")
        parser.add_argument("--format", required=True, choices=FORMATS)
        parser.add_argument("--output", help="Write to this file (default: standard output).")
        parser.add_argument(
            "--lang", choices=LANGUAGES, default="vi", help="Number style for CSV (default: vi)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        cycle = find_cycle(options["cycle"])
        if options["format"] in STREAMED:
            self.stream(cycle, options)
            return
        body = export_cycle(cycle, options["format"], lang=options["lang"])
        if options["output"]:
            try:
                Path(options["output"]).write_bytes(body)
            except OSError as error:
                raise CommandError(f"Cannot write {options['output']}: {error.strerror}") from error
            self.stderr.write(f"Wrote {len(body)} bytes to {options['output']}.")
            return
        if options["format"] == "xlsx":
            raise CommandError("XLSX is binary; write it to a file with --output.")
        self.stdout.write(body.decode("utf-8"), ending="")

    def stream(self, cycle: Any, options: dict[str, Any]) -> None:
        """Write JSON or CSV piece by piece, batch by batch, as it is made."""
        pieces = stream_export(cycle, options["format"], lang=options["lang"])
        if not options["output"]:
            for piece in pieces:
                self.stdout.write(piece.decode("utf-8"), ending="")
            return
        size = 0
        try:
            with Path(options["output"]).open("wb") as file:
                for piece in pieces:
                    file.write(piece)
                    size += len(piece)
        except OSError as error:
            raise CommandError(f"Cannot write {options['output']}: {error.strerror}") from error
        self.stderr.write(f"Wrote {size} bytes to {options['output']}.")
