"""`okrflow compliance`: who checked in on time, late or not at all, per unit and cycle."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from okrflow.checkins.compliance import ComplianceReport, compliance_report, people_in
from okrflow.cycles.models import Cycle
from okrflow.engine.cadence import Timeliness
from okrflow.okrs.management.commands.okrs import find_cycle
from okrflow.org.models import OrgUnit

SYMBOLS = {
    Timeliness.ON_TIME: "✓",
    Timeliness.LATE: "~",
    Timeliness.MISSED: "✗",
    Timeliness.PENDING: "·",
    Timeliness.NOT_DUE: "H",
}


def find_unit(name: str | None) -> OrgUnit | None:
    if not name:
        return None
    unit = OrgUnit.objects.filter(name__iexact=name.strip()).first()
    if unit is None:
        known = ", ".join(OrgUnit.objects.values_list("name", flat=True)) or "none"
        raise CommandError(f"No unit named “{name}”. Units: {known}.")
    return unit


class Command(BaseCommand):
    help = "Print check-in compliance: on time, late, missed and streaks, per person."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--cycle", help="Cycle name, e.g. “Q2 2026” (default: the active one).")
        parser.add_argument("--unit", help="Unit name (default: the whole organisation).")
        parser.add_argument("--json", action="store_true", help="Print JSON for scripts.")

    def handle(self, *args: Any, **options: Any) -> None:
        cycle: Cycle = find_cycle(options["cycle"])
        unit = find_unit(options["unit"])
        report = compliance_report(cycle, people_in(unit), timezone.now(), unit)
        if options["json"]:
            self.stdout.write(json.dumps(report.as_data(), ensure_ascii=False, indent=2))
            return
        self.write_table(report)

    def write_table(self, report: ComplianceReport) -> None:
        scope = report.unit.name if report.unit else "all units"
        self.stdout.write(f"{report.cycle.name} · {scope}")
        header = "".join(f"{w.nominal.day:<3}" for w in report.weeks)
        self.stdout.write(
            f"{'person':<28} {'on time':>7} {'late':>5} {'missed':>6} {'rate':>5} {'streak':>6}  {header}"
        )
        for row in report.rows:
            rate = "–" if row.rate is None else f"{row.rate:.0%}"
            marks = "".join(f"{SYMBOLS[m]:<3}" for m in row.marks)
            self.stdout.write(
                f"{row.person.full_name[:28]:<28} {row.on_time:>7} {row.late:>5} {row.missed:>6} "
                f"{rate:>5} {row.current_streak:>6}  {marks}"
            )
        total = "–" if report.rate is None else f"{report.rate:.0%}"
        self.stdout.write(
            f"{'total':<28} {report.total('on_time'):>7} {report.total('late'):>5} "
            f"{report.total('missed'):>6} {total:>5}"
        )
        self.stdout.write("✓ on time  ~ late  ✗ missed  · not due yet  H holiday week")
