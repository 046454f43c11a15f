"""`okrflow send-reminders`: email check-in reminders, overdue notices and managers' digests."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from okrflow.checkins.reminders import send_reminders


def parse_now(text: str | None) -> datetime.datetime:
    """Read --now as ISO 8601; a time without an offset is in the server's time zone."""
    if not text:
        return timezone.now()
    try:
        moment = datetime.datetime.fromisoformat(text)
    except ValueError as error:
        raise CommandError(f"--now needs a moment like 2026-05-15T09:00, not “{text}”.") from error
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


class Command(BaseCommand):
    help = (
        "Send the check-in reminders due now (before the check-in, overdue, managers' digest). "
        "Safe to run as often as you like, e.g. hourly from cron: each goes out once."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="Print what would be sent; send nothing."
        )
        parser.add_argument(
            "--now", help="Act as if it were this moment (ISO 8601, e.g. 2026-05-15T09:00)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        now = parse_now(options["now"])
        done = send_reminders(now, dry_run=options["dry_run"], say=self.stdout.write)
        verb = "would be sent" if options["dry_run"] else "sent"
        counts = {
            kind: sum(1 for r in done if r.kind == kind) for kind in ("before", "overdue", "digest")
        }
        self.stdout.write(
            f"{len(done)} reminder(s) {verb}: {counts['before']} before, "
            f"{counts['overdue']} overdue, {counts['digest']} digest."
        )
