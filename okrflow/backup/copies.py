"""Backup and restore of the whole database: SQLite's online backup, PostgreSQL's pg_dump.

A SQLite backup is a SQLite file made with the online backup API, page by page, consistent even
while the app keeps writing. A PostgreSQL backup is pg_dump's custom format, restored with
pg_restore in one transaction. Messages are for the operator at a shell, in English.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from django.core.management.base import CommandError
from django.db import connection

SQLITE_HEADER = b"SQLite format 3\x00"
PG_DUMP_HEADER = b"PGDMP"
# Rows that `okrflow migrate` itself writes: a database with only these is still empty.
BOOKKEEPING_TABLES = {"django_migrations", "django_content_type", "auth_permission"}
MOVE_HINT = (
    "To move between SQLite and PostgreSQL use `okrflow dumpdata` and `okrflow loaddata` "
    "(README, Backup and restore)."
)


def database_kind() -> str:
    """'sqlite' or 'postgresql'; any other database is refused with a message."""
    if connection.vendor not in {"sqlite", "postgresql"}:
        raise CommandError(f"Backups support SQLite and PostgreSQL, not {connection.vendor}.")
    return connection.vendor


def tables_with_data() -> list[str]:
    """The tables of the current database that hold rows other than migrate's own."""
    with connection.cursor() as cursor:
        tables = sorted(set(connection.introspection.table_names(cursor)) - BOOKKEEPING_TABLES)
        found = []
        for table in tables:
            cursor.execute(f"SELECT 1 FROM {connection.ops.quote_name(table)} LIMIT 1")
            if cursor.fetchone() is not None:
                found.append(table)
    return found


def refuse_to_overwrite(force: bool) -> None:
    """Stop unless the database is empty or the operator said --force."""
    if force:
        return
    filled = tables_with_data()
    if filled:
        shown = ", ".join(filled[:5]) + (f" and {len(filled) - 5} more" if len(filled) > 5 else "")
        raise CommandError(
            f"The database {connection.settings_dict['NAME']} already holds data ({shown}). "
            "Restoring replaces all of it: run again with --force to overwrite it, or restore "
            "into an empty database."
        )


def file_header(path: Path) -> bytes:
    if not path.is_file():
        raise CommandError(f"No backup file at {path}.")
    with path.open("rb") as handle:
        return handle.read(16)


def refuse_the_live_file(path: Path) -> None:
    """A SQLite backup can be neither written over nor read from the database file itself."""
    if connection.vendor == "sqlite" and path.resolve() == Path(sqlite_file()).resolve():
        raise CommandError(f"{path} is the database itself; choose another file.")


def backup(target: Path) -> None:
    """Write a backup of the current database to `target` (replaced only once complete)."""
    kind = database_kind()
    refuse_the_live_file(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")
    try:
        if kind == "sqlite":
            backup_sqlite(partial)
        else:
            backup_postgresql(partial)
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)


def restore(source: Path, force: bool) -> None:
    """Replace the current database with the backup at `source`."""
    kind = database_kind()
    refuse_the_live_file(source)
    header = file_header(source)
    if kind == "sqlite":
        if header.startswith(PG_DUMP_HEADER):
            raise CommandError(
                f"{source} is a PostgreSQL backup; this okrflow uses SQLite. {MOVE_HINT}"
            )
        if not header.startswith(SQLITE_HEADER):
            raise CommandError(f"{source} is not an okrflow backup (not a SQLite file).")
        refuse_newer_backup(source, sqlite_migrations(source))
        refuse_to_overwrite(force)
        restore_sqlite(source)
    else:
        if header.startswith(SQLITE_HEADER):
            raise CommandError(
                f"{source} is a SQLite backup; this okrflow uses PostgreSQL. {MOVE_HINT}"
            )
        if not header.startswith(PG_DUMP_HEADER):
            raise CommandError(
                f"{source} is not an okrflow backup (not a pg_dump custom-format file)."
            )
        refuse_newer_backup(source, postgresql_migrations(source))
        refuse_to_overwrite(force)
        restore_postgresql(source)


def migrations_unknown_here(applied: set[tuple[str, str]]) -> list[str]:
    """The migrations a backup's database had applied that this okrflow does not have.

    Only apps this okrflow knows count: their unknown migrations mean the backup comes from a
    newer version, whose tables this code would misread.
    """
    from django.db.migrations.loader import MigrationLoader

    loader = MigrationLoader(None, ignore_no_migrations=True)
    known = set(loader.disk_migrations) | set(loader.replacements)
    return sorted(
        f"{app}.{name}"
        for app, name in applied
        if app in loader.migrated_apps and (app, name) not in known
    )


def refuse_newer_backup(source: Path, applied: set[tuple[str, str]]) -> None:
    """Stop before touching anything when the backup was made by a newer okrflow."""
    unknown = migrations_unknown_here(applied)
    if unknown:
        shown = ", ".join(unknown[:3]) + (
            f" and {len(unknown) - 3} more" if len(unknown) > 3 else ""
        )
        raise CommandError(
            f"{source} was made by a newer okrflow (its database has migrations this version "
            f"does not know: {shown}). Upgrade okrflow first, then restore; nothing was changed."
        )


# --- SQLite --------------------------------------------------------------------------------


def sqlite_migrations(source: Path) -> set[tuple[str, str]]:
    """The (app, migration) pairs recorded in a SQLite backup (empty if it has none)."""
    try:
        backup_file = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    except sqlite3.DatabaseError:
        return set()
    try:
        return set(backup_file.execute("SELECT app, name FROM django_migrations").fetchall())
    except sqlite3.DatabaseError:  # not an okrflow database: restore_sqlite says so
        return set()
    finally:
        backup_file.close()


def sqlite_file() -> str:
    return str(connection.settings_dict["NAME"])


def backup_sqlite(target: Path) -> None:
    # A connection of its own, as another process would have: the backup API copies a
    # consistent snapshot while the app goes on reading and writing.
    live = sqlite3.connect(sqlite_file(), timeout=20)
    copy = sqlite3.connect(target)
    try:
        live.backup(copy)
    finally:
        copy.close()
        live.close()


def restore_sqlite(source: Path) -> None:
    backup_file = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    try:
        if backup_file.execute("PRAGMA quick_check").fetchone()[0] != "ok":
            raise CommandError(f"{source} is damaged (SQLite's quick_check failed).")
        has_migrations = backup_file.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'django_migrations'"
        ).fetchone()
        if not has_migrations:
            raise CommandError(f"{source} is a SQLite file but not an okrflow database.")
        connection.close()
        live = sqlite3.connect(sqlite_file(), timeout=20)
        try:
            # Page by page under the database's write lock: readers see the old or the new
            # database, never a mix.
            backup_file.backup(live)
        finally:
            live.close()
    except sqlite3.DatabaseError as error:
        raise CommandError(f"{source} could not be read as a SQLite backup: {error}.") from None
    finally:
        backup_file.close()


# --- PostgreSQL ----------------------------------------------------------------------------


def postgresql_tool(name: str) -> str:
    found = shutil.which(name)
    if not found:
        raise CommandError(
            f"{name} was not found. Install PostgreSQL's client programs of the server's major "
            f"version (Debian: apt-get install postgresql-client) or put {name} on PATH."
        )
    return found


def postgresql_environment() -> dict[str, str]:
    """libpq's variables for the current database: the password never appears on a command line."""
    settings = connection.settings_dict
    env = dict(os.environ)
    for variable, value in (
        ("PGHOST", settings.get("HOST")),
        ("PGPORT", settings.get("PORT")),
        ("PGUSER", settings.get("USER")),
        ("PGPASSWORD", settings.get("PASSWORD")),
        ("PGDATABASE", settings.get("NAME")),
        ("PGSSLMODE", (settings.get("OPTIONS") or {}).get("sslmode")),
    ):
        if value:
            env[variable] = str(value)
    return env


def run_postgresql_tool(arguments: list[str]) -> None:
    result = subprocess.run(
        arguments, env=postgresql_environment(), capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        tool = Path(arguments[0]).name
        raise CommandError(f"{tool} failed: {result.stderr.strip() or result.returncode}")


def backup_postgresql(target: Path) -> None:
    pg_dump = postgresql_tool("pg_dump")
    run_postgresql_tool(
        [pg_dump, "--format=custom", "--no-owner", "--no-privileges", f"--file={target}"]
    )


def postgresql_migrations(source: Path) -> set[tuple[str, str]]:
    """The (app, migration) pairs in a pg_dump backup, read by pg_restore without a database."""
    pg_restore = postgresql_tool("pg_restore")
    result = subprocess.run(
        [pg_restore, "--data-only", "--table=django_migrations", "--file=-", str(source)],
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise CommandError(f"{source} could not be read by pg_restore: {result.stderr.strip()}")
    pairs: set[tuple[str, str]] = set()
    copying = False
    for line in result.stdout.splitlines():
        if line.startswith("COPY ") and "django_migrations" in line:
            copying = True
        elif copying and line == "\\.":
            copying = False
        elif copying:
            columns = line.split("\t")
            if len(columns) >= 3:
                pairs.add((columns[1], columns[2]))
    return pairs


def restore_postgresql(source: Path) -> None:
    pg_restore = postgresql_tool("pg_restore")
    connection.close()
    # One transaction: if anything fails, the database is left as it was.
    run_postgresql_tool(
        [
            pg_restore,
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            "--exit-on-error",
            f"--dbname={connection.settings_dict['NAME']}",
            str(source),
        ]
    )
