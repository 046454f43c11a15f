"""`okrflow demo`: load the demo organisation (idempotent; --reset rebuilds it)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from okrflow.demo import content
from okrflow.demo.loader import build_demo
from okrflow.okrs.models import Objective

LOGINS = (
    ("admin", "OKR admin"),
    ("ceo", "CEO, lead of the company"),
    ("head.marketing", "head of marketing"),
    ("specialist.marketing", "marketing specialist"),
    ("head.sales", "head of sales"),
    ("head.product", "head of product"),
    ("head.support", "head of customer support"),
    ("outsider", "in no unit: sees only public OKRs"),
)


class Command(BaseCommand):
    help = "Load the demo organisation from the seed article (does nothing if it is loaded)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Delete ALL organisation and OKR data, then build the demo again.",
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Only build the demo when the database holds no objectives at all.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["if_empty"] and Objective.objects.exists():
            self.stdout.write("The database already holds OKRs; the demo is not loaded.")
            return
        if options["reset"] and options["if_empty"]:
            raise CommandError("--reset and --if-empty cannot be used together.")
        summary = build_demo(timezone.localdate(), reset=options["reset"], say=self.stdout.write)
        if not summary.created:
            self.stdout.write(
                "The demo organisation is already loaded (use --reset to rebuild it)."
            )
        self.stdout.write("")
        self.stdout.write(f"Demo sign-ins (password for all: {content.DEMO_PASSWORD}):")
        for username, role in LOGINS:
            self.stdout.write(f"  {username:<22} {role}")
