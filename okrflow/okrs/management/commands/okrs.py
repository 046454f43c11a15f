"""`okrflow okrs`: print a cycle's objectives and key results with progress and status."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from okrflow.cycles.models import Cycle
from okrflow.okrs.export_tree import cycle_data, objective_data, stream_json
from okrflow.okrs.measure import measure_in_batches
from okrflow.okrs.models import Objective
from okrflow.org.models import Organisation


def find_cycle(name: str | None) -> Cycle:
    """Return the named cycle, or the active one, or explain what exists."""
    cycles = Cycle.objects.all()
    if name:
        cycle = cycles.filter(name__iexact=name.strip()).first()
        if cycle is None:
            known = ", ".join(cycles.values_list("name", flat=True)) or "none"
            raise CommandError(f"No cycle named “{name}”. Cycles: {known}.")
        return cycle
    today = timezone.localdate()
    cycle = (
        cycles.filter(state="active", start_date__lte=today, end_date__gte=today).first()
        or cycles.filter(state="active").first()
        or cycles.first()
    )
    if cycle is None:
        raise CommandError("There is no cycle yet. Run `okrflow demo` or create one.")
    return cycle


def add_checkins(data: dict[str, Any], objective_ids: Any) -> None:
    """Add each KR's check-ins and each objective's latest obstacles and solutions (one query)."""
    fill_checkins(data["objectives"], objective_ids)


def fill_checkins(objectives: list[dict[str, Any]], objective_ids: Any) -> None:
    from okrflow.checkins.export import checkin_data_for

    history = checkin_data_for(objective_ids)
    for objective in objectives:
        objective["latest_checkin"] = history["objectives"].get(objective["id"])
        for kr in objective["key_results"]:
            kr["checkins"] = history["key_results"].get(kr["id"], [])
    from okrflow.dependencies.export import fill_depends_on  # issue #16: hand-offs

    fill_depends_on(objectives)


def with_checkins(objectives: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One batch of objectives' data, with their check-ins (one query)."""
    fill_checkins(objectives, [objective["id"] for objective in objectives])
    return objectives


class Command(BaseCommand):
    help = "Print a cycle's OKR tree with progress, expected progress and status."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--cycle", help="Cycle name, e.g. “Q4 2026” (default: the active one).")
        parser.add_argument("--json", action="store_true", help="Print JSON for scripts.")
        parser.add_argument(
            "--as", dest="username", help="Show only what this user may see (default: everything)."
        )
        parser.add_argument("--on", help="Compute expected progress on this date (YYYY-MM-DD).")

    def handle(self, *args: Any, **options: Any) -> None:
        cycle = find_cycle(options["cycle"])
        on = timezone.localdate()
        if options["on"]:
            import datetime

            try:
                on = datetime.date.fromisoformat(options["on"])
            except ValueError as error:
                raise CommandError(
                    f"--on needs a date like 2026-11-27, not “{options['on']}”."
                ) from error
        queryset = Objective.objects.live().filter(cycle=cycle)
        if options["username"]:
            user = get_user_model().objects.filter(username=options["username"]).first()
            if user is None:
                raise CommandError(f"No user named “{options['username']}”.")
            queryset = queryset.filter(pk__in=Objective.objects.visible_to(user).values("pk"))
        # Batch by batch: a cycle of 100,000 key results never sits in memory whole.
        batches = measure_in_batches(
            queryset.order_by("position", "id"), on, Organisation.current()
        )
        objectives = (
            objective
            for reports in batches
            for objective in with_checkins([objective_data(report) for report in reports])
        )
        if options["json"]:
            # Indented for a person at a terminal; compact (and about three times faster to
            # write, by the C encoder) for a script reading a pipe or a file.
            indent = 2 if self.stdout.isatty() else None
            head = {"cycle": cycle_data(cycle), "objectives": []}
            for piece in stream_json(head, objectives, indent=indent):
                self.stdout.write(piece, ending="")
            self.stdout.write("")
            return
        self.write_table(cycle_data(cycle), objectives)

    def write_table(self, c: dict[str, Any], objectives: Iterable[dict[str, Any]]) -> None:
        self.stdout.write(f"{c['name']}  {c['start']} – {c['end']}  [{c['state']}]")
        for objective in objectives:
            self.stdout.write("")
            self.stdout.write(
                f"O{objective['id']}  {objective['progress']:>4.0%} / {objective['expected']:>4.0%}  "
                f"{objective['status']:<9}  {objective['title']}  "
                f"({objective['owner']['kind']}: {objective['owner']['name']}, {objective['kind']})"
            )
            for kr in objective["key_results"]:
                figures = f"{kr['start']} → {kr['current']} → {kr['target']} {kr['unit']}".strip()
                self.stdout.write(
                    f"   KR{kr['id']:<5} {kr['progress']:>4.0%} / {kr['expected']:>4.0%}  "
                    f"{kr['status']:<9}  [{kr['shape']}] {kr['title']}  ({figures}, due {kr['due']})"
                )
        self.stdout.write("")
        self.stdout.write("progress / expected by today")
