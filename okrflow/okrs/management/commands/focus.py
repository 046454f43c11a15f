"""`okrflow focus`: the focus report of a cycle."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from okrflow.okrs.focus_report import build_focus_report
from okrflow.okrs.management.commands.okrs import find_cycle


class Command(BaseCommand):
    help = "List every owner and objective outside the focus rules of the article."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--cycle", help="Cycle name (default: the active one).")
        parser.add_argument("--json", action="store_true", help="Print JSON for scripts.")

    def handle(self, *args: Any, **options: Any) -> None:
        cycle = find_cycle(options["cycle"])
        lines = build_focus_report(cycle)
        if options["json"]:
            payload = {"cycle": cycle.name, "findings": [line.as_dict() for line in lines]}
            self.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2))
            return
        if not lines:
            self.stdout.write(f"{cycle.name}: every owner and objective is within the focus rules.")
            return
        self.stdout.write(f"{cycle.name}: {len(lines)} findings")
        for line in lines:
            subject = f"{line.owner_kind} {line.owner_name}"
            if line.objective_title:
                subject += f" · “{line.objective_title}”"
            self.stdout.write(f"  {subject}: {line.message}")
