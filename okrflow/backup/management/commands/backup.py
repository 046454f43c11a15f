"""`okrflow backup PATH`: a consistent copy of the whole database, safe while the app runs."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from okrflow.backup.copies import backup, database_kind


class Command(BaseCommand):
    help = (
        "Back up the whole database to PATH: SQLite's online backup (a SQLite file) or "
        "PostgreSQL's pg_dump (custom format). Safe while okrflow is running."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path, help="the backup file to write")

    def handle(self, *args: Any, path: Path, **options: Any) -> None:
        backup(path)
        size = path.stat().st_size
        self.stdout.write(f"Backed up the {database_kind()} database to {path} ({size:,} bytes).")
