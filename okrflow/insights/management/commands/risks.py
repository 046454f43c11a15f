"""`okrflow risks`: list the four risks of a cycle, with their evidence and suggested action."""

from __future__ import annotations

import json
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone, translation

from okrflow.cycles.models import Cycle
from okrflow.insights.collect import collect_insights, visible_objectives
from okrflow.insights.models import RiskSnapshot
from okrflow.insights.risk_text import evidence, shareable_params, suggestion
from okrflow.insights.risks import RiskItem, find_risks
from okrflow.insights.snapshots import stored_insights
from okrflow.insights.sources import CheckinReader
from okrflow.okrs.models import Objective


def find_cycle(name: str | None) -> Cycle:
    """Return the named cycle, or the active one, or explain what exists."""
    from okrflow.okrs.management.commands.okrs import find_cycle as find

    return find(name)


def risk_data(item: RiskItem | RiskSnapshot, reader: CheckinReader | None = None) -> dict[str, Any]:
    """Return one risk, found now or stored, as JSON-ready data, worded for the reader."""
    risk = item.risk
    return {
        "kind": risk.kind.value,
        "severity": risk.severity.value,
        "objective_id": risk.objective_id,
        "objective": item.objective.title,
        "kr_id": risk.key_result_id,
        "key_result": item.key_result.title if item.key_result else None,
        "owner": item.owner_username or item.owner_name,
        "owner_name": item.owner_name,
        "evidence": evidence(risk, reader),
        "suggestion": suggestion(risk.suggestion),
        "code": risk.code,
        "params": shareable_params(risk, reader),
    }


def reader_user(username: str | None) -> Any:
    """Return the user named by --as (None: the system, which reads everything)."""
    if not username:
        return None
    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        raise CommandError(f"No user named “{username}”.")
    return user


class Command(BaseCommand):
    help = "List the end-of-cycle, sudden, off-course and below-expectations risks of a cycle."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--cycle", help="Cycle name, e.g. “Q4 2026” (default: the active one).")
        parser.add_argument("--json", action="store_true", help="Print JSON for scripts.")
        parser.add_argument(
            "--lang", choices=["vi", "en"], default="en", help="Language of the evidence."
        )
        parser.add_argument(
            "--kind",
            choices=["end_of_cycle", "sudden", "off_course", "below_expectations"],
            help="Only this kind of risk.",
        )
        parser.add_argument(
            "--as",
            dest="as_user",
            metavar="USERNAME",
            help="Show only what this person may see: their visible objectives, and check-in "
            "obstacles and confidences only where they may read the check-in.",
        )
        parser.add_argument(
            "--live",
            action="store_true",
            help="Compute now instead of reading the stored insights (slow for a large cycle).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        cycle = find_cycle(options["cycle"])
        if cycle.is_closed:
            raise CommandError(
                f"{cycle.name} is closed: its results are final, see `okrflow report`."
            )
        user = reader_user(options["as_user"])
        if options["live"]:
            insights = collect_insights(
                cycle, visible_objectives(user, cycle), timezone.localdate()
            )
            found: list[Any] = find_risks(insights)
            on = insights.on
        else:
            refresh = stored_insights(cycle)
            if refresh is None:
                raise CommandError(
                    f"{cycle.name} is large and its insights are not computed yet: run "
                    "`okrflow refresh-insights` first, or add --live to compute them now."
                )
            stored = RiskSnapshot.objects.filter(cycle=cycle)
            if user is not None:
                stored = stored.filter(objective__in=Objective.objects.visible_to(user))
            found = list(
                stored.select_related("objective", "key_result", "owner__user").order_by("rank")
            )
            on = refresh.computed_on
        items = [
            item for item in found if options["kind"] is None or item.risk.kind == options["kind"]
        ]
        with translation.override(options["lang"]):
            reader = None if user is None else CheckinReader(user)
            data = [risk_data(item, reader) for item in items]
        if options["json"]:
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
            return
        self.stdout.write(f"{cycle.name}: {len(data)} risks on {on.isoformat()}")
        for row in data:
            target = (
                f"KR{row['kr_id']} {row['key_result']}"
                if row["kr_id"]
                else f"O{row['objective_id']} {row['objective']}"
            )
            self.stdout.write("")
            self.stdout.write(
                f"[{row['severity'].upper():<6}] {row['kind']:<18} {target}  ({row['owner_name']})"
            )
            self.stdout.write(f"         {row['evidence']}")
            self.stdout.write(f"         → {row['suggestion']}")
