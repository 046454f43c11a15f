"""`okrflow token create USERNAME`: make a personal access token for a script."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from okrflow.api.actions import create_access_token
from okrflow.api.models import TokenScope
from okrflow.org.models import Person


class Command(BaseCommand):
    help = "Create a personal access token for the API; the token alone is printed on stdout."

    def add_arguments(self, parser: CommandParser) -> None:
        commands = parser.add_subparsers(dest="command", required=True)
        create = commands.add_parser("create", help="Create a token for a person.")
        create.add_argument("username")
        create.add_argument("--scope", choices=TokenScope.values, default=TokenScope.READ)
        create.add_argument("--expires", type=int, default=None, metavar="DAYS")
        create.add_argument("--name", default="Command line")

    def handle(self, *args: Any, **options: Any) -> None:
        person = (
            Person.objects.select_related("user").filter(user__username=options["username"]).first()
        )
        if person is None:
            raise CommandError(f"No person signs in as “{options['username']}”.")
        if not person.user.is_active:
            raise CommandError(
                f"“{options['username']}” is deactivated; their tokens would not work."
            )
        try:
            made = create_access_token(
                None,
                person,
                name=options["name"],
                scope=options["scope"],
                expires_in_days=options["expires"],
            )
        except ValidationError as error:
            raise CommandError(
                " ".join(m for messages in error.message_dict.values() for m in messages)
            ) from error
        self.stdout.write(made.secret)
