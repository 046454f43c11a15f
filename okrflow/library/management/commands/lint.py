"""`okrflow lint FILE`: check the OKRs of an import file against the method's writing rules."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from okrflow.engine.numbers import LANGUAGES
from okrflow.engine.quality_dates import Window
from okrflow.library.cli import finding_lines, problem_lines, read_input
from okrflow.library.formats import FORMATS, read_file
from okrflow.library.lint import lint_read
from okrflow.okrs.management.commands.okrs import find_cycle
from okrflow.org.models import Organisation


class Command(BaseCommand):
    help = (
        "Check the OKRs in a file (text, md, csv, xlsx, json): qualitative objectives, "
        "measurable outcomes, baselines, deadlines, focus."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="The file to check.")
        parser.add_argument("--format", choices=FORMATS, help="Default: from the file name.")
        parser.add_argument(
            "--cycle", help="Check deadlines against this cycle (default: not checked)."
        )
        parser.add_argument(
            "--lang",
            choices=LANGUAGES,
            help="Language of the file's sentences and numbers (default: detected; numbers vi).",
        )
        parser.add_argument("--json", action="store_true", help="Print JSON for scripts.")

    def handle(self, *args: Any, **options: Any) -> None:
        content, format_name = read_input(options["file"], options["format"])
        window = None
        if options["cycle"]:
            cycle = find_cycle(options["cycle"])
            window = Window(cycle.start_date, cycle.end_date)
        lang = options["lang"]
        report = lint_read(
            read_file(content, format_name),
            window,
            rules=Organisation.current().focus_rules(),
            lang=lang,
            number_lang=lang or "vi",
        )
        if options["json"]:
            data = {"file": options["file"], **report.to_json()}
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
            return
        warnings = sum(1 for f in report.findings if f.severity == "warning")
        self.stdout.write(
            f"{options['file']} ({report.format}): {report.objectives} objectives, "
            f"{report.key_results} key results, {warnings} warnings, "
            f"{len(report.findings) - warnings} tips"
        )
        if report.problems:
            self.stdout.write("Problems reading the file:")
            self.stdout.write("\n".join(problem_lines(report.problems)))
        if report.findings:
            for line in finding_lines(report.findings):
                self.stdout.write(line)
