"""`okrflow notifications USERNAME`: a person's notifications, for scripts and support."""

from __future__ import annotations

import datetime
import json
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone, translation

from okrflow.notifications.delivery import absolute
from okrflow.notifications.models import Notification
from okrflow.notifications.texts import sentence_of
from okrflow.org.models import Person


def find_person(username: str) -> Person:
    user = get_user_model().objects.filter(username__iexact=username.strip()).first()
    person = Person.objects.select_related("user").filter(user=user).first() if user else None
    if person is None:
        raise CommandError(f"No person with the username “{username}”.")
    return person


def rows_of(person: Person, unread: bool) -> list[dict[str, Any]]:
    found = (
        Notification.objects.filter(recipient=person)
        .select_related("objective", "key_result")
        .order_by("-created_at", "-id")
    )
    if unread:
        found = found.filter(read_at__isnull=True)
    with translation.override(person.language or settings.LANGUAGE_CODE):
        return [
            {
                "kind": n.kind,
                "created": n.created_at.isoformat(),
                "read": n.read_at is not None,
                "text": sentence_of(n),
                "url": absolute(n.url) if n.url else "",
            }
            for n in found
        ]


class Command(BaseCommand):
    help = "List a person's notifications (newest first), in their language."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username", help="The person's username.")
        parser.add_argument("--unread", action="store_true", help="Only unread notifications.")
        parser.add_argument("--json", action="store_true", help="Print JSON for scripts.")

    def handle(self, *args: Any, **options: Any) -> None:
        person = find_person(options["username"])
        rows = rows_of(person, options["unread"])
        if options["json"]:
            self.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2))
            return
        if not rows:
            self.stdout.write("No notifications.")
            return
        for row in rows:
            at = timezone.localtime(datetime.datetime.fromisoformat(row["created"]))
            mark = " " if row["read"] else "•"
            self.stdout.write(f"{mark} {at:%Y-%m-%d %H:%M}  {row['text']}")
            if row["url"]:
                self.stdout.write(f"    {row['url']}")
