"""`okrflow restore PATH [--force]`: replace the database with a backup of `okrflow backup`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from okrflow.backup.copies import restore


class Command(BaseCommand):
    help = (
        "Restore the whole database from a backup made by `okrflow backup`. Refuses a database "
        "that already holds data unless --force. Stop okrflow's servers first."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path, help="the backup file to restore")
        parser.add_argument(
            "--force", action="store_true", help="overwrite a database that already holds data"
        )

    def handle(self, *args: Any, path: Path, force: bool, **options: Any) -> None:
        restore(path, force=force)
        self.stdout.write(
            f"Restored {path}. If the backup comes from an older okrflow, run `okrflow migrate`."
        )
